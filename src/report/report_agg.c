/* report_agg.c - GROUP BY by hashing, for the reports' big passes.
 *
 * SQLite groups by sorting: every row of a GROUP BY goes through its
 * sorter, which costs about three times as much as reading the row (issue
 * 5: 0.45 s of the item analysis's 0.6 s at 10,000 attempts went to
 * sorting 260,000 summary rows into 424 groups).  The report's passes over
 * the attempts' summaries have few groups and many rows, so here a
 * SELECT's rows are read once and added up in a hash table, and the
 * groups are written to a temporary table for the views' SQL, which stays
 * SQL. */
#include "report_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AGG_MAX_VALUES 8

/* A group's row count and figures; groups[i] belongs to key i. */
struct agg_group {
	int64_t count;
	int64_t v[AGG_MAX_VALUES];
};

/* The report's attempts by uuid, each with its columns (attempt_cols of
 * rep_attempt) serialized as a key's start. */
struct attempts {
	report_hash uuids;
	size_t *off, *len; /* per attempt: its columns in cols */
	size_t cap;
	unsigned char *cols;
	size_t cols_len, cols_cap;
};

struct agg {
	report_hash keys;
	struct agg_group *groups;
	size_t group_cap;
	unsigned char *scratch; /* the current row's key */
	size_t scratch_len, scratch_cap;
	struct attempts att;
};

static void agg_free(struct agg *a)
{
	report_hash_free(&a->keys);
	free(a->groups);
	free(a->scratch);
	report_hash_free(&a->att.uuids);
	free(a->att.off);
	free(a->att.len);
	free(a->att.cols);
}

static bool put_bytes(struct agg *a, const void *p, size_t n)
{
	return report_bytes_append(&a->scratch, &a->scratch_len, &a->scratch_cap, p, n);
}

/* A key column as its type, then 8 bytes (integer, real) or a length and
 * the bytes (text, blob): equal values give equal bytes. */
static bool put_column(struct agg *a, sqlite3_stmt *st, int col)
{
	unsigned char type = (unsigned char)sqlite3_column_type(st, col);
	if (!put_bytes(a, &type, 1))
		return false;
	switch (type) {
	case SQLITE_INTEGER: {
		int64_t i = sqlite3_column_int64(st, col);
		return put_bytes(a, &i, sizeof i);
	}
	case SQLITE_FLOAT: {
		double d = sqlite3_column_double(st, col);
		return put_bytes(a, &d, sizeof d);
	}
	case SQLITE_NULL:
		return true;
	default: {
		const void *p = type == SQLITE_TEXT ? (const void *)sqlite3_column_text(st, col)
		                                    : sqlite3_column_blob(st, col);
		int n = sqlite3_column_bytes(st, col);
		uint32_t len = n > 0 ? (uint32_t)n : 0;
		return put_bytes(a, &len, sizeof len) && put_bytes(a, p, len);
	}
	}
}

/* The group of the key in scratch, added when new; NULL when memory runs
 * out. */
static struct agg_group *find_group(struct agg *a)
{
	bool added;
	size_t i = report_hash_put(&a->keys, a->scratch, a->scratch_len, &added);
	if (i == SIZE_MAX)
		return NULL;
	void **groups[] = {(void **)&a->groups};
	if (!report_arrays_fit(groups, 1, &a->group_cap, sizeof *a->groups, i))
		return NULL;
	if (added)
		a->groups[i] = (struct agg_group){0};
	return &a->groups[i];
}

/* Reads uuid and attempt_cols of every attempt of the report.  Returns
 * an SQLite result code; SQLITE_NOMEM when memory runs out. */
