/* report_scan.c - the report's passes that count in C: each trainee's
 * weakest indicator and feature per pack (the trainee view, into
 * temp.rep_weak) and each trainee's targeting against the key (into
 * temp.rep_tgt).
 *
 * A chance to flag a key indicator comes with every settled shipment whose
 * key lists it, and a chance to cite an evidence feature with every judged
 * item whose key lists it; a chance is taken when the flag or citation is
 * there.  At 10,000 attempts that is about 600,000 chances from 436,000
 * summary rows.  As SQL (each row joined to its attempt and to the key,
 * then grouped) it took 1.7 s of the trainee view's 2.1 s (issue 5).  Here
 * each kind of row is read in one pass without joins: a row's attempt is
 * found by hashing its uuid once per attempt (an attempt's rows are
 * adjacent), its shipment's or item's key by hashing, and the chances are
 * counted in an array per trainee and pack with one counter per id of the
 * pack's key.  The weakest per trainee and pack is then the lowest share
 * taken, then the most chances, then the id, as before.
 *
 * Targeting per trainee is counted the same way: each settlement's
 * shipment looked up in the key (counterfeit or clean) by hashing, the
 * four counts kept per trainee and pack.  Grouped in SQL by trainee,
 * pack and shipment before meeting the key, it made 58,000 groups out of
 * 97,000 rows at 10,000 attempts. */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One id of a shipment's or item's key: match is what a flag or citation
 * must equal (an interned id); slot is where its chances are counted,
 * among the ids of its pack's key. */
struct key_entry {
	size_t match, slot;
};

struct scan {
	report *r;
	report_hash ids;    /* 'i' indicator, 'e' feature as cited, 'f' product/feature */
	report_hash units;  /* 'S' pack, shipment / 'I' pack, shipment, item -> key */
	size_t *unit_first; /* per unit: its first entry */
	size_t *unit_count; /* per unit: its number of entries */
	size_t unit_cap;
	struct key_entry *entries;
	size_t entry_count, entry_cap;
	report_hash packs;  /* pack ids */
	size_t *pack_slots; /* per pack: the ids of its key */
	size_t pack_cap;
	report_hash slots;  /* (pack, counted id) -> slot_index, slot_id */
	size_t *slot_index; /* per slot entry: its place among its pack's */
	size_t *slot_id;    /* per slot entry: the counted id */
	size_t slot_cap;
	report_hash pairs;             /* trainee and pack -> pair */
	size_t *pair_pack, *pair_base; /* per pair: its pack, its first counter */
	size_t pair_cap;
	report_hash attempts; /* uuid -> attempt */
	size_t *attempt_pair;
	size_t attempt_cap;
	int64_t *opp, *hits; /* per pair and slot: the chances and those taken */
	size_t counters;
	bool targeting;      /* counting targeting: units are the key's shipments */
	unsigned char *fake; /* targeting: per unit, whether it holds a counterfeit */
	size_t fake_cap;
	int64_t *tcount; /* targeting: per pair, by examined * 2 + fake */
	unsigned char *scratch;
	size_t scratch_len, scratch_cap;
	bool oom;
};

static void scan_free(struct scan *w)
{
	report_hash_free(&w->ids);
	report_hash_free(&w->units);
	free(w->unit_first);
	free(w->unit_count);
	free(w->entries);
	report_hash_free(&w->packs);
	free(w->pack_slots);
	report_hash_free(&w->slots);
	free(w->slot_index);
	free(w->slot_id);
	report_hash_free(&w->pairs);
	free(w->pair_pack);
	free(w->pair_base);
	report_hash_free(&w->attempts);
	free(w->attempt_pair);
	free(w->opp);
	free(w->hits);
	free(w->fake);
	free(w->tcount);
	free(w->scratch);
}

/* Grows the n arrays (elements of size size, sharing *cap) to hold index
 * i; sets w->oom when memory runs out. */
static bool fit(struct scan *w, size_t i, size_t *cap, size_t size, void **arrays[], size_t n)
{
	if (!report_arrays_fit(arrays, n, cap, size, i))
		w->oom = true;
	return !w->oom;
}

/* ---- keys built in scratch ---- */

