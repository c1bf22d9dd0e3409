/* open.c - finding, opening, checking and migrating the results database,
 * and the transaction and retry machinery every operation goes through. */
#include "internal.h"
#include "ipr-drill/text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* Migrations, indexed by the user_version they start from: entry N takes
 * schema version N to N+1.  All pending ones run in one transaction. */
static const char *const migrations[] = {
        /* 0 -> 1: trainees, attempts, responses. */
        "CREATE TABLE trainee ("
        " id INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL UNIQUE,"
        " organisation TEXT,"
        " country TEXT,"
        " created TEXT NOT NULL"
        ") STRICT;"
        "CREATE TABLE attempt ("
        " uuid TEXT PRIMARY KEY NOT NULL CHECK (length(uuid) = 36),"
        " trainee_id INTEGER NOT NULL REFERENCES trainee(id),"
        " pack_id TEXT NOT NULL,"
        " pack_version TEXT NOT NULL,"
        " pack_sha256 TEXT NOT NULL CHECK (length(pack_sha256) = 64),"
        " mode TEXT NOT NULL CHECK (mode IN ('practice', 'exam')),"
        " seed INTEGER NOT NULL,"
        " group_tag TEXT,"
        " started_at TEXT NOT NULL,"
        " ended_at TEXT,"
        " status TEXT NOT NULL DEFAULT 'in-progress'"
        "  CHECK (status IN ('in-progress', 'finished', 'abandoned')),"
        " score INTEGER,"
        " max_score INTEGER,"
        " stage_scores TEXT"
        ") STRICT;"
        "CREATE INDEX attempt_by_trainee ON attempt(trainee_id, pack_id, status);"
        "CREATE INDEX attempt_by_pack ON attempt(pack_id, started_at);"
        "CREATE INDEX attempt_by_group ON attempt(group_tag, started_at);"
        "CREATE TABLE response ("
        " id INTEGER PRIMARY KEY,"
        " attempt_uuid TEXT NOT NULL REFERENCES attempt(uuid) ON DELETE CASCADE,"
        " seq INTEGER NOT NULL CHECK (seq >= 1),"
        " stage TEXT NOT NULL,"
        " part TEXT,"
        " shipment_id TEXT,"
        " item_index INTEGER CHECK (item_index IS NULL OR item_index >= 0),"
        " question_id TEXT,"
        " answer TEXT NOT NULL,"
        " points INTEGER NOT NULL,"
        " time_ms INTEGER NOT NULL CHECK (time_ms >= 0),"
        " answered_at TEXT NOT NULL,"
        " UNIQUE (attempt_uuid, seq)"
        ") STRICT;"
        /* The summary of each finished attempt that reports read instead
         * of its responses (issue 5): per scored unit (shipment, item or
         * question) its points, and each settlement or verdict decision
         * with its lists split into one row per id.  Rows sort by kind, so
         * a report reads one kind in one range; seq and n (the place in a
         * list) are those of the response the row comes from.  Written by
         * store_summary_refresh() when an attempt finishes, is merged in
         * or is regraded. */
        "CREATE TABLE scored ("
        " kind TEXT NOT NULL"
        "  CHECK (kind IN ('points', 'target', 'indicator', 'verdict', 'evidence')),"
        " attempt_uuid TEXT NOT NULL REFERENCES attempt(uuid) ON DELETE CASCADE,"
        " seq INTEGER NOT NULL,"
        " n INTEGER NOT NULL,"
        " shipment_id TEXT,"
        " item_index INTEGER,"
        " question_id TEXT,"
        " value TEXT,"
        " points INTEGER NOT NULL,"
        " PRIMARY KEY (kind, attempt_uuid, seq, n)"
        ") STRICT, WITHOUT ROWID;"
        /* Each regrade of a pack (ipr-drill regrade) and what it changed. */
        "CREATE TABLE regrade ("
        " id INTEGER PRIMARY KEY,"
        " pack_id TEXT NOT NULL,"
        " pack_version TEXT NOT NULL,"
        " pack_sha256 TEXT NOT NULL CHECK (length(pack_sha256) = 64),"
        " regraded_at TEXT NOT NULL,"
        " attempts INTEGER NOT NULL,"
        " changed INTEGER NOT NULL,"
        " failed INTEGER NOT NULL"
        ") STRICT;"
        "CREATE TABLE regrade_attempt ("
        " regrade_id INTEGER NOT NULL REFERENCES regrade(id) ON DELETE CASCADE,"
        " attempt_uuid TEXT NOT NULL REFERENCES attempt(uuid) ON DELETE CASCADE,"
        " old_pack_sha256 TEXT NOT NULL,"
        " old_score INTEGER,"
        " old_max_score INTEGER,"
        " new_score INTEGER,"
        " new_max_score INTEGER,"
        " responses_changed INTEGER NOT NULL,"
        " PRIMARY KEY (regrade_id, attempt_uuid)"
        ") STRICT;",
};

