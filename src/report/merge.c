/* merge.c - bringing the attempts of trainees' laptops into one database.
 *
 * The source file comes from someone else's machine, so it is treated as
 * hostile: it is opened read-only on a connection of its own with the
 * defensive settings, triggers and views off and trusted_schema off; its
 * header and integrity are checked before anything is read; only the three
 * tables are read, by name, after checking they are plain tables.  Values
 * are bound one by one into the destination's statements, so the
 * destination's STRICT types and CHECK constraints vet them again. */
#include "ipr-drill/report.h"
#include "ipr-drill/text.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The columns copied from a source's response table, in the order the
 * destination's insert binds them. */
#define RESPONSE_COPY_COLUMNS                                                                      \
	"seq, stage, shipment_id, item_index, question_id, answer, points, time_ms, answered_at,"  \
	" part"
#define RESPONSE_COPY_COUNT 10

static const char *const SRC_ATTEMPTS_SQL =
        "SELECT a.uuid, t.name, t.organisation, t.country, a.pack_id, a.pack_version,"
        " a.pack_sha256, a.mode, a.seed, a.group_tag, a.started_at, a.ended_at, a.status,"
        " a.score, a.max_score, a.stage_scores"
        " FROM main.attempt a JOIN main.trainee t ON t.id = a.trainee_id"
        " ORDER BY a.started_at, a.uuid";

static const char *const SRC_RESPONSES_SQL =
        "SELECT " RESPONSE_COPY_COLUMNS " FROM main.response WHERE attempt_uuid = ?1"
        " ORDER BY seq";

enum {
	A_UUID,
	A_NAME,
	A_ORG,
	A_COUNTRY,
	A_PACK,
	A_VERSION,
	A_SHA,
	A_MODE,
	A_SEED,
	A_GROUP,
	A_STARTED,
	A_ENDED,
	A_STATUS,
	A_SCORE,
	A_MAX,
	A_STAGES,
	A_COUNT
};

enum dst_stmt {
	D_TRAINEE_FIND,
	D_TRAINEE_ADD,
	D_TRAINEE_FILL,
	D_ATTEMPT_FIND,
	D_ATTEMPT_ADD,
	D_ATTEMPT_END,
	D_RESPONSE_ADD,
	D_COUNT
};

static const char *const dst_sql[D_COUNT] = {
        [D_TRAINEE_FIND] = "SELECT id FROM trainee WHERE name = ?1",
        [D_TRAINEE_ADD] = "INSERT INTO trainee(name, organisation, country, created)"
                          " VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
                          " RETURNING id",
        /* A merge fills what the destination lacks and never overwrites. */
        [D_TRAINEE_FILL] = "UPDATE trainee SET organisation = coalesce(organisation, ?2),"
                           " country = coalesce(country, ?3) WHERE id = ?1",
        [D_ATTEMPT_FIND] = "SELECT t.name, a.status FROM attempt a"
                           " JOIN trainee t ON t.id = a.trainee_id WHERE a.uuid = ?1",
        [D_ATTEMPT_ADD] = "INSERT INTO attempt(uuid, trainee_id, pack_id, pack_version,"
                          " pack_sha256, mode, seed, group_tag, started_at, ended_at, status,"
                          " score, max_score, stage_scores)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        /* An attempt copied while it was in progress, now over. */
        [D_ATTEMPT_END] = "UPDATE attempt SET ended_at = ?2, status = ?3, score = ?4,"
                          " max_score = ?5, stage_scores = ?6"
                          " WHERE uuid = ?1 AND status = 'in-progress' AND ?3 <> 'in-progress'",
        [D_RESPONSE_ADD] = "INSERT INTO response(attempt_uuid, " RESPONSE_COPY_COLUMNS ")"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                           " ON CONFLICT (attempt_uuid, seq) DO NOTHING",
};

struct merge {
	store *dest; /* the store of dst */
	sqlite3 *src, *dst;
	const char *src_path;
	sqlite3_stmt *d[D_COUNT];
	sqlite3_stmt *src_resp;
	report_merge_stats st;
	char *err;
	size_t errlen;
};

