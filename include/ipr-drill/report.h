/* report.h - the instructor's side: reading the results store for reports,
 * item analysis, the live dashboard, merging, export and regrading.
 *
 * The report module reads (and, for merge and regrade, writes) the results
 * database through the store's connection; it never draws on a terminal:
 * text reports are written to a FILE, and the dashboard's data is handed to
 * the TUI as plain values. */
#ifndef IPR_DRILL_REPORT_H
#define IPR_DRILL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ipr-drill/engine.h"
#include "ipr-drill/pack.h"
#include "ipr-drill/store.h"

/* ==== reports and statistics (owned by the reports work) ==== */

/* A report reads the attempts that pass a filter once, into temporary
 * tables of the store's connection (so the database is read in one short
 * transaction and trainees' writes are not held up while the report is
 * formatted), then answers any number of views from them.
 *
 * Statistics follow Moodle's quiz statistics (docs/instructor-guide.md,
 * "Reports"): percentages of the item's score range, sample variances
 * (n - 1), discrimination as the correlation of an item with the rest of
 * the test.  A figure that is undefined (too few attempts, zero variance)
 * is SQL NULL: "-" in text and HTML, empty in CSV, null in JSON. */

enum report_view {
	REPORT_VIEW_TRAINEE,   /* per trainee and pack: scores, parts, weak spots, trend */
	REPORT_VIEW_PACK,      /* per pack: mean, SD, Cronbach's alpha (CIC) */
	REPORT_VIEW_ITEM,      /* per shipment, item, question: facility, SD, discrimination */
	REPORT_VIEW_TARGETING, /* confusion matrix per trainee, and overall */
	REPORT_VIEW_INDICATOR, /* recall and precision per indicator id */
	REPORT_VIEW_FEATURE,   /* per product feature: cited as evidence, fakes passed */
	REPORT_VIEW_GROUP,     /* per group tag */
	REPORT_VIEW_COUNTRY,   /* per trainee country */
	REPORT_VIEW_COUNT
};

/* "trainee", "pack", "item", "targeting", "indicator", "feature", "group",
 * "country"; "?" when out of range. */
const char *report_view_name(enum report_view v);

/* A view's heading, e.g. "Pack item analysis"; "?" when out of range. */
const char *report_view_title(enum report_view v);

/* Finds a view by name.  Returns false when there is none. */
bool report_view_parse(const char *name, enum report_view *out);

/* Which finished attempts of each trainee and pack count. */
enum report_attempts {
	REPORT_ATTEMPTS_ALL,  /* every finished attempt */
	REPORT_ATTEMPTS_BEST, /* the best by share of the maximum (then the latest) */
	REPORT_ATTEMPTS_LAST, /* the latest finished */
};

/* Filters; NULL or "" means "any".  since/until are dates (YYYY-MM-DD,
 * until inclusive) or ISO 8601 UTC times, compared with the attempt's
 * start. */
typedef struct report_filter {
	const char *pack_id;
	const char *trainee;
	const char *group;
	const char *since;
	const char *until;
	enum report_attempts attempts;
} report_filter;

typedef struct report report;

/* Reads the attempts of s that pass f (NULL: no filter) into a new report.
 * packs[0..pack_count) are the packs the attempts may come from (borrowed
 * for the report's life; may be NULL with 0): a pack's answer key gives the
 * targeting, indicator and feature views and the items' score ranges;
 * attempts of packs not given still count in the score views (item ranges
 * then come from the scores seen).  Fails, with a message in err, on a
 * malformed date, a database error or when memory runs out. */
int report_open(store *s, const pack *const *packs, size_t pack_count, const report_filter *f,
                report **out, char *err, size_t errlen);

/* Drops the report's temporary tables and frees it; NULL is ignored. */
void report_close(report *r);

/* Number of finished attempts the report covers. */
int64_t report_attempt_count(const report *r);

enum report_cell_type { REPORT_NULL, REPORT_INT, REPORT_REAL, REPORT_TEXT };

typedef struct report_cell {
	enum report_cell_type type;
	int64_t i;
	double d;
	char *text; /* REPORT_TEXT only; UTF-8 as stored (not sanitized) */
} report_cell;

