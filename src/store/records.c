/* records.c - trainees, attempts and responses: each write one short
 * IMMEDIATE transaction, each read copied out before callbacks run. */
#include "internal.h"
#include "ipr-drill/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

/* ---- checking input ---- */

/* A text field: NULL or "" allowed when optional; otherwise UTF-8 without
 * control characters and at most max bytes. */
static int check_text(store *s, const char *what, const char *v, bool optional, size_t max,
                      bool allow_newline_tab)
{
	if (!v || !v[0]) {
		if (optional)
			return 0;
		return store_fail(s, "%s is missing", what);
	}
	size_t len = strlen(v);
	if (len > max)
		return store_fail(s, "%s is too long (%zu bytes; at most %zu)", what, len, max);
	if (!text_utf8_valid(v, len))
		return store_fail(s, "%s is not valid UTF-8", what);
	if (text_find_control(v, len, allow_newline_tab) >= 0)
		return store_fail(s, "%s contains a control character", what);
	return 0;
}

static bool is_hex64(const char *v)
{
	if (!v || strlen(v) != 64)
		return false;
	for (const char *p = v; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

static bool is_uuid(const char *v)
{
	if (!v || strlen(v) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		char c = v[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			return false;
		}
	}
	return true;
}

static int check_uuid(store *s, const char *uuid)
{
	if (!is_uuid(uuid))
		return store_fail(s, "attempt id \"%.40s\" is not a UUID", uuid ? uuid : "");
	return 0;
}

static int bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
	if (!v || !v[0])
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

static int64_t seed_to_db(uint64_t seed)
{
	int64_t v;
	memcpy(&v, &seed, sizeof v);
	return v;
}

static uint64_t seed_from_db(int64_t v)
{
	uint64_t seed;
	memcpy(&seed, &v, sizeof seed);
	return seed;
}

/* ---- random UUIDs ---- */

static int random_bytes(unsigned char *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = getrandom(buf + got, len - got, 0);
		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	if (got == len)
		return 0;
	/* Kernels without getrandom(2): read the device instead. */
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	got = 0;
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n > 0)
			got += (size_t)n;
		else if (!(n < 0 && errno == EINTR))
			break;
	}
	close(fd);
	return got == len ? 0 : -1;
}

static int make_uuid(char out[STORE_UUID_SIZE])
{
	unsigned char b[16];
	if (random_bytes(b, sizeof b) != 0)
		return -1;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	static const char digits[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = digits[b[i] >> 4];
		out[o++] = digits[b[i] & 15];
	}
	out[o] = '\0';
	return 0;
}

/* ---- trainees ---- */

struct trainee_args {
	const char *name, *organisation, *country;
	int64_t id;
	bool found;
};

static int trainee_upsert_fn(store *s, void *ctx)
{
	struct trainee_args *a = ctx;
	sqlite3_stmt *st = s->stmt[ST_TRAINEE_UPSERT];
	sqlite3_bind_text(st, 1, a->name, -1, SQLITE_STATIC);
	bind_opt_text(st, 2, a->organisation);
	bind_opt_text(st, 3, a->country);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		a->id = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	store_stmt_done(st);
	return rc;
}

int store_trainee_upsert(store *s, const char *name, const char *organisation, const char *country,
                         int64_t *id)
{
	if (check_text(s, "the trainee's name", name, false, STORE_MAX_FIELD, false) != 0 ||
	    check_text(s, "the organisation", organisation, true, STORE_MAX_FIELD, false) != 0 ||
	    check_text(s, "the country", country, true, STORE_MAX_FIELD, false) != 0)
		return -1;
	struct trainee_args a = {name, organisation, country, 0, false};
	if (store_run_write(s, "cannot record the trainee", trainee_upsert_fn, &a) != 0)
		return -1;
	*id = a.id;
	return 0;
}