_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
               "one migration per schema version");

#define ATTEMPT_COLUMNS                                                                            \
	"a.uuid, a.trainee_id, a.pack_id, a.pack_version, a.pack_sha256, a.mode, a.seed,"          \
	" a.group_tag, a.started_at, a.ended_at, a.status, a.score, a.max_score,"                  \
	" a.stage_scores,"                                                                         \
	" (SELECT count(*) FROM response r WHERE r.attempt_uuid = a.uuid),"                        \
	" (SELECT max(r.answered_at) FROM response r WHERE r.attempt_uuid = a.uuid)"

static const char *const stmt_sql[ST_COUNT] = {
        [ST_BEGIN] = "BEGIN IMMEDIATE",
        [ST_COMMIT] = "COMMIT",
        [ST_ROLLBACK] = "ROLLBACK",
        [ST_TRAINEE_UPSERT] = "INSERT INTO trainee(name, organisation, country, created)"
                              " VALUES (?1, ?2, ?3, " STORE_NOW_SQL ")"
                              " ON CONFLICT(name) DO UPDATE SET"
                              " organisation = coalesce(excluded.organisation, organisation),"
                              " country = coalesce(excluded.country, country)"
                              " RETURNING id",
        [ST_TRAINEE_FIND] = "SELECT id FROM trainee WHERE name = ?1",
        [ST_TRAINEE_EXISTS] = "SELECT 1 FROM trainee WHERE id = ?1",
        [ST_ATTEMPT_INSERT] =
                "INSERT INTO attempt(uuid, trainee_id, pack_id, pack_version,"
                " pack_sha256, mode, seed, group_tag, started_at, status)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, " STORE_NOW_SQL ", 'in-progress')",
        [ST_ATTEMPT_STATUS] = "SELECT status FROM attempt WHERE uuid = ?1",
        [ST_ATTEMPT_FINISH] = "UPDATE attempt SET status = 'finished', ended_at = " STORE_NOW_SQL
                              ", score = ?2, max_score = ?3, stage_scores = ?4"
                              " WHERE uuid = ?1 AND status = 'in-progress'",
        [ST_ATTEMPT_ABANDON] = "UPDATE attempt SET status = 'abandoned', ended_at = " STORE_NOW_SQL
                               " WHERE uuid = ?1 AND status = 'in-progress'",
        [ST_ATTEMPT_RESUMABLE] = "SELECT " ATTEMPT_COLUMNS " FROM attempt a"
                                 " WHERE a.trainee_id = ?1 AND a.status = 'in-progress'"
                                 " ORDER BY a.started_at DESC, a.uuid",
        [ST_ATTEMPT_ALL] = "SELECT " ATTEMPT_COLUMNS " FROM attempt a"
                           " WHERE a.trainee_id = ?1 ORDER BY a.started_at, a.uuid",
        [ST_ATTEMPT_GET] = "SELECT " ATTEMPT_COLUMNS " FROM attempt a WHERE a.uuid = ?1",
        /* seq is the next number within the attempt; the row is only
         * written while the attempt is in progress. */
        [ST_RESPONSE_INSERT] =
                "INSERT INTO response(attempt_uuid, seq, stage, shipment_id, item_index,"
                " question_id, answer, points, time_ms, part, answered_at)"
                " SELECT a.uuid,"
                " coalesce((SELECT max(r.seq) FROM response r WHERE r.attempt_uuid = a.uuid), 0) + "
                "1,"
                " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, " STORE_NOW_SQL
                " FROM attempt a WHERE a.uuid = ?1 AND a.status = 'in-progress'"
                " RETURNING seq",
        [ST_RESPONSES] = "SELECT id, seq, stage, shipment_id, item_index, question_id, answer,"
                         " points, time_ms, answered_at, part FROM response WHERE attempt_uuid = ?1"
                         " ORDER BY seq",
        [ST_BEST] = "SELECT score, max_score FROM attempt"
                    " WHERE trainee_id = ?1 AND pack_id = ?2 AND status = 'finished'"
                    " AND score IS NOT NULL AND max_score IS NOT NULL"
                    " ORDER BY (CASE WHEN max_score > 0 THEN CAST(score AS REAL) / max_score"
                    " ELSE 0.0 END) DESC, score DESC, ended_at LIMIT 1",
        [ST_SUMMARY_CLEAR] = "DELETE FROM scored WHERE kind IN ('points', 'target', 'indicator',"
                             " 'verdict', 'evidence')"
                             " AND attempt_uuid IN (SELECT value FROM json_each(?1))",
        [ST_SUMMARY_FILL] = STORE_SUMMARY_FILL_SQL,
        [ST_INTEGRITY] = "PRAGMA integrity_check",
        [ST_FK_CHECK] = "PRAGMA foreign_key_check",
};

