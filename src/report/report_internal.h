/* report_internal.h - what the report module's source files share (the
 * reports and statistics part); nothing here is public. */
#ifndef IPR_DRILL_REPORT_INTERNAL_H
#define IPR_DRILL_REPORT_INTERNAL_H

#include "ipr-drill/report.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#define REPORT_ERR_SIZE 512

/* Derived tables a view needs (report_need()). */
enum report_need_flags {
	REPORT_NEED_WEAK = 1u << 0,      /* rep_weak: trainee */
	REPORT_NEED_SCORE = 1u << 1,     /* rep_attempt.total, rep_isum, rep_item: pack, item */
	REPORT_NEED_TARGETING = 1u << 2, /* rep_tgt (report_targeting()) */
	REPORT_NEED_INDICATOR = 1u << 3, /* rep_ind_tc, rep_ind_fc */
	REPORT_NEED_FEATURE = 1u << 4,   /* rep_feat_vc, rep_feat_cc */
	REPORT_NEED_GROUP = 1u << 5,     /* rep_by_tg, rep_by_vd (dim 'group') */
	REPORT_NEED_COUNTRY = 1u << 6,   /* rep_by_tg, rep_by_vd (dim 'country') */
};

struct report {
	store *s;
	sqlite3 *db;
	int64_t attempts;
	unsigned built;   /* enum report_need_flags already built */
	const char *from; /* how the derived tables reach the summaries */
	bool scan;        /* from reads the summary's whole range of a kind */
	char err[REPORT_ERR_SIZE];
};

/* Sets r->err from fmt and returns -1. */
int report_fail(report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets r->err from the connection's last error, prefixed by what, and
 * returns -1. */
int report_sql_fail(report *r, const char *what);

/* Byte strings to dense indices 0, 1, ... in order of first appearance
 * (report_hash.c).  Zero-initialize; report_hash_free() when done. */
struct report_hash_entry {
	uint64_t hash;
	size_t off, len; /* the key's bytes in keys */
};
typedef struct report_hash {
	struct report_hash_entry *entries;
	size_t count, entry_cap;
	size_t *slots; /* entry index + 1; 0 = empty */
	size_t slot_cap;
	unsigned char *keys;
	size_t keys_len, keys_cap;
} report_hash;

/* The index of key, added when new (*added set then); SIZE_MAX when
 * memory runs out. */
size_t report_hash_put(report_hash *h, const void *key, size_t len, bool *added);
/* The index of key, or SIZE_MAX when it is not there. */
size_t report_hash_get(const report_hash *h, const void *key, size_t len);
/* Key index's bytes (*len of them). */
const unsigned char *report_hash_key(const report_hash *h, size_t index, size_t *len);
void report_hash_free(report_hash *h);

/* Appends n bytes from p to *buf (*len used, *cap allocated), growing it.
 * False when memory runs out or the size would overflow. */
bool report_bytes_append(unsigned char **buf, size_t *len, size_t *cap, const void *p, size_t n);

/* Grows the n arrays arrays[0..n-1] (*arrays[i] each, elements of size
 * size, all *cap long) to hold element index.  False when memory runs out
 * or the size would overflow; the arrays stay valid either way. */
bool report_arrays_fit(void **arrays[], size_t n, size_t *cap, size_t size, size_t index);

/* Groups the rows of select_sql by their first `keys` columns and inserts
 * one row per group with insert_sql: the key columns, the group's row
 * count, then one figure per following column, as ops says ('s' sum, '<'
 * minimum, '>' maximum; integers).  With attempt_cols (columns of
 * rep_attempt, e.g. "trainee, pack_id"), the first column is an attempt's
 * uuid: it stands for those columns of the attempt (the key and the
 * INSERT's values start with them), found by hashing rather than by a
 * join per row, and rows of attempts not in rep_attempt are passed over.
 * Hashing, where SQLite's GROUP BY would sort every row (report_agg.c).
 * Fails with r->err set. */
int report_aggregate(report *r, const char *select_sql, const char *attempt_cols, int keys,
                     const char *ops, const char *insert_sql);

/* Fills temp.rep_weak: each trainee's weakest indicator and feature per
 * pack (report_scan.c).  Fails with r->err set. */
int report_weakest(report *r);

/* Fills temp.rep_tgt: each trainee's settlements per pack against the key
 * (report_scan.c).  Fails with r->err set. */
int report_targeting(report *r);

/* IPR_DRILL_REPORT_TIMING=1 (for bench/report-bench.sh and for finding a
 * slow step): report_timer_start() gives the time now (negative when
 * timing is off), report_timer_done() prints on stderr how long what took
 * since then. */
double report_timer_start(void);
void report_timer_done(double start, const char *what);

/* IPR_DRILL_REPORT_PLAN=1 prints sql's query plan on stderr (for finding
 * a slow view or step). */
void report_print_plan(report *r, const char *sql);

/* Builds the derived tables in need that are not built yet.  Fails on a
 * database error (message in r->err). */
int report_need(report *r, unsigned need);

/* What view v needs built before its SQL runs. */
unsigned report_view_needs(enum report_view v);

/* Makes sure the connection has sqrt() (SQLite's math functions are a
 * build option): registers a C one when it is missing.  Returns an SQLite
 * result code. */
int report_stats_register(sqlite3 *db);

/* The distribution of the attempts' percentages in ten bins (0-10, ...,
 * 90-100): counts[10].  Fails on a database error. */
int report_stats_histogram(report *r, int64_t counts[10]);

/* Runs one of the views' prepared statements into a table. */
int report_table_from_stmt(report *r, sqlite3_stmt *st, enum report_view v, report_table *out);

/* Formatters (report_write.c dispatches). */
int report_format_text(report *r, const enum report_view *views, size_t n, size_t width, FILE *out);
int report_format_csv(report *r, enum report_view view, FILE *out);
int report_format_json(report *r, const enum report_view *views, size_t n, FILE *out);
int report_format_html(report *r, const enum report_view *views, size_t n, FILE *out);

/* A cell as display text, newly allocated ("" for NULL when null_text is
 * NULL); reals with one decimal.  NULL when memory runs out. */
char *report_cell_text(const report_cell *c, const char *null_text);

#endif
