/* report_hash.c - byte strings to dense indices, for the reports' passes
 * that add up rows by hashing (report_agg.c, report_scan.c).
 *
 * Open addressing with linear probes, at most half full.  Keys are kept
 * in one growing buffer and found by offset, so growing it moves nothing
 * that is pointed at. */
#include "report_internal.h"

#include <stdlib.h>
#include <string.h>

void report_hash_free(report_hash *h)
{
	free(h->entries);
	free(h->slots);
	free(h->keys);
	memset(h, 0, sizeof *h);
}

bool report_arrays_fit(void **arrays[], size_t n, size_t *cap, size_t size, size_t index)
{
	if (index < *cap)
		return true;
	size_t ncap = *cap ? *cap : 256;
	while (ncap <= index) {
		if (ncap > SIZE_MAX / 2 / size)
			return false;
		ncap *= 2;
	}
	/* Each array that grows is kept even when a later one fails: the
	 * caller frees them all. */
	for (size_t a = 0; a < n; a++) {
		void *p = realloc(*arrays[a], ncap * size);
		if (!p)
			return false;
		*arrays[a] = p;
	}
	*cap = ncap;
	return true;
}

bool report_bytes_append(unsigned char **buf, size_t *len, size_t *cap, const void *p, size_t n)
{
	if (n == 0)
		return true;
	void **arrays[] = {(void **)buf};
	if (n > SIZE_MAX - *len || !report_arrays_fit(arrays, 1, cap, 1, *len + n - 1))
		return false;
	memcpy(*buf + *len, p, n);
	*len += n;
	return true;
}

/* FNV-1a: the keys are short; any fair hash will do. */
static uint64_t hash_bytes(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 14695981039346656037u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211u;
	return h;
}

static bool grow_slots(report_hash *h)
{
	size_t ncap = h->slot_cap ? h->slot_cap * 2 : 1024;
	if (ncap > SIZE_MAX / sizeof *h->slots)
		return false;
	size_t *slots = calloc(ncap, sizeof *slots);
	if (!slots)
		return false;
	for (size_t e = 0; e < h->count; e++) {
		size_t i = (size_t)h->entries[e].hash & (ncap - 1);
		while (slots[i])
			i = (i + 1) & (ncap - 1);
		slots[i] = e + 1;
	}
	free(h->slots);
	h->slots = slots;
	h->slot_cap = ncap;
	return true;
}

/* The slot where key is, or the empty slot where it would go. */
static size_t probe(const report_hash *h, const void *key, size_t len, uint64_t hash)
{
	size_t i = (size_t)hash & (h->slot_cap - 1);
	for (; h->slots[i]; i = (i + 1) & (h->slot_cap - 1)) {
		const struct report_hash_entry *e = &h->entries[h->slots[i] - 1];
		if (e->hash == hash && e->len == len && !memcmp(h->keys + e->off, key, len))
			break;
	}
	return i;
}

size_t report_hash_get(const report_hash *h, const void *key, size_t len)
{
	if (!h->slot_cap)
		return SIZE_MAX;
	size_t i = probe(h, key, len, hash_bytes(key, len));
	return h->slots[i] ? h->slots[i] - 1 : SIZE_MAX;
}

size_t report_hash_put(report_hash *h, const void *key, size_t len, bool *added)
{
	*added = false;
	if (h->count >= h->slot_cap / 2 && !grow_slots(h))
		return SIZE_MAX;
	uint64_t hash = hash_bytes(key, len);
	size_t i = probe(h, key, len, hash);
	if (h->slots[i])
		return h->slots[i] - 1;
	void **entries[] = {(void **)&h->entries};
	if (!report_arrays_fit(entries, 1, &h->entry_cap, sizeof *h->entries, h->count))
		return SIZE_MAX;
	size_t off = h->keys_len;
	if (!report_bytes_append(&h->keys, &h->keys_len, &h->keys_cap, key, len))
		return SIZE_MAX;
	h->entries[h->count] = (struct report_hash_entry){.hash = hash, .off = off, .len = len};
	h->slots[i] = ++h->count;
	*added = true;
	return h->count - 1;
}

const unsigned char *report_hash_key(const report_hash *h, size_t index, size_t *len)
{
	*len = h->entries[index].len;
	return h->keys + h->entries[index].off;
}