static void key_add(struct scan *w, const void *p, size_t n)
{
	if (!w->oom && !report_bytes_append(&w->scratch, &w->scratch_len, &w->scratch_cap, p, n))
		w->oom = true;
}

static void key_start(struct scan *w, char tag)
{
	w->scratch_len = 0;
	key_add(w, &tag, 1);
}

/* A text with its length first, so that two texts side by side are one
 * key whatever bytes they hold. */
static void key_text(struct scan *w, const unsigned char *s, size_t n)
{
	uint32_t len = (uint32_t)n;
	key_add(w, &len, sizeof len);
	key_add(w, s, n);
}

static size_t key_put(struct scan *w, report_hash *h, bool *added)
{
	if (w->oom)
		return SIZE_MAX;
	size_t i = report_hash_put(h, w->scratch, w->scratch_len, added);
	if (i == SIZE_MAX)
		w->oom = true;
	return i;
}

static size_t column_len(sqlite3_stmt *st, int col)
{
	int n = sqlite3_column_bytes(st, col);
	return n > 0 ? (size_t)n : 0;
}

/* ---- the key ---- */

/* An interned id: tag, then the text. */
static size_t intern(struct scan *w, char tag, const unsigned char *s, size_t n)
{
	key_start(w, tag);
	key_add(w, s, n);
	bool added;
	return key_put(w, &w->ids, &added);
}

/* The unit of a shipment (idx < 0) or item of pack. */
static void unit_key(struct scan *w, const unsigned char *pack_id, size_t pack_len,
                     const unsigned char *sid, size_t sid_len, int64_t idx)
{
	key_start(w, idx < 0 ? 'S' : 'I');
	key_text(w, pack_id, pack_len);
	key_text(w, sid, sid_len);
	if (idx >= 0)
		key_add(w, &idx, sizeof idx);
}

/* The pack of id pack_id (added when new, with no ids yet). */
static size_t intern_pack(struct scan *w, const unsigned char *pack_id, size_t len)
{
	key_start(w, 'P');
	key_add(w, pack_id, len);
	bool added;
	size_t p = key_put(w, &w->packs, &added);
	void **arrays[] = {(void **)&w->pack_slots};
	if (p == SIZE_MAX || !fit(w, p, &w->pack_cap, sizeof(size_t), arrays, 1))
		return SIZE_MAX;
	if (added)
		w->pack_slots[p] = 0;
	return p;
}

/* Adds an id to the key of the unit in scratch, a shipment or item of
 * pack; the rows of a unit come together (the key tables are read in
 * their key's order). */
static void add_entry(struct scan *w, size_t pack_index, size_t match, size_t counted)
{
	bool added;
	size_t u = key_put(w, &w->units, &added);
	void **unit_arrays[] = {(void **)&w->unit_first, (void **)&w->unit_count};
	void **entry_arrays[] = {(void **)&w->entries};
	if (u == SIZE_MAX || !fit(w, u, &w->unit_cap, sizeof(size_t), unit_arrays, 2) ||
	    !fit(w, w->entry_count, &w->entry_cap, sizeof(struct key_entry), entry_arrays, 1))
		return;
	if (added) {
		w->unit_first[u] = w->entry_count;
		w->unit_count[u] = 0;
	}
	size_t slot_key[2] = {pack_index, counted};
	bool new_slot;
	size_t sl = report_hash_put(&w->slots, slot_key, sizeof slot_key, &new_slot);
	void **slot_arrays[] = {(void **)&w->slot_index, (void **)&w->slot_id};
	if (sl == SIZE_MAX) {
		w->oom = true;
		return;
	}
	if (!fit(w, sl, &w->slot_cap, sizeof(size_t), slot_arrays, 2))
		return;
	if (new_slot) {
		w->slot_index[sl] = w->pack_slots[pack_index]++;
		w->slot_id[sl] = counted;
	}
	w->entries[w->entry_count++] = (struct key_entry){match, w->slot_index[sl]};
	w->unit_count[u]++;
}

