/* internal.h - what the store's source files share; nothing here is
 * public. */
#ifndef IPR_DRILL_STORE_INTERNAL_H
#define IPR_DRILL_STORE_INTERNAL_H

#include "ipr-drill/store.h"

#include <sqlite3.h>

/* Each write waits this long for the lock inside SQLite, then the whole
 * transaction is retried up to STORE_BUSY_RETRIES times: a trainee waits,
 * they never see "database is locked". */
#define STORE_BUSY_TIMEOUT_MS 10000
#define STORE_BUSY_RETRIES    8

/* The current time as SQL: ISO 8601 UTC with milliseconds. */
#define STORE_NOW_SQL "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

/* Fills the summary (table scored) of the finished attempts among those
 * whose uuids the JSON array ?1 lists, from their responses, in one
 * statement (a merge of thousands of attempts pays for one statement, not
 * one per attempt): per scored unit the sum of its non-zero points (a
 * question's id alone names it, else the shipment and item), then the
 * settlement and verdict decisions that count, as the trainer's replay
 * counts them: the first "target:" of a shipment and the first
 * "verdict:" of an item; the ids of its "indicators:" records for a
 * shipment so settled and of its "evidence:" records for an item so
 * judged, each id once.  So a report counts every row it reads, with no
 * check for repeats.  A list that does not make valid JSON (ids are
 * slugs; a doctored file's may not be) gives no rows. */
/* clang-format off */
#define STORE_SUMMARY_LIST(PREFIX, OFF, COND)                                                      \
	" SELECT x.u, x.seq, j.key, x.shipment_id, x.item_index, j.value FROM ("                   \
	"  SELECT u, seq, shipment_id, item_index,"                                                \
	"  '[\"' || replace(substr(answer, " OFF "), ',', '\",\"') || '\"]' AS list"               \
	"  FROM r WHERE " COND " AND answer GLOB '" PREFIX "') x,"                                 \
	" json_each(CASE WHEN json_valid(x.list) THEN x.list ELSE '[]' END) j WHERE j.value <> ''"

/* r: the responses that can give a row, read once (u: the attempt); tg
 * and vd: the first settlement of each shipment and verdict of each item.
 * An id listed twice keeps its first place (min(seq), then that record's
 * n). */
#define STORE_SUMMARY_FILL_SQL                                                                     \
	"WITH r AS MATERIALIZED (SELECT attempt_uuid AS u, seq, shipment_id, item_index,"         \
	" question_id, answer, points FROM response WHERE attempt_uuid IN (SELECT a.uuid"          \
	"  FROM json_each(?1) l JOIN attempt a ON a.uuid = l.value WHERE a.status = 'finished')"   \
	" AND (points <> 0 OR answer GLOB 'target:*' OR answer GLOB 'verdict:*'"                   \
	"  OR answer GLOB 'indicators:*' OR answer GLOB 'evidence:*')),"                           \
	"tg AS MATERIALIZED (SELECT u, min(seq) AS seq, shipment_id, answer FROM r"                \
	" WHERE shipment_id IS NOT NULL AND answer GLOB 'target:*' GROUP BY u, shipment_id),"      \
	"vd AS MATERIALIZED (SELECT u, min(seq) AS seq, shipment_id, item_index, answer FROM r"    \
	" WHERE shipment_id IS NOT NULL AND item_index IS NOT NULL AND answer GLOB 'verdict:*'"    \
	" GROUP BY u, shipment_id, item_index)"                                                    \
	" INSERT INTO scored(kind, attempt_uuid, seq, n, shipment_id, item_index, question_id,"    \
	" value, points)"                                                                          \
	" SELECT 'points', u, min(seq), 0, sid, idx, question_id, NULL, sum(points) FROM ("        \
	"  SELECT u, seq, question_id, points,"                                                    \
	"  CASE WHEN question_id IS NULL THEN shipment_id END AS sid,"                             \
	"  CASE WHEN question_id IS NULL THEN item_index END AS idx"                               \
	"  FROM r WHERE points <> 0 AND (question_id IS NOT NULL OR shipment_id IS NOT NULL))"     \
	" GROUP BY u, question_id, sid, idx"                                                       \
	" UNION ALL SELECT 'target', u, seq, 0, shipment_id, NULL, NULL, substr(answer, 8), 0"     \
	" FROM tg"                                                                                 \
	" UNION ALL SELECT 'verdict', u, seq, 0, shipment_id, item_index, NULL,"                   \
	" substr(answer, 9), 0 FROM vd"                                                            \
	" UNION ALL SELECT 'indicator', u, min(seq), key, shipment_id, NULL, NULL, value, 0"       \
	" FROM (" STORE_SUMMARY_LIST("indicators:*", "12",                                         \
	        "(u, shipment_id) IN (SELECT u, shipment_id FROM tg)") ")"                         \
	" GROUP BY u, shipment_id, value"                                                          \
	" UNION ALL SELECT 'evidence', u, min(seq), key, shipment_id, item_index, NULL, value, 0"  \
	" FROM (" STORE_SUMMARY_LIST("evidence:*", "10",                                           \
	        "shipment_id IS NOT NULL AND item_index IS NOT NULL"                               \
	        " AND (u, shipment_id, item_index) IN (SELECT u, shipment_id, item_index FROM vd)") \
	")"                                                                                        \
	" GROUP BY u, shipment_id, item_index, value"
/* clang-format on */

/* Every statement the store runs, prepared once at open. */
enum store_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_TRAINEE_UPSERT,
	ST_TRAINEE_FIND,
	ST_TRAINEE_EXISTS,
	ST_ATTEMPT_INSERT,
	ST_ATTEMPT_STATUS,
	ST_ATTEMPT_FINISH,
	ST_ATTEMPT_ABANDON,
	ST_ATTEMPT_RESUMABLE,
	ST_ATTEMPT_ALL,
	ST_ATTEMPT_GET,
	ST_RESPONSE_INSERT,
	ST_RESPONSES,
	ST_BEST,
	ST_INTEGRITY,
	ST_FK_CHECK,
	ST_SUMMARY_CLEAR,
	ST_SUMMARY_FILL,
	ST_COUNT
};

struct store {
	sqlite3 *db;
	char *path;
	bool readonly;
	sqlite3_stmt *stmt[ST_COUNT];
	char err[STORE_ERR_SIZE];
};

/* A unit of work run inside a transaction (writes) or retried as a whole
 * (reads).  Returns SQLITE_OK, an SQLite error code (SQLITE_BUSY makes
 * the caller retry; others are reported with sqlite3_errmsg), or
 * STORE_FN_FAILED after setting s->err itself. */
typedef int (*store_fn)(store *s, void *ctx);
#define STORE_FN_FAILED (-1)

/* Sets s->err from fmt and returns -1. */
int store_fail(store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Runs fn inside BEGIN IMMEDIATE ... COMMIT, retrying the whole
 * transaction while the database is busy.  what names the operation for
 * messages ("cannot record the response").  Returns 0 or -1. */
int store_run_write(store *s, const char *what, store_fn fn, void *ctx);

/* Runs fn (autocommit reads), retrying while busy.  fn must leave no
 * partial result behind when it returns SQLITE_BUSY.  Returns 0 or -1. */
int store_run_read(store *s, const char *what, store_fn fn, void *ctx);

/* Resets st and clears its bindings, ready for the next use. */
void store_stmt_done(sqlite3_stmt *st);

/* True for the result codes that mean "someone else holds the lock". */
bool store_is_busy(int rc);

#endif