/* One view as a table: cells[row * cols + col]. */
typedef struct report_table {
	enum report_view view;
	size_t cols, rows;
	char **names; /* column names */
	report_cell *cells;
} report_table;

/* Computes view v into *out (free with report_table_free()).  Fails on a
 * database error or when memory runs out (message in report_errmsg()). */
int report_table_get(report *r, enum report_view v, report_table *out);

/* Frees the table's contents and zeroes it; NULL is ignored. */
void report_table_free(report_table *t);

/* The cell of row in the column named col, or NULL when there is no such
 * row or column. */
const report_cell *report_cell_at(const report_table *t, size_t row, const char *col);

/* The message of the last failure on r. */
const char *report_errmsg(const report *r);

/* The SQL a view runs over the report's temporary tables; the bare
 * aggregate over the database's attempt summaries (table scored) that
 * bench/report-bench.sh compares it with; and the same aggregate over the
 * raw responses, as reports read them before the summaries (static
 * storage; "" when out of range). */
const char *report_view_sql(enum report_view v);
const char *report_bare_sql(enum report_view v);
const char *report_bare_raw_sql(enum report_view v);

enum report_format { REPORT_TEXT_FORMAT, REPORT_CSV, REPORT_JSON, REPORT_HTML };

typedef struct report_output {
	enum report_format format;
	size_t width; /* text: the terminal's width in columns; 0 for no limit */
} report_output;

/* Writes views[0..n) to out in the chosen format: text tables (values
 * stripped of control characters, columns fitted to o->width), CSV
 * (RFC 4180; only the first view: one table per file), one JSON document,
 * or one self-contained HTML page with SVG charts.  Fails on a database
 * error, a write error or when memory runs out (message in
 * report_errmsg()). */
int report_write(report *r, const enum report_view *views, size_t n, const report_output *o,
                 FILE *out);

/* ==== merge, export, regrade, dashboard (owned by the merge work) ==== */

/* ---- merge ---- */

/* What one source brought into the destination. */
typedef struct report_merge_stats {
	int64_t attempts_added;    /* attempts the destination did not have */
	int64_t attempts_updated;  /* known attempts that gained responses or their end */
	int64_t attempts_skipped;  /* known attempts with nothing new */
	int64_t attempts_conflict; /* same UUID, another trainee: left alone */
	int64_t responses_added;
	int64_t trainees_added; /* names the destination did not know */
} report_merge_stats;

/* Copies every trainee, attempt and response of the database at src_path
 * into dest, in one transaction.  Attempts are matched by UUID (merging a
 * file twice adds nothing) and trainees by name.  The source is untrusted:
 * it is opened read-only with defensive settings, no trigger or view of it
 * runs, and only its trainee, attempt and response tables are read.
 * Fails, with a message in err and dest unchanged, when the source cannot
 * be opened, is not an ipr-drill results database (application_id,
 * user_version), fails integrity_check, holds a malformed value, or on a
 * database error. */
int report_merge(store *dest, const char *src_path, report_merge_stats *out, char *err,
                 size_t errlen);

/* ---- export ---- */

enum report_export_format { REPORT_EXPORT_CSV, REPORT_EXPORT_JSON, REPORT_EXPORT_XAPI };

typedef struct report_export_options {
	enum report_export_format format;
	bool attempts_only; /* csv: one row per attempt instead of per response */
	/* Filters; NULL for any.  since/until: YYYY-MM-DD (whole days, UTC) or
	 * a full ISO 8601 UTC time, compared with the attempt's start. */
	const char *pack_id, *trainee, *group_tag, *since, *until;
	/* xAPI: the IRI every activity id and the actor's account homePage
	 * start with; NULL for REPORT_XAPI_DEFAULT_BASE.  Must end with '/'. */
	const char *activity_base;
	/* xAPI: passed/failed at this percent of the maximum; < 0: completed. */
	double pass_percent;
} report_export_options;

#define REPORT_XAPI_DEFAULT_BASE "https://ipr-drill.example/"

/* Writes the selected attempts to out: csv (RFC 4180, CRLF, a header
 * row), json (an array of attempts with their responses) or xapi (an
 * array of xAPI 1.0.3 statements, one per response and one per attempt,
 * with stable statement ids so a re-export is recognised by the LRS).
 * Fails, with a message in err, on a malformed filter or base IRI, a
 * database error or a write error (output may then be partial). */