static int trainee_find_fn(store *s, void *ctx)
{
	struct trainee_args *a = ctx;
	sqlite3_stmt *st = s->stmt[ST_TRAINEE_FIND];
	sqlite3_bind_text(st, 1, a->name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	a->found = rc == SQLITE_ROW;
	if (a->found)
		a->id = sqlite3_column_int64(st, 0);
	store_stmt_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int store_trainee_find(store *s, const char *name, int64_t *id, bool *found)
{
	*found = false;
	if (!name || !name[0])
		return 0;
	struct trainee_args a = {name, NULL, NULL, 0, false};
	if (store_run_read(s, "cannot look up the trainee", trainee_find_fn, &a) != 0)
		return -1;
	*found = a.found;
	if (a.found)
		*id = a.id;
	return 0;
}

/* ---- attempts ---- */

struct begin_args {
	const store_attempt_new *a;
	const char *uuid;
};

static int attempt_begin_fn(store *s, void *ctx)
{
	struct begin_args *b = ctx;
	const store_attempt_new *a = b->a;
	sqlite3_stmt *st = s->stmt[ST_TRAINEE_EXISTS];
	sqlite3_bind_int64(st, 1, a->trainee_id);
	int rc = sqlite3_step(st);
	store_stmt_done(st);
	if (rc == SQLITE_DONE) {
		store_fail(s, "cannot start the attempt: there is no trainee %lld in %s",
		           (long long)a->trainee_id, s->path);
		return STORE_FN_FAILED;
	}
	if (rc != SQLITE_ROW)
		return rc;
	st = s->stmt[ST_ATTEMPT_INSERT];
	sqlite3_bind_text(st, 1, b->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, a->trainee_id);
	sqlite3_bind_text(st, 3, a->pack_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->pack_version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, a->pack_sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, a->mode, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, seed_to_db(a->seed));
	bind_opt_text(st, 8, a->group_tag);
	rc = sqlite3_step(st);
	store_stmt_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int store_attempt_begin(store *s, const store_attempt_new *a, char uuid[STORE_UUID_SIZE])
{
	uuid[0] = '\0';
	if (check_text(s, "the pack id", a->pack_id, false, STORE_MAX_FIELD, false) != 0 ||
	    check_text(s, "the pack version", a->pack_version, false, STORE_MAX_FIELD, false) !=
	            0 ||
	    check_text(s, "the group tag", a->group_tag, true, STORE_MAX_FIELD, false) != 0)
		return -1;
	if (!is_hex64(a->pack_sha256))
		return store_fail(s, "the pack digest is not 64 lowercase hex digits");
	if (!a->mode || (strcmp(a->mode, "practice") != 0 && strcmp(a->mode, "exam") != 0))
		return store_fail(s, "the mode must be \"practice\" or \"exam\"");
	char id[STORE_UUID_SIZE];
	if (make_uuid(id) != 0)
		return store_fail(s, "cannot start the attempt: the system gives no random bytes "
		                     "for its id (getrandom and /dev/urandom failed)");
	struct begin_args b = {a, id};
	if (store_run_write(s, "cannot start the attempt", attempt_begin_fn, &b) != 0)
		return -1;
	memcpy(uuid, id, STORE_UUID_SIZE);
	return 0;
}

/* Explains why an UPDATE or INSERT guarded by status = 'in-progress'
 * touched nothing. */
static int not_in_progress(store *s, const char *what, const char *uuid)
{
	sqlite3_stmt *st = s->stmt[ST_ATTEMPT_STATUS];
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		char status[32];
		const unsigned char *t = sqlite3_column_text(st, 0);
		snprintf(status, sizeof status, "%s", t ? (const char *)t : "?");
		store_stmt_done(st);
		store_fail(s, "%s: attempt %s is %s, no longer in progress", what, uuid, status);
		return STORE_FN_FAILED;
	}
	store_stmt_done(st);
	if (rc == SQLITE_DONE) {
		store_fail(s, "%s: there is no attempt %s in %s", what, uuid, s->path);
		return STORE_FN_FAILED;
	}
	return rc;
}

struct finish_args {
	const char *uuid;
	int64_t score, max_score;
	const char *json;
	bool abandon;
};

static int attempt_finish_fn(store *s, void *ctx)
{
	struct finish_args *f = ctx;
	sqlite3_stmt *st = s->stmt[f->abandon ? ST_ATTEMPT_ABANDON : ST_ATTEMPT_FINISH];
	sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
	if (!f->abandon) {
		sqlite3_bind_int64(st, 2, f->score);
		sqlite3_bind_int64(st, 3, f->max_score);
		sqlite3_bind_text(st, 4, f->json, -1, SQLITE_STATIC);
	}
	int rc = sqlite3_step(st);
	store_stmt_done(st);
	if (rc != SQLITE_DONE)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return not_in_progress(s,
		                       f->abandon ? "cannot abandon the attempt"
		                                  : "cannot record the final score",
		                       f->uuid);
	return f->abandon ? SQLITE_OK : store_summary_refresh(s, f->uuid);
}

int store_summaries_refresh(store *s, const char *const *uuids, size_t count)
{
	/* The uuids as a JSON array for json_each(): quotes and backslashes
	 * escaped (a merged file's uuids are checked for control characters
	 * and length only). */
	sqlite3_str *list = sqlite3_str_new(s->db);
	sqlite3_str_appendchar(list, 1, '[');
	for (size_t i = 0; i < count; i++) {
		sqlite3_str_appendall(list, i ? ",\"" : "\"");
		for (const char *p = uuids[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				sqlite3_str_appendchar(list, 1, '\\');
			sqlite3_str_appendchar(list, 1, *p);
		}
		sqlite3_str_appendchar(list, 1, '"');
	}
	sqlite3_str_appendchar(list, 1, ']');
	int rc = sqlite3_str_errcode(list);
	char *json = sqlite3_str_finish(list);
	if (rc != SQLITE_OK || !json) {
		sqlite3_free(json);
		return rc != SQLITE_OK ? rc : SQLITE_NOMEM;
	}
	for (int i = 0; i < 2 && rc == SQLITE_OK; i++) {
		sqlite3_stmt *st = s->stmt[i == 0 ? ST_SUMMARY_CLEAR : ST_SUMMARY_FILL];
		sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		store_stmt_done(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_free(json);
	return rc;
}

int store_summary_refresh(store *s, const char *attempt_uuid)
{
	return store_summaries_refresh(s, &attempt_uuid, 1);
}

static bool stage_name_ok(const char *n)
{
	size_t len = n ? strlen(n) : 0;
	if (len == 0 || len > 32)
		return false;
	for (const char *p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '-'))
			return false;
	return true;
}

/* {"stage":{"score":N,"max":M},...}: names are checked to need no
 * escaping, so plain formatting gives valid JSON. */
static char *stage_json(store *s, const store_stage_score *stages, size_t count)
{
	enum { MAX_STAGES = 64, PER_STAGE = 32 + 2 * 21 + 32 };
	if (count > MAX_STAGES) {
		store_fail(s, "too many stages (%zu; at most %d)", count, MAX_STAGES);
		return NULL;
	}
	for (size_t i = 0; i < count; i++) {
		if (!stage_name_ok(stages[i].stage)) {
			store_fail(s, "stage name \"%.40s\" must be 1 to 32 of a-z, 0-9, _ and -",
			           stages[i].stage ? stages[i].stage : "");
			return NULL;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(stages[i].stage, stages[j].stage) == 0) {
				store_fail(s, "stage \"%s\" is given twice", stages[i].stage);
				return NULL;
			}
	}
	size_t cap = count * PER_STAGE + 3;
	char *json = malloc(cap);
	if (!json) {
		store_fail(s, "out of memory");
		return NULL;
	}
	size_t n = 0;
	json[n++] = '{';
	for (size_t i = 0; i < count; i++)
		n += (size_t)snprintf(json + n, cap - n, "%s\"%s\":{\"score\":%lld,\"max\":%lld}",
		                      i ? "," : "", stages[i].stage, (long long)stages[i].score,
		                      (long long)stages[i].max_score);
	snprintf(json + n, cap - n, "}");
	return json;
}

int store_attempt_finish(store *s, const char *attempt_uuid, int64_t score, int64_t max_score,
                         const store_stage_score *stages, size_t stage_count)
{
	if (check_uuid(s, attempt_uuid) != 0)
		return -1;
	char *json = stage_json(s, stages, stage_count);
	if (!json)
		return -1;
	struct finish_args f = {attempt_uuid, score, max_score, json, false};
	int rc = store_run_write(s, "cannot record the final score", attempt_finish_fn, &f);
	free(json);
	return rc;
}

int store_attempt_abandon(store *s, const char *attempt_uuid)
{
	if (check_uuid(s, attempt_uuid) != 0)
		return -1;
	struct finish_args f = {attempt_uuid, 0, 0, NULL, true};
	return store_run_write(s, "cannot abandon the attempt", attempt_finish_fn, &f);
}

/* ---- responses ---- */

struct response_args {
	const char *uuid;
	const store_response *r;
	int64_t seq;
};

static int response_add_fn(store *s, void *ctx)
{
	struct response_args *a = ctx;
	const store_response *r = a->r;
	sqlite3_stmt *st = s->stmt[ST_RESPONSE_INSERT];
	sqlite3_bind_text(st, 1, a->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->stage, -1, SQLITE_STATIC);
	bind_opt_text(st, 3, r->shipment_id);
	if (r->item_index >= 0)
		sqlite3_bind_int64(st, 4, r->item_index);
	else
		sqlite3_bind_null(st, 4);
	bind_opt_text(st, 5, r->question_id);
	sqlite3_bind_text(st, 6, r->answer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, r->points);
	sqlite3_bind_int64(st, 8, r->time_ms);
	bind_opt_text(st, 9, r->part);
	int rc = sqlite3_step(st);
	bool inserted = rc == SQLITE_ROW;
	if (inserted) {
		a->seq = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	store_stmt_done(st);
	if (rc != SQLITE_DONE)
		return rc;
	if (!inserted)
		return not_in_progress(s, "cannot record the response", a->uuid);
	return SQLITE_OK;
}

/* Checks one response's fields before anything is written. */
static int response_check(store *s, const store_response *r)
{
	if (check_text(s, "the stage", r->stage, false, STORE_MAX_FIELD, false) != 0 ||
	    check_text(s, "the part", r->part, true, STORE_MAX_FIELD, false) != 0 ||
	    check_text(s, "the shipment id", r->shipment_id, true, STORE_MAX_FIELD, false) != 0 ||
	    check_text(s, "the question id", r->question_id, true, STORE_MAX_FIELD, false) != 0)
		return -1;
	if (!r->answer)
		return store_fail(s, "the answer is missing");
	size_t alen = strlen(r->answer);
	if (alen > STORE_MAX_ANSWER)
		return store_fail(s, "the answer is too long (%zu bytes; at most %d)", alen,
		                  STORE_MAX_ANSWER);
	if (!text_utf8_valid(r->answer, alen))
		return store_fail(s, "the answer is not valid UTF-8");
	if (r->time_ms < 0)
		return store_fail(s, "the time taken is negative");
	return 0;
}

int store_response_add(store *s, const char *attempt_uuid, const store_response *r, int64_t *seq)
{
	if (check_uuid(s, attempt_uuid) != 0 || response_check(s, r) != 0)
		return -1;
	struct response_args a = {attempt_uuid, r, 0};
	if (store_run_write(s, "cannot record the response", response_add_fn, &a) != 0)
		return -1;
	if (seq)
		*seq = a.seq;
	return 0;
}

struct responses_args {
	const char *uuid;
	const store_response *rs;
	size_t n;
};

static int responses_add_fn(store *s, void *ctx)
{
	struct responses_args *b = ctx;
	for (size_t i = 0; i < b->n; i++) {
		struct response_args a = {b->uuid, &b->rs[i], 0};
		int rc = response_add_fn(s, &a);
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

int store_responses_add(store *s, const char *attempt_uuid, const store_response *rs, size_t n)
{
	if (check_uuid(s, attempt_uuid) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (response_check(s, &rs[i]) != 0)
			return -1;
	struct responses_args b = {attempt_uuid, rs, n};
	return store_run_write(s, "cannot record the responses", responses_add_fn, &b) != 0 ? -1
	                                                                                    : 0;
}

/* ---- reading attempts ---- */

static char *col_dup(sqlite3_stmt *st, int i, bool *oom)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	char *c = strdup((const char *)t);
	if (!c)
		*oom = true;
	return c;
}

static enum store_attempt_status status_of(const unsigned char *t)
{
	if (t && strcmp((const char *)t, "finished") == 0)
		return STORE_FINISHED;
	if (t && strcmp((const char *)t, "abandoned") == 0)
		return STORE_ABANDONED;
	return STORE_IN_PROGRESS;
}

void store_attempt_clear(store_attempt *a)
{
	if (!a)
		return;
	free(a->pack_id);
	free(a->pack_version);
	free(a->pack_sha256);
	free(a->mode);
	free(a->group_tag);
	free(a->started_at);
	free(a->ended_at);
	free(a->stage_scores);
	free(a->last_answered_at);
	memset(a, 0, sizeof *a);
}

/* Copies the ATTEMPT_COLUMNS row into *a.  Returns false when memory ran
 * out (a is then cleared). */
static bool attempt_from_row(sqlite3_stmt *st, store_attempt *a)
{
	bool oom = false;
	memset(a, 0, sizeof *a);
	const unsigned char *uuid = sqlite3_column_text(st, 0);
	snprintf(a->uuid, sizeof a->uuid, "%s", uuid ? (const char *)uuid : "");
	a->trainee_id = sqlite3_column_int64(st, 1);
	a->pack_id = col_dup(st, 2, &oom);
	a->pack_version = col_dup(st, 3, &oom);
	a->pack_sha256 = col_dup(st, 4, &oom);
	a->mode = col_dup(st, 5, &oom);
	a->seed = seed_from_db(sqlite3_column_int64(st, 6));
	a->group_tag = col_dup(st, 7, &oom);
	a->started_at = col_dup(st, 8, &oom);
	a->ended_at = col_dup(st, 9, &oom);
	a->status = status_of(sqlite3_column_text(st, 10));
	a->scored = sqlite3_column_type(st, 11) != SQLITE_NULL &&
	            sqlite3_column_type(st, 12) != SQLITE_NULL;
	a->score = sqlite3_column_int64(st, 11);
	a->max_score = sqlite3_column_int64(st, 12);
	a->stage_scores = col_dup(st, 13, &oom);
	a->response_count = sqlite3_column_int64(st, 14);
	a->last_answered_at = col_dup(st, 15, &oom);
	if (oom)
		store_attempt_clear(a);
	return !oom;
}

void store_attempt_list_free(store_attempt_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		store_attempt_clear(&list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = 0;
}

struct list_args {
	enum store_stmt stmt;
	int64_t trainee_id;
	store_attempt_list *out;
};

static int attempt_list_fn(store *s, void *ctx)
{
	struct list_args *l = ctx;
	sqlite3_stmt *st = s->stmt[l->stmt];
	size_t cap = 0;
	sqlite3_bind_int64(st, 1, l->trainee_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_attempt_list *out = l->out;
		if (out->count == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			store_attempt *n = ncap <= SIZE_MAX / sizeof *n
			                           ? realloc(out->items, ncap * sizeof *n)
			                           : NULL;
			if (!n)
				goto oom;
			out->items = n;
			cap = ncap;
		}
		if (!attempt_from_row(st, &out->items[out->count]))
			goto oom;
		out->count++;
	}
	store_stmt_done(st);
	if (rc == SQLITE_DONE)
		return SQLITE_OK;
	store_attempt_list_free(l->out);
	return rc;
oom:
	store_stmt_done(st);
	store_attempt_list_free(l->out);
	store_fail(s, "out of memory listing attempts");
	return STORE_FN_FAILED;
}

static int attempt_list(store *s, enum store_stmt stmt, int64_t trainee_id, store_attempt_list *out)
{
	out->items = NULL;
	out->count = 0;
	struct list_args l = {stmt, trainee_id, out};
	return store_run_read(s, "cannot list attempts", attempt_list_fn, &l);
}

int store_attempt_list_resumable(store *s, int64_t trainee_id, store_attempt_list *out)
{
	return attempt_list(s, ST_ATTEMPT_RESUMABLE, trainee_id, out);
}

int store_attempt_list_all(store *s, int64_t trainee_id, store_attempt_list *out)
{
	return attempt_list(s, ST_ATTEMPT_ALL, trainee_id, out);
}

struct get_args {
	const char *uuid;
	store_attempt *out;
	bool found;
};

static int attempt_get_fn(store *s, void *ctx)
{
	struct get_args *g = ctx;
	sqlite3_stmt *st = s->stmt[ST_ATTEMPT_GET];
	sqlite3_bind_text(st, 1, g->uuid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	g->found = rc == SQLITE_ROW;
	if (g->found && !attempt_from_row(st, g->out)) {
		store_stmt_done(st);
		store_fail(s, "out of memory reading an attempt");
		return STORE_FN_FAILED;
	}
	store_stmt_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int store_attempt_get(store *s, const char *attempt_uuid, store_attempt *out)
{
	memset(out, 0, sizeof *out);
	if (check_uuid(s, attempt_uuid) != 0)
		return -1;
	struct get_args g = {attempt_uuid, out, false};
	if (store_run_read(s, "cannot read the attempt", attempt_get_fn, &g) != 0)
		return -1;
	if (!g.found)
		return store_fail(s, "there is no attempt %s in %s", attempt_uuid, s->path);
	return 0;
}

/* ---- reading responses ---- */

struct responses_buf {
	const char *uuid;
	store_response *items;
	size_t count, cap;
};

static void response_free_strings(store_response *r)
{
	free((char *)r->stage);
	free((char *)r->part);
	free((char *)r->shipment_id);
	free((char *)r->question_id);
	free((char *)r->answer);
	free((char *)r->answered_at);
}

static void responses_buf_clear(struct responses_buf *b)
{
	for (size_t i = 0; i < b->count; i++)
		response_free_strings(&b->items[i]);
	free(b->items);
	b->items = NULL;
	b->count = b->cap = 0;
}

static int responses_fn(store *s, void *ctx)
{
	struct responses_buf *b = ctx;
	sqlite3_stmt *st = s->stmt[ST_RESPONSES];
	sqlite3_bind_text(st, 1, b->uuid, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (b->count == b->cap) {
			size_t ncap = b->cap ? b->cap * 2 : 32;
			store_response *n = ncap <= SIZE_MAX / sizeof *n
			                            ? realloc(b->items, ncap * sizeof *n)
			                            : NULL;
			if (!n)
				goto oom;
			b->items = n;
			b->cap = ncap;
		}
		bool oom = false;
		store_response *r = &b->items[b->count];
		r->id = sqlite3_column_int64(st, 0);
		r->seq = sqlite3_column_int64(st, 1);
		r->stage = col_dup(st, 2, &oom);
		r->shipment_id = col_dup(st, 3, &oom);
		r->item_index = sqlite3_column_type(st, 4) == SQLITE_NULL
		                        ? -1
		                        : sqlite3_column_int64(st, 4);
		r->question_id = col_dup(st, 5, &oom);
		r->answer = col_dup(st, 6, &oom);
		r->points = sqlite3_column_int64(st, 7);
		r->time_ms = sqlite3_column_int64(st, 8);
		r->answered_at = col_dup(st, 9, &oom);
		r->part = col_dup(st, 10, &oom);
		if (oom) {
			response_free_strings(r);
			goto oom;
		}
		b->count++;
	}
	store_stmt_done(st);
	if (rc == SQLITE_DONE)
		return SQLITE_OK;
	responses_buf_clear(b);
	return rc;
oom:
	store_stmt_done(st);
	responses_buf_clear(b);
	store_fail(s, "out of memory reading responses");
	return STORE_FN_FAILED;
}

int store_responses_of(store *s, const char *attempt_uuid, store_response_cb cb, void *ctx)
{
	if (check_uuid(s, attempt_uuid) != 0)
		return -1;
	/* Rows are copied out first so that no lock is held while callbacks
	 * run: in rollback-journal mode a reader blocks every writer. */
	struct responses_buf b = {attempt_uuid, NULL, 0, 0};
	if (store_run_read(s, "cannot read the responses", responses_fn, &b) != 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < b.count && rc == 0; i++)
		rc = cb(ctx, &b.items[i]);
	responses_buf_clear(&b);
	return rc;
}

/* ---- best score ---- */

struct best_args {
	int64_t trainee_id;
	const char *pack_id;
	int64_t score, max_score;
	bool found;
};

static int best_fn(store *s, void *ctx)
{
	struct best_args *b = ctx;
	sqlite3_stmt *st = s->stmt[ST_BEST];
	sqlite3_bind_int64(st, 1, b->trainee_id);
	sqlite3_bind_text(st, 2, b->pack_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	b->found = rc == SQLITE_ROW;
	if (b->found) {
		b->score = sqlite3_column_int64(st, 0);
		b->max_score = sqlite3_column_int64(st, 1);
	}
	store_stmt_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int store_best_score(store *s, int64_t trainee_id, const char *pack_id, int64_t *score,
                     int64_t *max_score, bool *found)
{
	*found = false;
	if (!pack_id)
		return store_fail(s, "the pack id is missing");
	struct best_args b = {trainee_id, pack_id, 0, 0, false};
	if (store_run_read(s, "cannot read the best score", best_fn, &b) != 0)
		return -1;
	*found = b.found;
	if (b.found) {
		*score = b.score;
		*max_score = b.max_score;
	}
	return 0;
}

/* ---- integrity ---- */

struct check_args {
	char *report;
	size_t len;
	bool problems;
};

static int append_line(struct check_args *c, const char *line)
{
	size_t n = strlen(line);
	if (n > SIZE_MAX - c->len - 2)
		return -1;
	char *r = realloc(c->report, c->len + n + 2);
	if (!r)
		return -1;
	memcpy(r + c->len, line, n);
	r[c->len + n] = '\n';
	r[c->len + n + 1] = '\0';
	c->report = r;
	c->len += n + 1;
	return 0;
}

static int check_fn(store *s, void *ctx)
{
	struct check_args *c = ctx;
	free(c->report);
	*c = (struct check_args){NULL, 0, false};
	sqlite3_stmt *st = s->stmt[ST_INTEGRITY];
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		if (t && strcmp((const char *)t, "ok") == 0)
			continue;
		c->problems = true;
		if (append_line(c, t ? (const char *)t : "(no detail)") != 0)
			goto oom;
	}
	store_stmt_done(st);
	if (rc != SQLITE_DONE)
		return rc;
	st = s->stmt[ST_FK_CHECK];
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char line[256];
		const unsigned char *table = sqlite3_column_text(st, 0);
		const unsigned char *parent = sqlite3_column_text(st, 2);
		snprintf(line, sizeof line, "row %lld of %s refers to a missing row of %s",
		         (long long)sqlite3_column_int64(st, 1), table ? (const char *)table : "?",
		         parent ? (const char *)parent : "?");
		c->problems = true;
		if (append_line(c, line) != 0)
			goto oom;
	}
	store_stmt_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
oom:
	store_stmt_done(st);
	store_fail(s, "out of memory checking the database");
	return STORE_FN_FAILED;
}

int store_integrity_check(store *s, char **report)
{
	if (report)
		*report = NULL;
	struct check_args c = {NULL, 0, false};
	if (store_run_read(s, "cannot check the results database", check_fn, &c) != 0) {
		free(c.report);
		return -1;
	}
	if (!c.problems) {
		free(c.report);
		return 0;
	}
	if (report)
		*report = c.report;
	else
		free(c.report);
	return 1;
}