static int load_key(struct scan *w)
{
	static const char *const sql[] = {
	        "SELECT pack_id, sid, -1, ind, NULL FROM temp.key_ind",
	        "SELECT pack_id, sid, idx, feature, product FROM temp.key_ev",
	};
	int rc = SQLITE_OK;
	for (size_t q = 0; q < 2 && rc == SQLITE_OK && !w->oom; q++) {
		sqlite3_stmt *st = NULL;
		rc = sqlite3_prepare_v2(w->r->db, sql[q], -1, &st, NULL);
		while (rc == SQLITE_OK && !w->oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			rc = SQLITE_OK;
			const unsigned char *id = sqlite3_column_text(st, 3);
			size_t id_len = column_len(st, 3);
			size_t match, counted;
			if (q == 0) {
				match = counted = intern(w, 'i', id, id_len);
			} else {
				/* Counted as product/feature, cited as feature. */
				match = intern(w, 'e', id, id_len);
				const unsigned char *product = sqlite3_column_text(st, 4);
				key_start(w, 'f');
				key_add(w, product, column_len(st, 4));
				key_add(w, "/", 1);
				key_add(w, id, id_len);
				bool added;
				counted = key_put(w, &w->ids, &added);
			}
			const unsigned char *pack_id = sqlite3_column_text(st, 0);
			size_t pack_index = intern_pack(w, pack_id, column_len(st, 0));
			const unsigned char *sid = sqlite3_column_text(st, 1);
			unit_key(w, pack_id, column_len(st, 0), sid, column_len(st, 1),
			         sqlite3_column_int64(st, 2));
			if (!w->oom)
				add_entry(w, pack_index, match, counted);
		}
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
		sqlite3_finalize(st);
	}
	return rc;
}

/* Targeting: each shipment of the key, with whether it holds a
 * counterfeit. */
static int load_ship_key(struct scan *w)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(w->r->db, "SELECT pack_id, sid, fake FROM temp.key_ship", -1,
	                            &st, NULL);
	void **arrays[] = {(void **)&w->fake};
	while (rc == SQLITE_OK && !w->oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		const unsigned char *pack_id = sqlite3_column_text(st, 0);
		const unsigned char *sid = sqlite3_column_text(st, 1);
		unit_key(w, pack_id, column_len(st, 0), sid, column_len(st, 1), -1);
		bool added;
		size_t u = key_put(w, &w->units, &added);
		if (u != SIZE_MAX && fit(w, u, &w->fake_cap, 1, arrays, 1))
			w->fake[u] = sqlite3_column_int(st, 2) != 0;
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(st);
	return rc;
}

/* ---- the attempts ---- */

/* Each attempt's trainee and pack pair; each pair gets a counter per id of
 * its pack's key. */
static int load_attempts(struct scan *w)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(w->r->db, "SELECT uuid, trainee, pack_id FROM temp.rep_attempt",
	                            -1, &st, NULL);
	void **attempt_arrays[] = {(void **)&w->attempt_pair};
	void **pair_arrays[] = {(void **)&w->pair_pack, (void **)&w->pair_base};
	while (rc == SQLITE_OK && !w->oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		const unsigned char *uuid = sqlite3_column_text(st, 0);
		size_t uuid_len = column_len(st, 0);
		const unsigned char *trainee = sqlite3_column_text(st, 1);
		size_t trainee_len = column_len(st, 1);
		const unsigned char *pack_id = sqlite3_column_text(st, 2);
		size_t pack_len = column_len(st, 2);
		size_t pack_index = intern_pack(w, pack_id, pack_len);
		bool added;
		key_start(w, 'T');
		key_text(w, trainee, trainee_len);
		key_text(w, pack_id, pack_len);
		size_t pair = key_put(w, &w->pairs, &added);
		if (pack_index == SIZE_MAX || pair == SIZE_MAX ||
		    !fit(w, pair, &w->pair_cap, sizeof(size_t), pair_arrays, 2))
			break;
		if (added) {
			w->pair_pack[pair] = pack_index;
			w->pair_base[pair] = w->counters;
			if (w->pack_slots[pack_index] > SIZE_MAX / 2 - w->counters) {
				w->oom = true;
				break;
			}
			w->counters += w->pack_slots[pack_index];
		}
		key_start(w, 'A');
		key_add(w, uuid, uuid_len);
		size_t a = key_put(w, &w->attempts, &added);
		if (a == SIZE_MAX || !fit(w, a, &w->attempt_cap, sizeof(size_t), attempt_arrays, 1))
			break;
		w->attempt_pair[a] = pair;
	}
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		rc = SQLITE_OK;
	sqlite3_finalize(st);
	if (rc == SQLITE_OK && !w->oom) {
		size_t n = w->counters ? w->counters : 1;
		w->opp = calloc(n, sizeof *w->opp);
		w->hits = calloc(n, sizeof *w->hits);
		size_t pairs = w->pairs.count ? w->pairs.count : 1;
		if (w->targeting && pairs <= SIZE_MAX / 4)
			w->tcount = calloc(pairs * 4, sizeof *w->tcount);
		w->oom = !w->opp || !w->hits || (w->targeting && !w->tcount);
	}
	return rc;
}