static int load_attempts(report *r, struct agg *a, const char *attempt_cols)
{
	char *sql = sqlite3_mprintf("SELECT uuid, %s FROM temp.rep_attempt", attempt_cols);
	if (!sql)
		return SQLITE_NOMEM;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(r->db, sql, -1, &st, NULL);
	sqlite3_free(sql);
	struct attempts *t = &a->att;
	void **arrays[] = {(void **)&t->off, (void **)&t->len};
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc = SQLITE_NOMEM;
		a->scratch_len = 0;
		bool ok = true;
		for (int c = 1; ok && c < sqlite3_column_count(st); c++)
			ok = put_column(a, st, c);
		const unsigned char *uuid = sqlite3_column_text(st, 0);
		size_t uuid_len = (size_t)sqlite3_column_bytes(st, 0);
		bool added;
		size_t i =
		        ok && uuid ? report_hash_put(&t->uuids, uuid, uuid_len, &added) : SIZE_MAX;
		size_t off = t->cols_len;
		if (i == SIZE_MAX || !report_arrays_fit(arrays, 2, &t->cap, sizeof(size_t), i) ||
		    !report_bytes_append(&t->cols, &t->cols_len, &t->cols_cap, a->scratch,
		                         a->scratch_len))
			break;
		t->off[i] = off;
		t->len[i] = a->scratch_len;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Starts the key of a row whose first column is an attempt's uuid with
 * that attempt's columns: 1, or 0 when the attempt is not the report's,
 * -1 when memory runs out.  *last is the previous row's attempt: an
 * attempt's rows are adjacent, so most rows need no lookup. */
static int put_attempt(struct agg *a, sqlite3_stmt *st, size_t *last)
{
	const unsigned char *uuid = sqlite3_column_text(st, 0);
	size_t len = (size_t)sqlite3_column_bytes(st, 0);
	if (!uuid)
		return 0;
	size_t i = *last;
	if (i != SIZE_MAX) {
		size_t klen;
		const unsigned char *k = report_hash_key(&a->att.uuids, i, &klen);
		if (klen != len || memcmp(k, uuid, len) != 0)
			i = SIZE_MAX;
	}
	if (i == SIZE_MAX)
		i = report_hash_get(&a->att.uuids, uuid, len);
	*last = i;
	if (i == SIZE_MAX)
		return 0;
	a->scratch_len = 0;
	return put_bytes(a, a->att.cols + a->att.off[i], a->att.len[i]) ? 1 : -1;
}

/* Adds the row's values to its group: 's' sum, '<' min, '>' max. */
static bool add_values(struct agg_group *g, sqlite3_stmt *st, int first, const char *ops)
{
	for (int i = 0; ops[i]; i++) {
		int64_t x = sqlite3_column_int64(st, first + i);
		if (ops[i] == 's') {
			if (__builtin_add_overflow(g->v[i], x, &g->v[i]))
				return false;
		} else if (g->count == 0 || (ops[i] == '<' ? x < g->v[i] : x > g->v[i])) {
			g->v[i] = x;
		}
	}
	g->count++;
	return true;
}

/* Binds a serialized key's columns from ?1 on; returns the next index. */
static int bind_key(sqlite3_stmt *st, const unsigned char *p, size_t len)
{
	int col = 1;
	const unsigned char *end = p + len;
	while (p < end) {
		unsigned char type = *p++;
		if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
			if (type == SQLITE_INTEGER) {
				int64_t i;
				memcpy(&i, p, sizeof i);
				sqlite3_bind_int64(st, col, i);
			} else {
				double d;
				memcpy(&d, p, sizeof d);
				sqlite3_bind_double(st, col, d);
			}
			p += 8;
		} else if (type == SQLITE_NULL) {
			sqlite3_bind_null(st, col);
		} else {
			uint32_t n;
			memcpy(&n, p, sizeof n);
			p += sizeof n;
			if (type == SQLITE_TEXT)
				sqlite3_bind_text(st, col, (const char *)p, (int)n, SQLITE_STATIC);
			else
				sqlite3_bind_blob(st, col, p, (int)n, SQLITE_STATIC);
			p += n;
		}
		col++;
	}
	return col;
}

static int write_groups(report *r, const struct agg *a, const char *insert_sql, size_t nval)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(r->db, insert_sql, -1, &st, NULL);
	/* One transaction for the temp table's rows, not one per row. */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(r->db, "SAVEPOINT report_agg", NULL, NULL, NULL);
	bool open = rc == SQLITE_OK;
	for (size_t g = 0; rc == SQLITE_OK && g < a->keys.count; g++) {
		const struct agg_group *gr = &a->groups[g];
		size_t len;
		const unsigned char *key = report_hash_key(&a->keys, g, &len);
		int col = bind_key(st, key, len);
		sqlite3_bind_int64(st, col++, gr->count);
		for (size_t i = 0; i < nval; i++)
			sqlite3_bind_int64(st, col++, gr->v[i]);
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
		sqlite3_reset(st);
	}
	if (rc != SQLITE_OK)
		report_sql_fail(r, "cannot keep the report's figures");
	if (open && rc != SQLITE_OK)
		sqlite3_exec(r->db, "ROLLBACK TO report_agg", NULL, NULL, NULL);
	if (open)
		sqlite3_exec(r->db, "RELEASE report_agg", NULL, NULL, NULL);
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : -1;
}

int report_aggregate(report *r, const char *select_sql, const char *attempt_cols, int keys,
                     const char *ops, const char *insert_sql)
{
	size_t nval = strlen(ops);
	if (keys < 1 || nval > AGG_MAX_VALUES)
		return report_fail(r, "internal error: a report's grouping is malformed");
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(r->db, select_sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return report_sql_fail(r, "cannot read the results");
	}
	if (sqlite3_column_count(st) != keys + (int)nval) {
		sqlite3_finalize(st);
		return report_fail(r, "internal error: a report's grouping is malformed");
	}
	struct agg a = {0};
	int rc = attempt_cols ? load_attempts(r, &a, attempt_cols) : SQLITE_OK;
	if (rc != SQLITE_OK) {
		sqlite3_finalize(st);
		agg_free(&a);
		return rc == SQLITE_NOMEM
		               ? report_fail(r, "out of memory while adding up the results")
		               : report_sql_fail(r, "cannot read the attempts");
	}
	bool ok = true, too_large = false;
	size_t rows = 0, last = SIZE_MAX;
	while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rows++;
		a.scratch_len = 0;
		int first = 0;
		if (attempt_cols) {
			int in = put_attempt(&a, st, &last);
			if (in == 0)
				continue;
			ok = in > 0;
			first = 1;
		}
		for (int c = first; ok && c < keys; c++)
			ok = put_column(&a, st, c);
		struct agg_group *g = ok ? find_group(&a) : NULL;
		ok = g != NULL;
		too_large = ok && !add_values(g, st, keys, ops);
		ok = ok && !too_large;
	}
	int result;
	if (too_large)
		result = report_fail(r, "a figure of the report is too large to add up; check the"
		                        " results database for doctored points");
	else if (!ok)
		result = report_fail(r, "out of memory while adding up the results");
	else if (rc != SQLITE_DONE)
		result = report_sql_fail(r, "cannot read the results");
	else
		result = 0;
	sqlite3_finalize(st);
	if (result == 0)
		result = write_groups(r, &a, insert_sql, nval);
	if (report_timer_start() >= 0)
		fprintf(stderr, "report: %zu rows in %zu groups\n", rows, a.keys.count);
	agg_free(&a);
	return result;
}