static int fail(struct merge *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct merge *m, const char *fmt, ...)
{
	if (m->err && m->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(m->err, m->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ---- the source ---- */

static int open_source(struct merge *m)
{
	int rc = sqlite3_open_v2(m->src_path, &m->src, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_extended_result_codes(m->src, 1);
	/* Before the first byte of the file is read: nothing in it may run. */
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(m->src, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(m->src, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(m->src, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(m->src, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(m->src, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
		                       (int *)NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(m->src, "PRAGMA trusted_schema = OFF; PRAGMA query_only = ON",
		                  NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(m->src, 5000);
	if (rc != SQLITE_OK)
		return fail(m, "cannot open %s: %s", m->src_path,
		            m->src ? sqlite3_errmsg(m->src) : sqlite3_errstr(rc));
	return 0;
}

/* One integer from a pragma-like query; -1 on error (message set). */
static int query_int(struct merge *m, const char *sql, long long *v)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(m->src, sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		return 0;
	if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
		return fail(
		        m,
		        "%s is not an ipr-drill results database (not an SQLite file, or damaged)",
		        m->src_path);
	return fail(m, "cannot read %s: %s", m->src_path, sqlite3_errmsg(m->src));
}

static int check_source(struct merge *m)
{
	long long app = 0, version = 0, tables = 0;
	if (query_int(m, "PRAGMA application_id", &app) != 0 ||
	    query_int(m, "PRAGMA user_version", &version) != 0)
		return -1;
	if (app != STORE_APPLICATION_ID)
		return fail(m,
		            "%s is not an ipr-drill results database (application id 0x%08llx); "
		            "nothing was merged from it",
		            m->src_path, (unsigned long long)app & 0xffffffffu);
	if (version != STORE_SCHEMA_VERSION)
		return fail(m, "%s has results schema %lld, this ipr-drill merges schema %d: %s",
		            m->src_path, version, STORE_SCHEMA_VERSION,
		            version > STORE_SCHEMA_VERSION
		                    ? "upgrade ipr-drill"
		                    : "open it once with this ipr-drill's trainer to upgrade it");

	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(m->src, "PRAGMA integrity_check", -1, &st, NULL);
	char first[256] = "";
	bool ok = false;
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(st, 0);
		ok = r && strcmp(r, "ok") == 0;
		char *safe = text_sanitize(r ? r : "", false);
		snprintf(first, sizeof first, "%s", safe ? safe : "");
		free(safe);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK || !ok)
		return fail(m, "%s fails the integrity check (%s); nothing was merged from it",
		            m->src_path, rc != SQLITE_OK ? sqlite3_errmsg(m->src) : first);

	/* The three names must be plain tables: a view of that name would run
	 * the source's SQL (views are off, but say why clearly). */
	if (query_int(m,
	              "SELECT count(*) FROM main.sqlite_schema WHERE type = 'table'"
	              " AND name IN ('trainee', 'attempt', 'response')",
	              &tables) != 0)
		return -1;
	if (tables != 3)
		return fail(m,
		            "%s lacks the trainee, attempt and response tables of an ipr-drill "
		            "results database; nothing was merged from it",
		            m->src_path);
	return 0;
}

/* ---- checks on values the destination's constraints do not cover ---- */

static bool text_ok(sqlite3_stmt *st, int col, bool nullable, size_t max, bool allow_nl)
{
	int type = sqlite3_column_type(st, col);
	if (type == SQLITE_NULL)
		return nullable;
	if (type != SQLITE_TEXT)
		return false;
	const char *s = (const char *)sqlite3_column_text(st, col);
	size_t len = (size_t)sqlite3_column_bytes(st, col);
	if (!s || len > max || memchr(s, '\0', len))
		return false;
	return text_utf8_valid(s, len) && text_find_control(s, len, allow_nl) < 0;
}

static int bad_value(struct merge *m, const char *what, const char *uuid)
{
	char *safe = text_sanitize(uuid ? uuid : "?", false);
	fail(m, "%s holds a malformed %s (attempt %s); nothing was merged from it", m->src_path,
	     what, safe ? safe : "?");
	free(safe);
	return -1;
}

static int check_attempt_row(struct merge *m, sqlite3_stmt *a)
{
	const char *uuid = (const char *)sqlite3_column_text(a, A_UUID);
	if (!text_ok(a, A_UUID, false, STORE_UUID_SIZE - 1, false))
		return bad_value(m, "attempt UUID", NULL);
	if (!text_ok(a, A_NAME, false, STORE_MAX_FIELD, false) ||
	    sqlite3_column_bytes(a, A_NAME) == 0)
		return bad_value(m, "trainee name", uuid);
	if (!text_ok(a, A_ORG, true, STORE_MAX_FIELD, false) ||
	    !text_ok(a, A_COUNTRY, true, STORE_MAX_FIELD, false))
		return bad_value(m, "organisation or country", uuid);
	if (!text_ok(a, A_PACK, false, STORE_MAX_FIELD, false) ||
	    !text_ok(a, A_VERSION, false, STORE_MAX_FIELD, false) ||
	    !text_ok(a, A_GROUP, true, STORE_MAX_FIELD, false))
		return bad_value(m, "pack id, version or group", uuid);
	if (!text_ok(a, A_STARTED, false, 64, false) || !text_ok(a, A_ENDED, true, 64, false))
		return bad_value(m, "time", uuid);
	if (!text_ok(a, A_STAGES, true, STORE_MAX_ANSWER, false))
		return bad_value(m, "stage scores", uuid);
	return 0;
}

/* ---- the destination ---- */

static int dst_error(struct merge *m, int rc, const char *what)
{
	return fail(m, "cannot merge %s into %s (%s): %s%s", m->src_path, "the destination", what,
	            sqlite3_errmsg(m->dst),
	            (rc & 0xff) == SQLITE_CONSTRAINT ? " (the source holds a value the results "
	                                               "schema does not allow)"
	                                             : "");
}

/* The destination's id of the attempt's trainee, added when missing. */
static int trainee_id(struct merge *m, sqlite3_stmt *a, sqlite3_int64 *id)
{
	sqlite3_stmt *st = m->d[D_TRAINEE_FIND];
	sqlite3_bind_value(st, 1, sqlite3_column_value(a, A_NAME));
	int rc = sqlite3_step(st);
	bool found = rc == SQLITE_ROW;
	if (found)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return dst_error(m, rc, "trainee");
	st = m->d[found ? D_TRAINEE_FILL : D_TRAINEE_ADD];
	if (found)
		sqlite3_bind_int64(st, 1, *id);
	else
		sqlite3_bind_value(st, 1, sqlite3_column_value(a, A_NAME));
	sqlite3_bind_value(st, 2, sqlite3_column_value(a, A_ORG));
	sqlite3_bind_value(st, 3, sqlite3_column_value(a, A_COUNTRY));
	rc = sqlite3_step(st);
	if (!found && rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		m->st.trainees_added++;
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dst_error(m, rc, "trainee");
	return 0;
}

/* Copies the source's responses of one attempt; those the destination has
 * (same seq) are left alone.  Stores how many were added in *added. */
static int copy_responses(struct merge *m, sqlite3_value *uuid, int64_t *added)
{
	sqlite3_stmt *r = m->src_resp, *ins = m->d[D_RESPONSE_ADD];
	*added = 0;
	sqlite3_bind_value(r, 1, uuid);
	int rc;
	while ((rc = sqlite3_step(r)) == SQLITE_ROW) {
		/* stage, shipment_id, question_id, answer, answered_at, part */
		if (!text_ok(r, 1, false, STORE_MAX_FIELD, false) ||
		    !text_ok(r, 2, true, STORE_MAX_FIELD, false) ||
		    !text_ok(r, 4, true, STORE_MAX_FIELD, false) ||
		    !text_ok(r, 5, false, STORE_MAX_ANSWER, true) ||
		    !text_ok(r, 8, false, 64, false) ||
		    !text_ok(r, 9, true, STORE_MAX_FIELD, false)) {
			sqlite3_reset(r);
			return bad_value(m, "response", (const char *)sqlite3_value_text(uuid));
		}
		sqlite3_bind_value(ins, 1, uuid);
		for (int c = 0; c < RESPONSE_COPY_COUNT; c++)
			sqlite3_bind_value(ins, c + 2, sqlite3_column_value(r, c));
		int irc = sqlite3_step(ins);
		sqlite3_reset(ins);
		if (irc != SQLITE_DONE) {
			sqlite3_reset(r);
			return dst_error(m, irc, "response");
		}
		*added += sqlite3_changes(m->dst);
	}
	sqlite3_reset(r);
	if (rc != SQLITE_DONE)
		return fail(m, "cannot read the responses of %s: %s", m->src_path,
		            sqlite3_errmsg(m->src));
	return 0;
}

static int merge_attempt(struct merge *m, sqlite3_stmt *a)
{
	if (check_attempt_row(m, a) != 0)
		return -1;
	sqlite3_stmt *f = m->d[D_ATTEMPT_FIND];
	sqlite3_bind_value(f, 1, sqlite3_column_value(a, A_UUID));
	int rc = sqlite3_step(f);
	bool known = rc == SQLITE_ROW;
	bool same_trainee = known &&
	                    sqlite3_column_bytes(f, 0) == sqlite3_column_bytes(a, A_NAME) &&
	                    memcmp(sqlite3_column_blob(f, 0), sqlite3_column_blob(a, A_NAME),
	                           (size_t)sqlite3_column_bytes(a, A_NAME)) == 0;
	sqlite3_reset(f);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return dst_error(m, rc, "attempt");
	if (known && !same_trainee) {
		/* A UUID clash between two people: never mix their answers. */
		m->st.attempts_conflict++;
		return 0;
	}

	int64_t added = 0;
	if (!known) {
		sqlite3_int64 tid = 0;
		if (trainee_id(m, a, &tid) != 0)
			return -1;
		sqlite3_stmt *ins = m->d[D_ATTEMPT_ADD];
		sqlite3_bind_value(ins, 1, sqlite3_column_value(a, A_UUID));
		sqlite3_bind_int64(ins, 2, tid);
		for (int c = A_PACK; c < A_COUNT; c++)
			sqlite3_bind_value(ins, c - A_PACK + 3, sqlite3_column_value(a, c));
		rc = sqlite3_step(ins);
		sqlite3_reset(ins);
		if (rc != SQLITE_DONE)
			return dst_error(m, rc, "attempt");
		if (copy_responses(m, sqlite3_column_value(a, A_UUID), &added) != 0)
			return -1;
		m->st.attempts_added++;
		m->st.responses_added += added;
		return 0;
	}

	/* Known: the source may be a later copy of the same attempt. */
	if (copy_responses(m, sqlite3_column_value(a, A_UUID), &added) != 0)
		return -1;
	sqlite3_stmt *up = m->d[D_ATTEMPT_END];
	sqlite3_bind_value(up, 1, sqlite3_column_value(a, A_UUID));
	sqlite3_bind_value(up, 2, sqlite3_column_value(a, A_ENDED));
	sqlite3_bind_value(up, 3, sqlite3_column_value(a, A_STATUS));
	sqlite3_bind_value(up, 4, sqlite3_column_value(a, A_SCORE));
	sqlite3_bind_value(up, 5, sqlite3_column_value(a, A_MAX));
	sqlite3_bind_value(up, 6, sqlite3_column_value(a, A_STAGES));
	rc = sqlite3_step(up);
	sqlite3_reset(up);
	if (rc != SQLITE_DONE)
		return dst_error(m, rc, "attempt");
	int ended = sqlite3_changes(m->dst);
	m->st.responses_added += added;
	if (added > 0 || ended > 0)
		m->st.attempts_updated++;
	else
		m->st.attempts_skipped++;
	return 0;
}

/* The uuids of the attempts a merge added or updated. */
struct changed {
	char **uuids;
	size_t count, cap;
};

static bool changed_add(struct changed *c, const char *uuid)
{
	if (c->count == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		if (ncap > SIZE_MAX / sizeof *c->uuids)
			return false;
		char **n = realloc(c->uuids, ncap * sizeof *n);
		if (!n)
			return false;
		c->uuids = n;
		c->cap = ncap;
	}
	if (!(c->uuids[c->count] = strdup(uuid)))
		return false;
	c->count++;
	return true;
}

static void changed_free(struct changed *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->uuids[i]);
	free(c->uuids);
}

static int merge_all(struct merge *m)
{
	for (int i = 0; i < D_COUNT; i++) {
		int rc = sqlite3_prepare_v2(m->dst, dst_sql[i], -1, &m->d[i], NULL);
		if (rc != SQLITE_OK)
			return dst_error(m, rc, "preparing");
	}
	sqlite3_stmt *a = NULL;
	int rc = sqlite3_prepare_v2(m->src, SRC_ATTEMPTS_SQL, -1, &a, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(m->src, SRC_RESPONSES_SQL, -1, &m->src_resp, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(a);
		return fail(m, "%s does not have the columns of an ipr-drill results database (%s)",
		            m->src_path, sqlite3_errmsg(m->src));
	}
	/* One read transaction on the source: a consistent picture even if a
	 * trainer is still writing to it. */
	rc = sqlite3_exec(m->src, "BEGIN", NULL, NULL, NULL);
	int result = 0;
	struct changed changed = {0};
	while (rc == SQLITE_OK || rc == SQLITE_ROW) {
		if ((rc = sqlite3_step(a)) != SQLITE_ROW)
			break;
		int64_t before = m->st.attempts_added + m->st.attempts_updated;
		if (merge_attempt(m, a) != 0) {
			result = -1;
			break;
		}
		const char *uuid = (const char *)sqlite3_column_text(a, A_UUID);
		if (m->st.attempts_added + m->st.attempts_updated != before && uuid &&
		    !changed_add(&changed, uuid)) {
			result = fail(m, "out of memory while merging %s", m->src_path);
			break;
		}
	}
	if (result == 0 && rc != SQLITE_DONE)
		result = fail(m, "cannot read %s: %s", m->src_path, sqlite3_errmsg(m->src));
	sqlite3_finalize(a);
	sqlite3_exec(m->src, "COMMIT", NULL, NULL, NULL);
	/* The attempts added or updated get their summaries for the reports
	 * (issue 5) from the responses now in the destination, all at once. */
	if (result == 0 && changed.count > 0 &&
	    (rc = store_summaries_refresh(m->dest, (const char *const *)changed.uuids,
	                                  changed.count)) != SQLITE_OK)
		result = dst_error(m, rc, "attempt summaries");
	changed_free(&changed);
	return result;
}

int report_merge(store *dest, const char *src_path, report_merge_stats *out, char *err,
                 size_t errlen)
{
	struct merge m = {.dest = dest,
	                  .dst = store_handle(dest),
	                  .src_path = src_path,
	                  .err = err,
	                  .errlen = errlen};
	if (out)
		memset(out, 0, sizeof *out);
	if (!src_path || !src_path[0]) {
		text_errf(err, errlen, "no source database given");
		return -1;
	}
	int result = open_source(&m);
	if (result == 0)
		result = check_source(&m);
	if (result == 0) {
		int rc = sqlite3_exec(m.dst, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			result = fail(&m, "cannot write to %s: %s", store_path(dest),
			              sqlite3_errmsg(m.dst));
		} else {
			result = merge_all(&m);
			for (int i = 0; i < D_COUNT; i++) {
				sqlite3_finalize(m.d[i]);
				m.d[i] = NULL;
			}
			if (result == 0 &&
			    (rc = sqlite3_exec(m.dst, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
				result = fail(&m, "cannot commit the merge into %s: %s",
				              store_path(dest), sqlite3_errmsg(m.dst));
			if (result != 0 && !sqlite3_get_autocommit(m.dst))
				sqlite3_exec(m.dst, "ROLLBACK", NULL, NULL, NULL);
		}
	}
	for (int i = 0; i < D_COUNT; i++)
		sqlite3_finalize(m.d[i]);
	sqlite3_finalize(m.src_resp);
	sqlite3_close_v2(m.src);
	if (result == 0 && out)
		*out = m.st;
	return result;
}