int store_fail(store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	return -1;
}

const char *store_errmsg(const store *s)
{
	return s ? s->err : "no results database";
}

const char *store_path(const store *s)
{
	return s->path;
}

struct sqlite3 *store_handle(store *s)
{
	return s->db;
}

bool store_is_busy(int rc)
{
	int primary = rc & 0xff;
	return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

void store_stmt_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* A hint the user can act on for the SQLite errors that have one. */
static const char *hint_for(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return " (the file is damaged or not an ipr-drill results database; keep a copy "
		       "and "
		       "start a new one with --db)";
	case SQLITE_FULL:
		return " (the disk is full; free some space and try again)";
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
		return " (check that you may write the file and its folder)";
	case SQLITE_IOERR:
		return " (a read or write failed; check the disk)";
	default:
		return "";
	}
}

/* Waits a little before retrying a busy transaction: longer each round,
 * with jitter so that retrying processes do not collide again. */
static void backoff(unsigned round)
{
	static unsigned seed;
	if (seed == 0)
		seed = (unsigned)getpid() * 2654435761u | 1u;
	seed = seed * 1103515245u + 12345u;
	long ms = 20L * (long)(round + 1) + (long)((seed >> 16) % 50);
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int exec_stmt(store *s, enum store_stmt id)
{
	sqlite3_stmt *st = s->stmt[id];
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void rollback(store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		exec_stmt(s, ST_ROLLBACK);
}

/* COMMIT can meet a reader that still holds its shared lock: the
 * transaction stays open then, so the commit alone is retried. */
static int commit(store *s)
{
	int rc = SQLITE_OK;
	for (unsigned round = 0; round <= STORE_BUSY_RETRIES; round++) {
		rc = exec_stmt(s, ST_COMMIT);
		if (!store_is_busy(rc) || sqlite3_get_autocommit(s->db))
			return rc;
		backoff(round);
	}
	return rc;
}

static int busy_failure(store *s, const char *what)
{
	return store_fail(s,
	                  "%s: the results database %s stayed busy for more than %d seconds "
	                  "(another program is holding it); try again",
	                  what, s->path, STORE_BUSY_TIMEOUT_MS / 1000 * (STORE_BUSY_RETRIES + 1));
}

static int sqlite_failure(store *s, const char *what, int rc)
{
	return store_fail(s, "%s: %s: %s%s", what, s->path, sqlite3_errmsg(s->db), hint_for(rc));
}

int store_run_write(store *s, const char *what, store_fn fn, void *ctx)
{
	if (s->readonly)
		return store_fail(s, "%s: %s was opened read-only", what, s->path);
	for (unsigned round = 0;; round++) {
		int rc = exec_stmt(s, ST_BEGIN);
		if (rc == SQLITE_OK) {
			rc = fn(s, ctx);
			if (rc == SQLITE_OK) {
				rc = commit(s);
				if (rc == SQLITE_OK)
					return 0;
			}
			if (rc != SQLITE_OK && rc != STORE_FN_FAILED && !store_is_busy(rc)) {
				/* The message must be taken before ROLLBACK replaces it. */
				sqlite_failure(s, what, rc);
				rollback(s);
				return -1;
			}
			rollback(s);
			if (rc == STORE_FN_FAILED)
				return -1;
		}
		if (!store_is_busy(rc))
			return sqlite_failure(s, what, rc);
		if (round >= STORE_BUSY_RETRIES)
			return busy_failure(s, what);
		backoff(round);
	}
}

int store_run_read(store *s, const char *what, store_fn fn, void *ctx)
{
	for (unsigned round = 0;; round++) {
		int rc = fn(s, ctx);
		if (rc == SQLITE_OK)
			return 0;
		if (rc == STORE_FN_FAILED)
			return -1;
		if (!store_is_busy(rc))
			return sqlite_failure(s, what, rc);
		if (round >= STORE_BUSY_RETRIES)
			return busy_failure(s, what);
		backoff(round);
	}
}

/* ---- paths ---- */

static char *join_path(const char *base, const char *rest, char *err, size_t errlen)
{
	size_t a = strlen(base), b = strlen(rest);
	if (a > SIZE_MAX - b - 2) {
		text_errf(err, errlen, "path too long");
		return NULL;
	}
	char *p = malloc(a + b + 2);
	if (!p) {
		text_errf(err, errlen, "out of memory");
		return NULL;
	}
	memcpy(p, base, a);
	size_t n = a;
	if (n == 0 || p[n - 1] != '/')
		p[n++] = '/';
	memcpy(p + n, rest, b + 1);
	return p;
}

char *store_default_path(char *err, size_t errlen)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	/* The XDG spec says relative values are to be ignored. */
	if (xdg && xdg[0] == '/')
		return join_path(xdg, "ipr-drill/results.db", err, errlen);
	const char *home = getenv("HOME");
	if (home && home[0] == '/')
		return join_path(home, ".local/share/ipr-drill/results.db", err, errlen);
	text_errf(err, errlen,
	          "cannot find where to keep results: neither XDG_DATA_HOME nor HOME is set to an "
	          "absolute path; choose a file with --db or IPR_DRILL_DB");
	return NULL;
}

char *store_resolve_path(const char *cli_path, bool *is_default, char *err, size_t errlen)
{
	const char *chosen = cli_path;
	if (!chosen) {
		const char *env = getenv("IPR_DRILL_DB");
		if (env && env[0])
			chosen = env;
	}
	if (is_default)
		*is_default = chosen == NULL;
	if (!chosen)
		return store_default_path(err, errlen);
	if (!chosen[0]) {
		text_errf(err, errlen, "the database path is empty");
		return NULL;
	}
	char *copy = strdup(chosen);
	if (!copy)
		text_errf(err, errlen, "out of memory");
	return copy;
}

/* mkdir -p of the folder that will hold path.  Missing folders get mode
 * (less the umask); existing ones are left as they are. */
static int make_parent_dirs(const char *path, mode_t mode, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	size_t len = (size_t)(slash - path);
	char *dir = malloc(len + 1);
	if (!dir) {
		text_errf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(dir, path, len);
	dir[len] = '\0';
	int rc = 0;
	for (size_t i = 1; i <= len && rc == 0; i++) {
		if (dir[i] != '/' && dir[i] != '\0')
			continue;
		char saved = dir[i];
		dir[i] = '\0';
		if (mkdir(dir, mode) != 0 && errno != EEXIST) {
			text_errf(err, errlen, "cannot create folder %s: %s", dir, strerror(errno));
			rc = -1;
		}
		dir[i] = saved;
	}
	struct stat st;
	if (rc == 0 && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		text_errf(err, errlen, "cannot use %s as the database folder: it is not a folder",
		          dir);
		rc = -1;
	}
	free(dir);
	return rc;
}

/* ---- opening ---- */

enum db_kind { DB_EMPTY, DB_CURRENT, DB_OLDER, DB_NEWER, DB_FOREIGN, DB_UNMARKED, DB_DAMAGED };

struct header {
	int app_id;
	int version;
	int objects;
};

/* One statement, so that all three come from the same moment: another
 * process may be creating the schema while we look. */
static int read_header(sqlite3 *db, struct header *h)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db,
	                            "SELECT (SELECT * FROM pragma_application_id),"
	                            " (SELECT * FROM pragma_user_version),"
	                            " (SELECT count(*) FROM sqlite_schema)",
	                            -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			h->app_id = sqlite3_column_int(st, 0);
			h->version = sqlite3_column_int(st, 1);
			h->objects = sqlite3_column_int(st, 2);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			rc = SQLITE_CORRUPT;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

static enum db_kind classify(const struct header *h)
{
	if (h->app_id == 0 && h->version == 0 && h->objects == 0)
		return DB_EMPTY;
	if (h->app_id == 0)
		return DB_UNMARKED;
	if (h->app_id != STORE_APPLICATION_ID)
		return DB_FOREIGN;
	if (h->version > STORE_SCHEMA_VERSION)
		return DB_NEWER;
	if (h->version < 1 || h->objects == 0)
		return DB_DAMAGED;
	return h->version == STORE_SCHEMA_VERSION ? DB_CURRENT : DB_OLDER;
}

/* Reads the header, waiting while another process holds the file (a
 * crashed writer's journal being rolled back, a migration running). */
static int read_header_retrying(store *s, struct header *h)
{
	int rc = SQLITE_OK;
	for (unsigned round = 0; round <= STORE_BUSY_RETRIES; round++) {
		rc = read_header(s->db, h);
		if (!store_is_busy(rc))
			return rc;
		backoff(round);
	}
	return rc;
}

static int kind_error(store *s, enum db_kind kind, const struct header *h)
{
	switch (kind) {
	case DB_UNMARKED:
		return store_fail(s,
		                  "%s is an SQLite database of another program, not an ipr-drill "
		                  "results database; choose another file with --db",
		                  s->path);
	case DB_FOREIGN:
		return store_fail(s,
		                  "%s belongs to another program (application id 0x%08x), not "
		                  "ipr-drill; choose another file with --db",
		                  s->path, (unsigned)h->app_id);
	case DB_NEWER:
		return store_fail(s,
		                  "%s was written by a newer ipr-drill (results schema %d; this "
		                  "program knows up to %d): upgrade ipr-drill to use it",
		                  s->path, h->version, STORE_SCHEMA_VERSION);
	case DB_DAMAGED:
		return store_fail(s,
		                  "%s is marked as an ipr-drill results database but has no valid "
		                  "schema (version %d): it is damaged; keep a copy and start a new "
		                  "one with --db",
		                  s->path, h->version);
	case DB_EMPTY:
		return store_fail(s, "%s holds no results yet: run the trainer once to create it",
		                  s->path);
	default:
		return 0;
	}
}

static int header_failure(store *s, int rc)
{
	if (store_is_busy(rc))
		return busy_failure(s, "cannot open the results database");
	if (rc == SQLITE_READONLY_ROLLBACK)
		return store_fail(s,
		                  "%s was left half-written by a trainer that stopped abruptly; "
		                  "start the trainer (or any program that may write the file) once "
		                  "to repair it, then try again",
		                  s->path);
	if ((rc & 0xff) == SQLITE_NOTADB)
		return store_fail(s,
		                  "%s is not an ipr-drill results database (not an SQLite file, or "
		                  "damaged or encrypted); choose another file with --db",
		                  s->path);
	return store_fail(s, "cannot read the results database %s: %s%s", s->path,
	                  sqlite3_errmsg(s->db), hint_for(rc));
}

/* Applies every pending migration in one IMMEDIATE transaction.  The
 * header is read again inside it: another process may have created or
 * migrated the file since we looked. */
static int migrate(store *s)
{
	for (unsigned round = 0;; round++) {
		int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (store_is_busy(rc)) {
			if (round >= STORE_BUSY_RETRIES)
				return busy_failure(s, "cannot prepare the results database");
			backoff(round);
			continue;
		}
		if (rc != SQLITE_OK)
			return header_failure(s, rc);
		struct header h;
		rc = read_header(s->db, &h);
		if (rc != SQLITE_OK) {
			header_failure(s, rc);
			goto rollback;
		}
		enum db_kind kind = classify(&h);
		if (kind != DB_EMPTY && kind != DB_OLDER && kind != DB_CURRENT) {
			kind_error(s, kind, &h);
			goto rollback;
		}
		for (int v = h.version; v < STORE_SCHEMA_VERSION; v++) {
			rc = sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL);
			if (rc != SQLITE_OK) {
				store_fail(s, "cannot bring %s to results schema %d: %s%s", s->path,
				           v + 1, sqlite3_errmsg(s->db), hint_for(rc));
				goto rollback;
			}
		}
		char sql[96];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d;",
		         STORE_SCHEMA_VERSION, STORE_APPLICATION_ID);
		rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		if (store_is_busy(rc) && round < STORE_BUSY_RETRIES) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			backoff(round);
			continue;
		}
		store_fail(s, "cannot write the schema of %s: %s%s", s->path, sqlite3_errmsg(s->db),
		           hint_for(rc));
	rollback:
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
}

