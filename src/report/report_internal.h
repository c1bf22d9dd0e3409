/* report_internal.h - what the report module's source files share (the
 * reports and statistics part); nothing here is public. */
#ifndef IPR_DRILL_REPORT_INTERNAL_H
#define IPR_DRILL_REPORT_INTERNAL_H

#include "ipr-drill/report.h"

#include <sqlite3.h>

#define REPORT_ERR_SIZE 512

/* Derived tables a view needs (report_need()). */
enum report_need_flags {
	REPORT_NEED_TIME = 1u << 0,    /* rep_attempt.time_ms */
	REPORT_NEED_TARGET = 1u << 1,  /* rep_target */
	REPORT_NEED_FLAG = 1u << 2,    /* rep_flag */
	REPORT_NEED_VERDICT = 1u << 3, /* rep_verdict */
	REPORT_NEED_CITE = 1u << 4,    /* rep_cite */
	REPORT_NEED_SCORE = 1u << 5,   /* rep_item (seen items), rep_score */
	REPORT_NEED_WEAK = 1u << 6,    /* rep_weak (after the four above) */
};

struct report {
	store *s;
	sqlite3 *db;
	int64_t attempts;
	unsigned built;   /* enum report_need_flags already built */
	const char *from; /* how the derived tables reach the responses */
	char err[REPORT_ERR_SIZE];
};

/* Sets r->err from fmt and returns -1. */
int report_fail(report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets r->err from the connection's last error, prefixed by what, and
 * returns -1. */
int report_sql_fail(report *r, const char *what);

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
