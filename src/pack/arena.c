/* arena.c - the model's single owner of memory, and temporary vectors. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK ((size_t)256 * 1024)
#define ARENA_ALIGN ((size_t) _Alignof(max_align_t))

struct chunk {
	struct chunk *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

struct pack_arena {
	struct chunk *head;
};

struct pack_arena *arena_new(void)
{
	return calloc(1, sizeof(struct pack_arena));
}

void arena_free(struct pack_arena *a)
{
	if (!a)
		return;
	for (struct chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void *arena_alloc(struct pack_arena *a, size_t size)
{
	struct chunk *c = a->head;
	size_t rounded;

	if (size > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	rounded = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (rounded == 0)
		rounded = ARENA_ALIGN;
	if (!c || c->size - c->used < rounded) {
		/* Big blocks get a chunk of their own, kept behind the head so the
		 * head's free space is not wasted. */
		size_t csize = rounded > ARENA_CHUNK / 4 ? rounded : ARENA_CHUNK;
		struct chunk *n;
		if (csize > SIZE_MAX - sizeof(struct chunk))
			return NULL;
		n = malloc(sizeof(struct chunk) + csize);
		if (!n)
			return NULL;
		n->used = 0;
		n->size = csize;
		if (c && csize != ARENA_CHUNK) {
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			a->head = n;
		}
		c = n;
	}
	void *p = c->data + c->used;
	c->used += rounded;
	memset(p, 0, rounded);
	return p;
}

char *arena_strndup(struct pack_arena *a, const char *s, size_t len)
{
	char *d;

	if (len == SIZE_MAX)
		return NULL;
	d = arena_alloc(a, len + 1);
	if (!d)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

void *arena_memdup(struct pack_arena *a, const void *src, size_t size)
{
	void *d = arena_alloc(a, size);
	if (d && size)
		memcpy(d, src, size);
	return d;
}

void *vec_push(struct vec *v)
{
	if (v->count == v->capacity) {
		size_t cap = v->capacity ? v->capacity * 2 : 4;
		char *d;
		if (cap > SIZE_MAX / v->elem_size)
			return NULL;
		d = realloc(v->data, cap * v->elem_size);
		if (!d)
			return NULL;
		v->data = d;
		v->capacity = cap;
	}
	void *e = v->data + v->count * v->elem_size;
	memset(e, 0, v->elem_size);
	v->count++;
	return e;
}

void vec_free(struct vec *v)
{
	free(v->data);
	v->data = NULL;
	v->count = v->capacity = 0;
}
