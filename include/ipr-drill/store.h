/* store.h - the results store: trainees, attempts and every response, kept
 * in one SQLite file that many trainer processes may share at once.
 *
 * The store knows nothing of packs or the engine: it records plain values
 * (ids, raw answers, points) and hands them back.  Every write is its own
 * short transaction, committed before the call returns, so a trainer
 * killed at any moment loses nothing it had recorded.  Writers wait for
 * each other (busy timeout plus retries) instead of reporting "database is
 * locked".  The database uses a rollback journal (TRUNCATE) with
 * synchronous=FULL; docs/architecture.md says why not WAL.
 *
 * Functions returning int give 0 on success and -1 on failure; after a
 * failure store_errmsg() holds a message a user can act on.  Strings
 * returned inside structs are owned by the struct and freed by the
 * matching store_*_free / store_*_clear function. */
#ifndef IPR_DRILL_STORE_H
#define IPR_DRILL_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Schema version this program writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 1
/* PRAGMA application_id of an ipr-drill results database: "IPRD". */
#define STORE_APPLICATION_ID 0x49505244
/* An attempt UUID as text: 36 characters plus the terminating NUL. */
#define STORE_UUID_SIZE 37
/* A SHA-256 digest in lowercase hex plus the terminating NUL. */
#define STORE_SHA256_HEX_SIZE 65
/* Longest name, organisation, country, id or tag accepted (bytes). */
#define STORE_MAX_FIELD 256
/* Longest raw answer accepted (bytes). */
#define STORE_MAX_ANSWER 65536
/* A buffer this large always holds a store error message. */
#define STORE_ERR_SIZE 512

typedef struct store store;

/* Flags for store_open(). */
enum store_open_flags {
	/* Open an existing database for reading only: no file or folder is
	 * created and no migration runs (reports, dashboard). */
	STORE_OPEN_READONLY = 1u << 0,
	/* Create missing folders with mode 0700 (the per-user default path)
	 * instead of 0777 less the umask (a shared workshop folder). */
	STORE_OPEN_PRIVATE_DIRS = 1u << 1,
};

enum store_attempt_status {
	STORE_IN_PROGRESS,
	STORE_FINISHED,
	STORE_ABANDONED,
};

/* Returns the default database path, newly allocated:
 * $XDG_DATA_HOME/ipr-drill/results.db, or $HOME/.local/share/ipr-drill/
 * results.db when XDG_DATA_HOME is unset, empty or relative.  Returns NULL
 * with a message in err when neither variable gives an absolute path or
 * memory runs out. */
char *store_default_path(char *err, size_t errlen);

/* Picks the database to use, newly allocated: cli_path when not NULL
 * (--db), else $IPR_DRILL_DB when set and not empty, else the default
 * path.  *is_default (may be NULL) tells whether the default was chosen,
 * i.e. whether to pass STORE_OPEN_PRIVATE_DIRS.  Fails as
 * store_default_path(). */
char *store_resolve_path(const char *cli_path, bool *is_default, char *err, size_t errlen);

/* Opens (and, unless STORE_OPEN_READONLY, creates with its folders) the
 * database at path, brings its schema up to STORE_SCHEMA_VERSION and
 * prepares every statement.  Fails, with *out NULL and a message in err,
 * when the folder or file cannot be created or opened, when the file is
 * not an SQLite database or is damaged, when it is an SQLite database of
 * another program (application_id, or tables without one), when it was
 * written by a newer ipr-drill (user_version above STORE_SCHEMA_VERSION),
 * or when it stays busy for longer than the retry budget. */
int store_open(const char *path, unsigned flags, store **out, char *err, size_t errlen);

/* Closes the database and frees s; NULL is ignored.  Never fails: nothing
 * is left uncommitted between calls. */
void store_close(store *s);

/* The message of the last failure on s ("" when none). */
const char *store_errmsg(const store *s);

/* The path s was opened with. */
const char *store_path(const store *s);

/* The underlying SQLite connection, for the report module's read-only
 * queries (its foreign_keys, defensive and trusted_schema settings are
 * already made).  Keep read transactions short: a reader blocks writers
 * in rollback-journal mode.  Never write through it. */