/* ---- the chances ---- */

/* Does interned id match equal the text s (its tag aside)? */
static bool id_is(const struct scan *w, size_t match, const unsigned char *s, size_t n)
{
	size_t len;
	const unsigned char *id = report_hash_key(&w->ids, match, &len);
	return len == n + 1 && !memcmp(id + 1, s, n);
}

enum pass { PASS_TARGET, PASS_FLAG, PASS_VERDICT, PASS_CITE };

static int read_pass(struct scan *w, enum pass pass)
{
	static const char *const kinds[] = {"target", "indicator", "verdict", "evidence"};
	/* Few attempts: through the summary's key, attempt by attempt.  Many:
	 * the kind's whole range; rows of other attempts are passed over. */
	const char *sql =
	        w->r->scan ? "SELECT attempt_uuid, shipment_id, item_index, value FROM scored"
	                     " WHERE kind = ?1"
	                   : "SELECT s.attempt_uuid, s.shipment_id, s.item_index, s.value"
	                     " FROM temp.rep_attempt a JOIN scored s ON s.attempt_uuid = a.uuid"
	                     " WHERE s.kind = ?1";
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(w->r->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, kinds[pass], -1, SQLITE_STATIC);
	unsigned char last[64];
	size_t last_len = SIZE_MAX, attempt = SIZE_MAX;
	bool item = pass == PASS_VERDICT || pass == PASS_CITE;
	while (rc == SQLITE_OK && !w->oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		if (sqlite3_column_type(st, 1) == SQLITE_NULL ||
		    (item && sqlite3_column_type(st, 2) == SQLITE_NULL))
			continue;
		const unsigned char *uuid = sqlite3_column_text(st, 0);
		size_t uuid_len = column_len(st, 0);
		if (uuid_len != last_len || uuid_len > sizeof last ||
		    memcmp(uuid, last, uuid_len)) {
			key_start(w, 'A');
			key_add(w, uuid, uuid_len);
			attempt =
			        w->oom ? SIZE_MAX
			               : report_hash_get(&w->attempts, w->scratch, w->scratch_len);
			last_len = uuid_len;
			if (uuid_len <= sizeof last)
				memcpy(last, uuid, uuid_len);
		}
		if (attempt == SIZE_MAX)
			continue;
		size_t pair = w->attempt_pair[attempt];
		size_t pack_len;
		const unsigned char *pack_id =
		        report_hash_key(&w->packs, w->pair_pack[pair], &pack_len);
		/* The pack's key bytes start with their tag. */
		unit_key(w, pack_id + 1, pack_len - 1, sqlite3_column_text(st, 1),
		         column_len(st, 1), item ? sqlite3_column_int64(st, 2) : -1);
		size_t u =
		        w->oom ? SIZE_MAX : report_hash_get(&w->units, w->scratch, w->scratch_len);
		if (u == SIZE_MAX)
			continue;
		if (w->targeting) {
			const unsigned char *value = sqlite3_column_text(st, 3);
			bool examined = value && !strcmp((const char *)value, "examined");
			w->tcount[pair * 4 + (size_t)examined * 2 + w->fake[u]]++;
			continue;
		}
		const struct key_entry *e = &w->entries[w->unit_first[u]];
		const unsigned char *value = sqlite3_column_text(st, 3);
		size_t value_len = column_len(st, 3);
		int64_t *opp = w->opp + w->pair_base[pair], *hits = w->hits + w->pair_base[pair];
		for (size_t k = 0; k < w->unit_count[u]; k++) {
			if (pass == PASS_TARGET || pass == PASS_VERDICT)
				opp[e[k].slot]++;
			else if (value && id_is(w, e[k].match, value, value_len))
				hits[e[k].slot]++;
		}
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(st);
	return rc;
}

/* ---- the weakest ---- */

/* Is chance a weaker than chance b: a lower share taken, then more
 * chances, then the id first in byte order (as SQL's ORDER BY 1.0 * hits
 * / opp, opp DESC, id). */
static bool weaker(const struct scan *w, size_t a, size_t b, size_t id_a, size_t id_b)
{
	double ra = (double)w->hits[a] / (double)w->opp[a];
	double rb = (double)w->hits[b] / (double)w->opp[b];
	if (ra != rb)
		return ra < rb;
	if (w->opp[a] != w->opp[b])
		return w->opp[a] > w->opp[b];
	size_t la, lb;
	const unsigned char *sa = report_hash_key(&w->ids, id_a, &la);
	const unsigned char *sb = report_hash_key(&w->ids, id_b, &lb);
	int c = memcmp(sa, sb, la < lb ? la : lb);
	return c != 0 ? c < 0 : la < lb;
}

/* Per pack, the counted id of each of its slots: ids[first[pack] + slot]. */
static size_t *slot_ids(struct scan *w, size_t **first_out)
{
	size_t packs = w->packs.count;
	size_t *first = calloc(packs ? packs : 1, sizeof *first);
	size_t *ids = calloc(w->slots.count ? w->slots.count : 1, sizeof *ids);
	if (!first || !ids) {
		free(first);
		free(ids);
		return NULL;
	}
	for (size_t p = 1; p < packs; p++)
		first[p] = first[p - 1] + w->pack_slots[p - 1];
	for (size_t sl = 0; sl < w->slots.count; sl++) {
		size_t len, pack_index;
		memcpy(&pack_index, report_hash_key(&w->slots, sl, &len), sizeof pack_index);
		ids[first[pack_index] + w->slot_index[sl]] = w->slot_id[sl];
	}
	*first_out = first;
	return ids;
}

static int put_weakest(struct scan *w, sqlite3_stmt *st, size_t pair, bool feature, size_t c,
                       size_t id)
{
	size_t len, id_len;
	const unsigned char *pk = report_hash_key(&w->pairs, pair, &len);
	uint32_t trainee_len, pack_len;
	memcpy(&trainee_len, pk + 1, sizeof trainee_len);
	memcpy(&pack_len, pk + 5 + trainee_len, sizeof pack_len);
	const unsigned char *text = report_hash_key(&w->ids, id, &id_len);
	/* "id taken/chances", the id without its tag. */
	char *weak = sqlite3_mprintf("%.*s %lld/%lld", (int)(id_len - 1), text + 1,
	                             (long long)w->hits[c], (long long)w->opp[c]);
	if (!weak)
		return SQLITE_NOMEM;
	sqlite3_bind_text(st, 1, (const char *)pk + 5, (int)trainee_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, (const char *)pk + 9 + trainee_len, (int)pack_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, feature ? "feature" : "indicator", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, weak, -1, sqlite3_free);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int write_weakest(struct scan *w)
{
	size_t *first = NULL;
	size_t *ids = slot_ids(w, &first);
	if (!ids)
		return report_fail(w->r, "out of memory");
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(w->r->db, "INSERT INTO temp.rep_weak VALUES (?1, ?2, ?3, ?4)",
	                            -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(w->r->db, "SAVEPOINT report_weak", NULL, NULL, NULL);
	bool open = rc == SQLITE_OK;
	for (size_t pair = 0; rc == SQLITE_OK && pair < w->pairs.count; pair++) {
		size_t pack_index = w->pair_pack[pair], base = w->pair_base[pair];
		const size_t *pack_ids = ids + first[pack_index];
		size_t best[2] = {SIZE_MAX, SIZE_MAX}; /* indicator, feature: a slot */
		for (size_t k = 0; k < w->pack_slots[pack_index]; k++) {
			size_t c = base + k;
			if (w->hits[c] >= w->opp[c])
				continue;
			size_t id_len;
			bool feature = report_hash_key(&w->ids, pack_ids[k], &id_len)[0] == 'f';
			size_t b = best[feature];
			if (b == SIZE_MAX || weaker(w, c, base + b, pack_ids[k], pack_ids[b]))
				best[feature] = k;
		}
		for (int f = 0; f < 2 && rc == SQLITE_OK; f++)
			if (best[f] != SIZE_MAX)
				rc = put_weakest(w, st, pair, f, base + best[f], pack_ids[best[f]]);
	}
	if (open && rc != SQLITE_OK)
		sqlite3_exec(w->r->db, "ROLLBACK TO report_weak", NULL, NULL, NULL);
	if (open)
		sqlite3_exec(w->r->db, "RELEASE report_weak", NULL, NULL, NULL);
	sqlite3_finalize(st);
	free(first);
	free(ids);
	return rc == SQLITE_OK ? 0 : report_sql_fail(w->r, "cannot keep the weakest indicators");
}

int report_weakest(report *r)
{
	struct scan w = {.r = r};
	int rc = load_key(&w);
	if (rc == SQLITE_OK && !w.oom)
		rc = load_attempts(&w);
	for (enum pass p = PASS_TARGET; p <= PASS_CITE && rc == SQLITE_OK && !w.oom; p++)
		rc = read_pass(&w, p);
	int result;
	if (w.oom)
		result = report_fail(r, "out of memory while counting the chances taken");
	else if (rc != SQLITE_OK)
		result = report_sql_fail(r, "cannot count the chances taken");
	else
		result = write_weakest(&w);
	scan_free(&w);
	return result;
}

/* ---- targeting ---- */

static int write_targeting(struct scan *w)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(w->r->db,
	                            "INSERT INTO temp.rep_tgt VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1,
	                            &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(w->r->db, "SAVEPOINT report_tgt", NULL, NULL, NULL);
	bool open = rc == SQLITE_OK;
	for (size_t pair = 0; rc == SQLITE_OK && pair < w->pairs.count; pair++) {
		/* By examined * 2 + fake: clear releases, misses, false alarms,
		 * hits. */
		const int64_t *c = &w->tcount[pair * 4];
		if (!(c[0] | c[1] | c[2] | c[3]))
			continue;
		size_t len;
		const unsigned char *pk = report_hash_key(&w->pairs, pair, &len);
		uint32_t trainee_len, pack_len;
		memcpy(&trainee_len, pk + 1, sizeof trainee_len);
		memcpy(&pack_len, pk + 5 + trainee_len, sizeof pack_len);
		sqlite3_bind_text(st, 1, (const char *)pk + 5, (int)trainee_len, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, (const char *)pk + 9 + trainee_len, (int)pack_len,
		                  SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, c[3]);
		sqlite3_bind_int64(st, 4, c[1]);
		sqlite3_bind_int64(st, 5, c[2]);
		sqlite3_bind_int64(st, 6, c[0]);
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
		sqlite3_reset(st);
	}
	if (open && rc != SQLITE_OK)
		sqlite3_exec(w->r->db, "ROLLBACK TO report_tgt", NULL, NULL, NULL);
	if (open)
		sqlite3_exec(w->r->db, "RELEASE report_tgt", NULL, NULL, NULL);
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : report_sql_fail(w->r, "cannot keep the targeting");
}

int report_targeting(report *r)
{
	struct scan w = {.r = r, .targeting = true};
	int rc = load_ship_key(&w);
	if (rc == SQLITE_OK && !w.oom)
		rc = load_attempts(&w);
	if (rc == SQLITE_OK && !w.oom)
		rc = read_pass(&w, PASS_TARGET);
	int result;
	if (w.oom)
		result = report_fail(r, "out of memory while counting the targeting");
	else if (rc != SQLITE_OK)
		result = report_sql_fail(r, "cannot read the targeting");
	else
		result = write_targeting(&w);
	scan_free(&w);
	return result;
}
