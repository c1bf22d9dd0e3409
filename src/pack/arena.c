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

/* A block allocated elsewhere (a list's vector) that the arena now owns. */
struct adopted {
	struct adopted *next;
	void *block;
};

struct pack_arena {
	struct chunk *head;
	struct adopted *adopted;
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
	for (struct adopted *b = a->adopted, *next; b; b = next) {
		next = b->next;
		free(b->block);
		free(b);
	}
	free(a);
}

void *arena_adopt(struct pack_arena *a, void *block, size_t size)
{
	struct adopted *b = malloc(sizeof(*b));
	void *fitted;

	if (!b)
		return NULL;
	/* Give back the vector's spare capacity; for large blocks glibc does
	 * this with mremap, without copying. */
	fitted = realloc(block, size ? size : 1);
	b->block = fitted ? fitted : block;
	b->next = a->adopted;
	a->adopted = b;
	return b->block;
}

/* Carves size bytes aligned to align (a power of two) from the head chunk,
 * starting a new chunk when it is full.  Not zeroed. */
static void *carve(struct pack_arena *a, size_t size, size_t align)
{
	struct chunk *c = a->head;
	size_t start;

	if (size > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	if (c) {
		start = (c->used + align - 1) & ~(align - 1);
		if (start <= c->size && c->size - start >= size) {
			c->used = start + size;
			return c->data + start;
		}
	}
	/* Big blocks get a chunk of their own, kept behind the head so the
	 * head's free space is not wasted. */
	size_t csize = size > ARENA_CHUNK / 4 ? size : ARENA_CHUNK;
	struct chunk *n;
	if (csize > SIZE_MAX - sizeof(struct chunk))
		return NULL;
	n = malloc(sizeof(struct chunk) + csize);
	if (!n)
		return NULL;
	n->used = size;
	n->size = csize;
	if (c && csize != ARENA_CHUNK) {
		n->next = c->next;
		c->next = n;
	} else {
		n->next = c;
		a->head = n;
	}
	return n->data;
}

void *arena_alloc(struct pack_arena *a, size_t size)
{
	void *p = carve(a, size ? size : 1, ARENA_ALIGN);
	if (p)
		memset(p, 0, size);
	return p;
}

char *arena_strndup(struct pack_arena *a, const char *s, size_t len)
{
	char *d;

	if (len == SIZE_MAX)
		return NULL;
	d = carve(a, len + 1, 1); /* text needs no alignment */
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