struct sqlite3 *store_handle(store *s);

/* Adds the trainee named name, or finds it when the name exists (names are
 * the key, compared byte for byte); organisation and country replace the
 * stored ones when not NULL or empty.  Stores the trainee's id in *id.
 * Fails when name is empty, too long, not UTF-8 or holds control
 * characters (the same for the other fields), or on a database error. */
int store_trainee_upsert(store *s, const char *name, const char *organisation, const char *country,
                         int64_t *id);

/* Looks up a trainee by name without creating it: *id is set, or left
 * alone and *found set false when there is none.  Fails on a database
 * error. */
int store_trainee_find(store *s, const char *name, int64_t *id, bool *found);

/* What an attempt starts with; every string is copied. */
typedef struct store_attempt_new {
	int64_t trainee_id;
	const char *pack_id;
	const char *pack_version;
	const char *pack_sha256; /* 64 hex digits, see store_sha256_hex() */
	const char *mode;        /* "practice" or "exam" */
	uint64_t seed;           /* stored as a 64-bit integer, same bits */
	const char *group_tag;   /* NULL or "" for none */
} store_attempt_new;

/* Records a new in-progress attempt with a random (v4) UUID, written to
 * uuid.  Fails when a field is missing or malformed, the trainee does not
 * exist, the system gives no random bytes, or on a database error. */
int store_attempt_begin(store *s, const store_attempt_new *a, char uuid[STORE_UUID_SIZE]);

/* One response.  On input (store_response_add) seq, id and answered_at
 * are ignored; on output (store_responses_of) every field is set. */
typedef struct store_response {
	int64_t id;
	int64_t seq;             /* 1, 2, ... within the attempt, set by the store */
	const char *stage;       /* the stage the answer was given in, e.g. "targeting" */
	const char *part;        /* the part of the score its points count in
	                            (e.g. "verdicts"), NULL when it scores nothing */
	const char *shipment_id; /* NULL when none */
	int64_t item_index;      /* -1 when none */
	const char *question_id; /* NULL when none */
	const char *answer;      /* the raw answer, as the engine gave it */
	int64_t points;
	int64_t time_ms;
	const char *answered_at; /* ISO 8601 UTC, e.g. 2025-03-01T09:15:02.120Z */
} store_response;

/* Records one response to an in-progress attempt and commits it before
 * returning; the sequence number given is stored in *seq (may be NULL).
 * Fails when the attempt does not exist or is no longer in progress, a
 * field is malformed (stage empty, answer NULL or longer than
 * STORE_MAX_ANSWER, time_ms negative), or on a database error. */
int store_response_add(store *s, const char *attempt_uuid, const store_response *r, int64_t *seq);

/* Records n responses to an in-progress attempt in one transaction: all
 * of them or, on failure, none.  Fails as store_response_add(). */
int store_responses_add(store *s, const char *attempt_uuid, const store_response *rs, size_t n);

/* A stage's part of the final score. */
typedef struct store_stage_score {
	const char *stage; /* [a-z0-9_-], 1 to 32 characters */
	int64_t score;
	int64_t max_score;
} store_stage_score;

/* Closes an in-progress attempt as finished with its final score and the
 * score of each stage (kept as JSON text
 * {"stage":{"score":N,"max":M},...}).  Fails when the attempt does not
 * exist or is not in progress, a stage name is malformed or repeated, or
 * on a database error. */
int store_attempt_finish(store *s, const char *attempt_uuid, int64_t score, int64_t max_score,
                         const store_stage_score *stages, size_t stage_count);

/* Rewrites the summary rows (table scored) that reports read instead of
 * the responses of attempt_uuid: cleared, then filled from its responses
 * when the attempt is finished.  Runs inside the caller's open write
 * transaction (store_attempt_finish() calls it in its own; merge, regrade
 * and bench/gen-results after changing an attempt's responses or
 * points), so it never commits.  Returns SQLITE_OK, or the SQLite result
 * code of the failed step (the transaction is then to be rolled back). */
int store_summary_refresh(store *s, const char *attempt_uuid);

/* store_summary_refresh() for count attempts at once, in two statements
 * whatever the count (a merge's thousands of attempts). */