/* Settings made on every connection before the file is read: the file
 * may come from anywhere, so its schema is not trusted to run code. */
static int configure(store *s)
{
	sqlite3 *db = s->db;
	int rc = sqlite3_extended_result_codes(db, 1);
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	/* Our schema has no triggers; one planted in the file must not run. */
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "PRAGMA trusted_schema = OFF; PRAGMA foreign_keys = ON;",
		                  NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_fail(s, "cannot configure the results database %s: %s", s->path,
		                  sqlite3_errmsg(db));
	return 0;
}

/* Rollback journal, not WAL: see "Results store and journal mode" in
 * docs/architecture.md.  TRUNCATE with synchronous=FULL makes each commit
 * durable once COMMIT returns, even across SIGKILL or power loss. */
static int set_journal(store *s)
{
	int rc = SQLITE_OK;
	for (unsigned round = 0; round <= STORE_BUSY_RETRIES; round++) {
		sqlite3_stmt *st = NULL;
		rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = TRUNCATE", -1, &st, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const char *mode = (const char *)sqlite3_column_text(st, 0);
			bool ok = mode && strcmp(mode, "truncate") == 0;
			char got[16];
			snprintf(got, sizeof got, "%s", mode ? mode : "?");
			sqlite3_finalize(st);
			if (ok)
				break;
			return store_fail(s,
			                  "%s is in journal mode %s, which ipr-drill does not use "
			                  "(another program set it); close that program, or run "
			                  "sqlite3 on the file with PRAGMA journal_mode=DELETE",
			                  s->path, got);
		}
		sqlite3_finalize(st);
		if (!store_is_busy(rc))
			return header_failure(s, rc);
		backoff(round);
	}
	if (store_is_busy(rc))
		return busy_failure(s, "cannot open the results database");
	rc = sqlite3_exec(s->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return header_failure(s, rc);
	return 0;
}