int report_export(store *s, const report_export_options *o, FILE *out, char *err, size_t errlen);

/* ---- regrade ---- */

typedef struct report_regrade_change {
	char *trainee;
	char uuid[STORE_UUID_SIZE];
	char *status;               /* "finished", "in-progress", "abandoned" */
	int64_t old_score, old_max; /* old_max -1 when the attempt has none */
	int64_t new_score, new_max;
	int64_t responses_changed; /* responses whose points changed */
	char *error;               /* NULL, or why the attempt could not be replayed */
} report_regrade_change;

typedef struct report_regrade_result {
	report_regrade_change *items; /* every attempt of the pack, oldest first */
	size_t count;
	size_t changed;     /* attempts whose score or maximum changed */
	size_t failed;      /* attempts that could not be replayed (left as they were) */
	int64_t regrade_id; /* the row of the regrade table; 0 for a dry run */
} report_regrade_result;

/* Re-scores every stored attempt of p's id by replaying its raw answers
 * into an engine over p: responses get the points the engine now gives,
 * finished attempts their new score, maximum and stage scores, and every
 * regraded attempt the pack's version and pack_sha256 (the SHA-256 of the
 * corrected file, so it can be resumed).  A row in table regrade (and one
 * per attempt in regrade_attempt) records it.  With dry_run nothing is
 * written.  An attempt whose answers no longer fit the pack is left
 * unchanged and reported in its error.  Fails, with a message in err and
 * nothing written, on a database error or when memory runs out. */
int report_regrade(store *s, const pack *p, const char *pack_sha256, bool dry_run,
                   report_regrade_result *out, char *err, size_t errlen);

void report_regrade_result_free(report_regrade_result *r);

/* ---- the live dashboard's data ---- */

/* One scored decision of a trainee, for the instructor. */
typedef struct report_dash_decision {
	char *what;  /* "targeting SHP-1", "verdict SHP-1 item 2", "question q3" */
	char *given; /* the trainee's answer */
	char *key;   /* the answer key */
	int64_t points, best;
	bool correct;
} report_dash_decision;

/* A trainee's latest attempt. */
typedef struct report_dash_row {
	char *trainee, *pack_id, *group_tag, *status;
	char uuid[STORE_UUID_SIZE];
	const char *stage;  /* engine_stage_name(), or "?" when the pack is not found */
	int64_t done, todo; /* progress within the stage; todo 0 when unknown */
	int64_t score;      /* points so far */
	int64_t best;       /* the most the decisions so far could have earned */
	int64_t elapsed_ms; /* active time (sum of the responses' time) */
	int64_t responses;
	report_dash_decision *decisions;
	size_t decision_count;
} report_dash_row;

typedef struct report_dash_snapshot {
	report_dash_row *rows; /* by trainee name */
	size_t count;
	uint64_t generation; /* increases each time the rows change */
} report_dash_snapshot;

/* Finds the pack an attempt was taken on; NULL when not available. */
typedef const pack *(*report_pack_lookup)(void *ctx, const char *pack_id);

typedef struct report_dash report_dash;

/* Opens the database at path read-only for the dashboard.  group_tag (NULL
 * for all) limits the rows to one group.  Fails, with a message in err,
 * as store_open() does for STORE_OPEN_READONLY, or when memory runs out. */
int report_dash_open(const char *path, const char *group_tag, report_pack_lookup lookup,
                     void *lookup_ctx, report_dash **out, char *err, size_t errlen);

/* Re-reads the database when another connection changed it (PRAGMA
 * data_version), in one short read transaction that is over before it
 * returns; *changed tells whether the snapshot changed.  A busy database
 * is not a failure: the old snapshot stays and *changed is false.  Fails,
 * with a message in report_dash_errmsg(), on another database error or
 * when memory runs out (the old snapshot then stays valid). */
int report_dash_poll(report_dash *d, bool *changed);

const report_dash_snapshot *report_dash_snapshot_get(const report_dash *d);
const char *report_dash_errmsg(const report_dash *d);
void report_dash_close(report_dash *d);

#endif