int store_summaries_refresh(store *s, const char *const *uuids, size_t count);

/* Marks an in-progress attempt abandoned (the trainee chose not to resume
 * it).  Fails as store_attempt_finish(). */
int store_attempt_abandon(store *s, const char *attempt_uuid);

/* An attempt as stored. */
typedef struct store_attempt {
	char uuid[STORE_UUID_SIZE];
	int64_t trainee_id;
	char *pack_id;
	char *pack_version;
	char *pack_sha256;
	char *mode;
	uint64_t seed;
	char *group_tag; /* NULL when none */
	char *started_at;
	char *ended_at; /* NULL while in progress */
	enum store_attempt_status status;
	bool scored; /* score and max_score are set (finished attempts) */
	int64_t score;
	int64_t max_score;
	char *stage_scores; /* JSON text, NULL when not finished */
	int64_t response_count;
	char *last_answered_at; /* NULL when no response yet */
} store_attempt;

typedef struct store_attempt_list {
	store_attempt *items;
	size_t count;
} store_attempt_list;

/* Lists the trainee's in-progress attempts, newest first, into *out
 * (empty when none).  Free with store_attempt_list_free().  Fails on a
 * database error or when memory runs out, leaving *out empty. */
int store_attempt_list_resumable(store *s, int64_t trainee_id, store_attempt_list *out);

/* Lists all the trainee's attempts, oldest first.  Fails as above. */
int store_attempt_list_all(store *s, int64_t trainee_id, store_attempt_list *out);

/* Frees the items of list and empties it; NULL is ignored. */
void store_attempt_list_free(store_attempt_list *list);

/* Reads one attempt into *out (free with store_attempt_clear()).  Fails
 * when there is no such attempt, on a database error or when memory runs
 * out. */
int store_attempt_get(store *s, const char *attempt_uuid, store_attempt *out);

/* Frees the strings of a and zeroes it; NULL is ignored. */
void store_attempt_clear(store_attempt *a);

/* Called once per response in seq order; a non-zero return stops the walk
 * and becomes store_responses_of()'s result.  The response and its
 * strings are valid only during the call.  The database is not locked
 * while callbacks run, so a callback may call other store functions. */
typedef int (*store_response_cb)(void *ctx, const store_response *r);

/* Calls cb for each response of the attempt (none when it has none).
 * Returns 0, cb's first non-zero result, or -1 on a database error or
 * when memory runs out (then cb has not been called). */
int store_responses_of(store *s, const char *attempt_uuid, store_response_cb cb, void *ctx);

/* The trainee's best finished attempt of pack_id, by share of the maximum
 * (then by points): *found tells whether there is one, and then *score
 * and *max_score are set.  Fails on a database error. */
int store_best_score(store *s, int64_t trainee_id, const char *pack_id, int64_t *score,
                     int64_t *max_score, bool *found);

/* Runs PRAGMA integrity_check and foreign_key_check.  Returns 0 when both
 * are clean, 1 when they found problems (then *report, when report is not
 * NULL, is a newly allocated description, one problem a line), or -1 on
 * a database error. */
int store_integrity_check(store *s, char **report);

/* SHA-256 (FIPS 180-4).  None of the libraries ipr-drill already depends
 * on exposes one, so the store carries its own, checked against the
 * standard's test vectors. */
typedef struct store_sha256_ctx {
	uint32_t h[8];
	uint64_t length; /* bytes hashed so far */
	unsigned char block[64];
	size_t used;
} store_sha256_ctx;

void store_sha256_init(store_sha256_ctx *c);
void store_sha256_update(store_sha256_ctx *c, const void *data, size_t len);
void store_sha256_final(store_sha256_ctx *c, unsigned char digest[32]);

/* Writes the lowercase hex SHA-256 of data[0..len) to hex.  Never fails. */
void store_sha256_hex(const void *data, size_t len, char hex[STORE_SHA256_HEX_SIZE]);

/* Hashes the file at path into hex.  Fails, with a message in err, when
 * the file cannot be opened or read. */
int store_sha256_file(const char *path, char hex[STORE_SHA256_HEX_SIZE], char *err, size_t errlen);

#endif