static int prepare_all(store *s)
{
	for (int i = 0; i < ST_COUNT; i++) {
		int rc = sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		                            &s->stmt[i], NULL);
		if (rc != SQLITE_OK)
			return store_fail(
			        s,
			        "%s does not have the tables of an ipr-drill results "
			        "database (%s); it is damaged: keep a copy and start a new "
			        "one with --db",
			        s->path, sqlite3_errmsg(s->db));
	}
	return 0;
}

static int open_checked(store *s)
{
	struct stat st;
	if (s->readonly && stat(s->path, &st) != 0)
		return store_fail(s, "cannot open the results database %s: %s", s->path,
		                  strerror(errno));
	if (stat(s->path, &st) == 0 && S_ISDIR(st.st_mode))
		return store_fail(s, "%s is a folder, not a results database file", s->path);
	/* A connection is used by one thread only: no mutex around every
	 * call (a report reads each of a million rows through several). */
	int oflags =
	        SQLITE_OPEN_NOMUTEX |
	        (s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	int rc = sqlite3_open_v2(s->path, &s->db, oflags, NULL);
	if (rc != SQLITE_OK)
		return store_fail(s, "cannot open the results database %s: %s%s", s->path,
		                  s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc), hint_for(rc));
	if (configure(s) != 0)
		return -1;
	struct header h;
	rc = read_header_retrying(s, &h);
	if (rc != SQLITE_OK)
		return header_failure(s, rc);
	enum db_kind kind = classify(&h);
	if (kind == DB_CURRENT || (!s->readonly && (kind == DB_EMPTY || kind == DB_OLDER))) {
		if (!s->readonly && set_journal(s) != 0)
			return -1;
		if (kind != DB_CURRENT && migrate(s) != 0)
			return -1;
		return prepare_all(s);
	}
	if (kind == DB_OLDER)
		return store_fail(s,
		                  "%s uses an older results schema (%d): open it once with the "
		                  "trainer to upgrade it",
		                  s->path, h.version);
	return kind_error(s, kind, &h);
}

int store_open(const char *path, unsigned flags, store **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!path || !path[0]) {
		text_errf(err, errlen, "no results database path given");
		return -1;
	}
	bool readonly = (flags & STORE_OPEN_READONLY) != 0;
	if (!readonly) {
		mode_t mode = (flags & STORE_OPEN_PRIVATE_DIRS) ? 0700 : 0777;
		if (make_parent_dirs(path, mode, err, errlen) != 0)
			return -1;
	}
	store *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path))) {
		free(s);
		text_errf(err, errlen, "out of memory");
		return -1;
	}
	s->readonly = readonly;
	if (open_checked(s) != 0) {
		text_errf(err, errlen, "%s", s->err);
		store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void store_close(store *s)
{
	if (!s)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	if (s->db)
		sqlite3_close_v2(s->db);
	free(s->path);
	free(s);
}
