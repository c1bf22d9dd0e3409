/* test_store.c - the results store: schema and migrations, round trips,
 * resume listing, best score, input checks, and clear errors on foreign,
 * damaged and newer files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "ipr-drill/store.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fixture {
	char dir[64];
	char path[128];
	store *s;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/ipr-store-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/results.db", f->dir);
	*state = f;
	return 0;
}

static void remove_tree(const char *dir)
{
	/* The tests only make files and folders this deep. */
	static const char *const names[] = {"results.db",
	                                    "results.db-journal",
	                                    "other.db",
	                                    "other.db-journal",
	                                    "random.db",
	                                    "a/b/c/results.db",
	                                    "a/b/c/results.db-journal",
	                                    "a/b/c",
	                                    "a/b",
	                                    "a"};
	char p[256];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		if (unlink(p) != 0)
			rmdir(p);
	}
	rmdir(dir);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	remove_tree(f->dir);
	free(f);
	return 0;
}

static store *open_ok(const char *path)
{
	char err[STORE_ERR_SIZE] = "";
	store *s = NULL;
	int rc = store_open(path, 0, &s, err, sizeof err);
	if (rc != 0)
		print_error("store_open: %s\n", err);
	assert_int_equal(rc, 0);
	assert_non_null(s);
	return s;
}

/* Opens path expecting failure; returns the message. */
static const char *open_fails(const char *path, unsigned flags)
{
	static char err[STORE_ERR_SIZE];
	err[0] = '\0';
	store *s = (store *)1;
	assert_int_equal(store_open(path, flags, &s, err, sizeof err), -1);
	assert_null(s);
	assert_true(err[0] != '\0');
	return err;
}

static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		print_error("%s: %s\n", sql, msg ? msg : "?");
	sqlite3_free(msg);
	assert_int_equal(rc, SQLITE_OK);
	sqlite3_close(db);
}

static const char *const DIGEST =
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void begin(store *s, int64_t trainee, const char *pack, const char *mode,
                  char uuid[STORE_UUID_SIZE])
{
	store_attempt_new a = {trainee, pack, "1.0.0", DIGEST, mode, 42, "workshop-a"};
	int rc = store_attempt_begin(s, &a, uuid);
	if (rc != 0)
		print_error("begin: %s\n", store_errmsg(s));
	assert_int_equal(rc, 0);
}

static void add(store *s, const char *uuid, const char *stage, const char *answer, int64_t points)
{
	store_response r = {.stage = stage,
	                    .shipment_id = "SHP-1",
	                    .item_index = 0,
	                    .answer = answer,
	                    .points = points,
	                    .time_ms = 1500};
	int rc = store_response_add(s, uuid, &r, NULL);
	if (rc != 0)
		print_error("add: %s\n", store_errmsg(s));
	assert_int_equal(rc, 0);
}

static void finish(store *s, const char *uuid, int64_t score, int64_t max)
{
	store_stage_score st[] = {{"targeting", score, max}};
	int rc = store_attempt_finish(s, uuid, score, max, st, 1);
	if (rc != 0)
		print_error("finish: %s\n", store_errmsg(s));
	assert_int_equal(rc, 0);
}

/* ---- SHA-256 ---- */

static void test_sha256_vectors(void **state)
{
	(void)state;
	char hex[STORE_SHA256_HEX_SIZE];
	store_sha256_hex("", 0, hex);
	assert_string_equal(hex,
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	store_sha256_hex("abc", 3, hex);
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	store_sha256_hex(two, strlen(two), hex);
	assert_string_equal(hex,
	                    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* One million 'a', fed in uneven pieces to cross block borders. */
	store_sha256_ctx c;
	store_sha256_init(&c);
	char chunk[997];
	memset(chunk, 'a', sizeof chunk);
	size_t left = 1000000;
	while (left > 0) {
		size_t n = left < sizeof chunk ? left : sizeof chunk;
		store_sha256_update(&c, chunk, n);
		left -= n;
	}
	unsigned char d[32];
	store_sha256_final(&c, d);
	static const unsigned char want[32] = {0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92,
	                                       0x81, 0xa1, 0xc7, 0xe2, 0x84, 0xd7, 0x3e, 0x67,
	                                       0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97, 0x20, 0x0e,
	                                       0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11, 0x2c, 0xd0};
	assert_memory_equal(d, want, 32);
	/* Lengths around the padding and block borders, checked against
	 * coreutils' sha256sum. */
	static const struct {
		size_t len;
		const char *hex;
	} borders[] = {
	        {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
	        {56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
	        {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
	        {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
	        {65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
	        {119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
	};
	char buf[128];
	memset(buf, 'x', sizeof buf);
	for (size_t i = 0; i < sizeof borders / sizeof borders[0]; i++) {
		store_sha256_hex(buf, borders[i].len, hex);
		assert_string_equal(hex, borders[i].hex);
	}
}

static void test_sha256_file(void **state)
{
	struct fixture *f = *state;
	FILE *fp = fopen(f->path, "wb");
	assert_non_null(fp);
	fputs("abc", fp);
	fclose(fp);
	char hex[STORE_SHA256_HEX_SIZE], err[256];
	assert_int_equal(store_sha256_file(f->path, hex, err, sizeof err), 0);
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	char missing[160];
	snprintf(missing, sizeof missing, "%s/none.yaml", f->dir);
	assert_int_equal(store_sha256_file(missing, hex, err, sizeof err), -1);
	assert_non_null(strstr(err, "none.yaml"));
}

/* ---- paths ---- */

static void test_default_path(void **state)
{
	(void)state;
	char err[256];
	char *saved_xdg = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;
	char *saved_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	char *saved_db = getenv("IPR_DRILL_DB") ? strdup(getenv("IPR_DRILL_DB")) : NULL;

	setenv("XDG_DATA_HOME", "/data/x", 1);
	setenv("HOME", "/home/ana", 1);
	char *p = store_default_path(err, sizeof err);
	assert_string_equal(p, "/data/x/ipr-drill/results.db");
	free(p);

	setenv("XDG_DATA_HOME", "relative/dir", 1); /* ignored, as XDG says */
	p = store_default_path(err, sizeof err);
	assert_string_equal(p, "/home/ana/.local/share/ipr-drill/results.db");
	free(p);

	unsetenv("XDG_DATA_HOME");
	unsetenv("HOME");
	assert_null(store_default_path(err, sizeof err));
	assert_non_null(strstr(err, "--db"));

	setenv("HOME", "/home/ana", 1);
	unsetenv("IPR_DRILL_DB");
	bool def = false;
	p = store_resolve_path(NULL, &def, err, sizeof err);
	assert_true(def);
	assert_string_equal(p, "/home/ana/.local/share/ipr-drill/results.db");
	free(p);
	setenv("IPR_DRILL_DB", "/srv/workshop/results.db", 1);
	p = store_resolve_path(NULL, &def, err, sizeof err);
	assert_false(def);
	assert_string_equal(p, "/srv/workshop/results.db");
	free(p);
	p = store_resolve_path("mine.db", &def, err, sizeof err);
	assert_false(def);
	assert_string_equal(p, "mine.db");
	free(p);

	if (saved_xdg)
		setenv("XDG_DATA_HOME", saved_xdg, 1);
	else
		unsetenv("XDG_DATA_HOME");
	if (saved_home)
		setenv("HOME", saved_home, 1);
	else
		unsetenv("HOME");
	if (saved_db)
		setenv("IPR_DRILL_DB", saved_db, 1);
	else
		unsetenv("IPR_DRILL_DB");
	free(saved_xdg);
	free(saved_home);
	free(saved_db);
}

/* ---- schema ---- */

static void test_open_creates_folders_and_schema(void **state)
{
	struct fixture *f = *state;
	char path[200];
	snprintf(path, sizeof path, "%s/a/b/c/results.db", f->dir);
	char err[STORE_ERR_SIZE];
	mode_t old = umask(022);
	assert_int_equal(store_open(path, STORE_OPEN_PRIVATE_DIRS, &f->s, err, sizeof err), 0);
	umask(old);
	char dir[200];
	snprintf(dir, sizeof dir, "%s/a/b", f->dir);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_string_equal(store_path(f->s), path);
	store_close(f->s);
	f->s = NULL;

	assert_int_equal(sql_int(path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(sql_int(path, "PRAGMA application_id"), STORE_APPLICATION_ID);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
	                               " AND name IN ('trainee', 'attempt', 'response')"),
	                 3);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
	                               " AND name IN ('attempt_by_trainee', 'attempt_by_pack',"
	                               " 'attempt_by_group')"),
	                 3);
	/* Opening again migrates nothing and keeps the data. */
	f->s = open_ok(path);
	int64_t id = 0;
	assert_int_equal(store_trainee_upsert(f->s, "Ana Lima", NULL, NULL, &id), 0);
	store_close(f->s);
	f->s = open_ok(path);
	int64_t again = 0;
	bool found = false;
	assert_int_equal(store_trainee_find(f->s, "Ana Lima", &again, &found), 0);
	assert_true(found);
	assert_int_equal(again, id);
	assert_int_equal(store_integrity_check(f->s, NULL), 0);
}

static void test_open_empty_file_and_settings(void **state)
{
	struct fixture *f = *state;
	int fd = open(f->path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	f->s = open_ok(f->path);
	sqlite3 *db = store_handle(f->s);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "truncate");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA synchronous", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2); /* FULL */
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	int on = -1;
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &on);
	assert_int_equal(on, 1);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, -1, &on);
	assert_int_equal(on, 0);
}

/* ---- round trips ---- */

struct collected {
	int count;
	store_response r[8];
	char answers[8][64];
	char stages[8][32];
	bool null_shipment[8];
	bool null_question[8];
	int stop_at;
};

static int collect(void *ctx, const store_response *r)
{
	struct collected *c = ctx;
	if (c->count == c->stop_at)
		return 7;
	assert_true(c->count < 8);
	c->r[c->count] = *r;
	snprintf(c->answers[c->count], sizeof c->answers[0], "%s", r->answer);
	snprintf(c->stages[c->count], sizeof c->stages[0], "%s", r->stage);
	c->null_shipment[c->count] = r->shipment_id == NULL;
	c->null_question[c->count] = r->question_id == NULL;
	assert_non_null(r->answered_at);
	assert_int_equal(strlen(r->answered_at), 24);
	c->count++;
	return 0;
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	f->s = open_ok(f->path);
	int64_t ana = 0, same = 0;
	assert_int_equal(store_trainee_upsert(f->s, "Ana Lima", "Customs A", "PT", &ana), 0);
	assert_int_equal(store_trainee_upsert(f->s, "Ana Lima", "", NULL, &same), 0);
	assert_int_equal(ana, same);
	assert_int_equal(store_trainee_upsert(f->s, "Ana Lima", "Customs B", NULL, &same), 0);
	assert_int_equal(ana, same);

	char uuid[STORE_UUID_SIZE];
	store_attempt_new a = {ana, "sea-freight-basics", "2.1", DIGEST, "exam", UINT64_MAX, NULL};
	assert_int_equal(store_attempt_begin(f->s, &a, uuid), 0);
	assert_int_equal(strlen(uuid), 36);
	assert_int_equal(uuid[14], '4');           /* version 4 */
	assert_non_null(strchr("89ab", uuid[19])); /* RFC 4122 variant */

	store_response r1 = {.stage = "targeting",
	                     .shipment_id = "SHP-7",
	                     .item_index = -1,
	                     .question_id = NULL,
	                     .answer = "select",
	                     .points = 3,
	                     .time_ms = 2100};
	store_response r2 = {.stage = "question",
	                     .item_index = -1,
	                     .question_id = "q-origin",
	                     .answer = "A,C \xe4\xb8\xad",
	                     .points = -1,
	                     .time_ms = 0};
	store_response r3 = {.stage = "verdict",
	                     .shipment_id = "SHP-7",
	                     .item_index = 2,
	                     .answer = "counterfeit",
	                     .points = 2,
	                     .time_ms = 900};
	int64_t seq = 0;
	assert_int_equal(store_response_add(f->s, uuid, &r1, &seq), 0);
	assert_int_equal(seq, 1);
	assert_int_equal(store_response_add(f->s, uuid, &r2, &seq), 0);
	assert_int_equal(seq, 2);
	assert_int_equal(store_response_add(f->s, uuid, &r3, &seq), 0);
	assert_int_equal(seq, 3);

	struct collected c = {.stop_at = -1};
	assert_int_equal(store_responses_of(f->s, uuid, collect, &c), 0);
	assert_int_equal(c.count, 3);
	assert_string_equal(c.stages[0], "targeting");
	assert_string_equal(c.answers[0], "select");
	assert_false(c.null_shipment[0]);
	assert_true(c.null_question[0]);
	assert_int_equal(c.r[0].item_index, -1);
	assert_int_equal(c.r[0].points, 3);
	assert_int_equal(c.r[0].time_ms, 2100);
	assert_string_equal(c.answers[1], "A,C \xe4\xb8\xad");
	assert_true(c.null_shipment[1]);
	assert_false(c.null_question[1]);
	assert_int_equal(c.r[1].points, -1);
	assert_int_equal(c.r[2].item_index, 2);
	assert_int_equal(c.r[2].seq, 3);

	/* A callback's non-zero result stops the walk and is returned. */
	struct collected stop = {.stop_at = 1};
	assert_int_equal(store_responses_of(f->s, uuid, collect, &stop), 7);
	assert_int_equal(stop.count, 1);

	store_stage_score stages[] = {
	        {"targeting", 3, 5}, {"questions", -1, 2}, {"verdicts", 2, 2}};
	assert_int_equal(store_attempt_finish(f->s, uuid, 4, 9, stages, 3), 0);

	store_attempt got;
	assert_int_equal(store_attempt_get(f->s, uuid, &got), 0);
	assert_string_equal(got.uuid, uuid);
	assert_int_equal(got.trainee_id, ana);
	assert_string_equal(got.pack_id, "sea-freight-basics");
	assert_string_equal(got.pack_version, "2.1");
	assert_string_equal(got.pack_sha256, DIGEST);
	assert_string_equal(got.mode, "exam");
	assert_true(got.seed == UINT64_MAX);
	assert_null(got.group_tag);
	assert_non_null(got.started_at);
	assert_non_null(got.ended_at);
	assert_int_equal(got.status, STORE_FINISHED);
	assert_true(got.scored);
	assert_int_equal(got.score, 4);
	assert_int_equal(got.max_score, 9);
	assert_string_equal(got.stage_scores, "{\"targeting\":{\"score\":3,\"max\":5},"
	                                      "\"questions\":{\"score\":-1,\"max\":2},"
	                                      "\"verdicts\":{\"score\":2,\"max\":2}}");
	assert_int_equal(got.response_count, 3);
	assert_non_null(got.last_answered_at);
	store_attempt_clear(&got);
	assert_null(got.pack_id);

	/* The stage scores are JSON SQLite can read (reports rely on it). */
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_handle(f->s),
	                                    "SELECT json_extract(stage_scores, '$.questions.max')"
	                                    " FROM attempt WHERE uuid = ?1",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);

	/* A finished attempt takes no more responses and no second finish. */
	assert_int_equal(store_response_add(f->s, uuid, &r1, NULL), -1);
	assert_non_null(strstr(store_errmsg(f->s), "finished"));
	assert_int_equal(store_attempt_finish(f->s, uuid, 1, 9, NULL, 0), -1);
	assert_non_null(strstr(store_errmsg(f->s), "no longer in progress"));
	assert_int_equal(store_attempt_abandon(f->s, uuid), -1);
	assert_int_equal(store_integrity_check(f->s, NULL), 0);
}

/* Reads the part column of response seq of an attempt ("" for NULL). */
static int part_of(void *ctx, const store_response *r)
{
	char **parts = ctx;
	parts[r->seq - 1] = strdup(r->part ? r->part : "");
	return 0;
}

static void test_batch_and_part(void **state)
{
	struct fixture *f = *state;
	f->s = open_ok(f->path);
	int64_t t = 0;
	char uuid[STORE_UUID_SIZE];
	assert_int_equal(store_trainee_upsert(f->s, "Batch", NULL, NULL, &t), 0);
	begin(f->s, t, "p", "practice", uuid);

	store_response rs[3] = {
	        {.stage = "targeting", .answer = "confirm", .item_index = -1},
	        {.stage = "targeting",
	         .part = "targeting",
	         .shipment_id = "S1",
	         .item_index = -1,
	         .answer = "target:examined",
	         .points = 10},
	        {.stage = "targeting",
	         .part = "indicators",
	         .shipment_id = "S1",
	         .item_index = -1,
	         .answer = "indicators:undervalued",
	         .points = 2},
	};
	assert_int_equal(store_responses_add(f->s, uuid, rs, 3), 0);
	char *parts[3] = {0};
	assert_int_equal(store_responses_of(f->s, uuid, part_of, parts), 0);
	assert_string_equal(parts[0], "");
	assert_string_equal(parts[1], "targeting");
	assert_string_equal(parts[2], "indicators");
	for (int i = 0; i < 3; i++)
		free(parts[i]);

	/* One bad record refuses the whole batch: nothing is written. */
	rs[2].time_ms = -5;
	assert_int_not_equal(store_responses_add(f->s, uuid, rs, 3), 0);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM response"), 3);
}

/* A finished attempt's summary (table scored): points per scored unit,
 * decisions with their lists split; none for an attempt not finished. */
static void test_summary(void **state)
{
	struct fixture *f = *state;
	f->s = open_ok(f->path);
	int64_t t = 0;
	char uuid[STORE_UUID_SIZE], other[STORE_UUID_SIZE];
	assert_int_equal(store_trainee_upsert(f->s, "Sum", NULL, NULL, &t), 0);
	begin(f->s, t, "p", "practice", uuid);
	store_response rs[] = {
	        {.stage = "targeting", .shipment_id = "S1", .item_index = -1, .answer = "flag:a"},
	        {.stage = "targeting",
	         .part = "targeting",
	         .shipment_id = "S1",
	         .item_index = -1,
	         .answer = "target:examined",
	         .points = 10},
	        {.stage = "targeting",
	         .part = "indicators",
	         .shipment_id = "S1",
	         .item_index = -1,
	         .answer = "indicators:a,b",
	         .points = -2},
	        {.stage = "verdicts",
	         .part = "verdicts",
	         .shipment_id = "S1",
	         .item_index = 0,
	         .answer = "verdict:counterfeit",
	         .points = 10},
	        {.stage = "evidence",
	         .part = "evidence",
	         .shipment_id = "S1",
	         .item_index = 0,
	         .answer = "evidence:f1,f2,f3",
	         .points = 3},
	        {.stage = "questions",
	         .part = "questions",
	         .item_index = -1,
	         .question_id = "q1",
	         .answer = "answer:0,2",
	         .points = 5},
	};
	assert_int_equal(store_responses_add(f->s, uuid, rs, sizeof rs / sizeof rs[0]), 0);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored"), 0);
	finish(f->s, uuid, 26, 40);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored WHERE kind = 'points'"), 3);
	assert_int_equal(sql_int(f->path, "SELECT points FROM scored WHERE kind = 'points'"
	                                  " AND shipment_id = 'S1' AND item_index IS NULL"),
	                 8);
	assert_int_equal(sql_int(f->path, "SELECT points FROM scored WHERE kind = 'points'"
	                                  " AND item_index = 0"),
	                 13);
	assert_int_equal(sql_int(f->path, "SELECT points FROM scored WHERE kind = 'points'"
	                                  " AND question_id = 'q1' AND shipment_id IS NULL"),
	                 5);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored WHERE kind = 'target'"
	                                  " AND value = 'examined'"),
	                 1);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored WHERE kind = 'indicator'"
	                                  " AND value IN ('a', 'b')"),
	                 2);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored WHERE kind = 'verdict'"
	                                  " AND value = 'counterfeit' AND item_index = 0"),
	                 1);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored WHERE kind = 'evidence'"
	                                  " AND item_index = 0"),
	                 3);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored"), 10);
	/* Refreshing gives the same rows, not twice as many. */
	assert_int_equal(store_summary_refresh(f->s, uuid), SQLITE_OK);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored"), 10);

	/* An abandoned attempt has no summary. */
	begin(f->s, t, "p", "practice", other);
	assert_int_equal(store_responses_add(f->s, other, rs, sizeof rs / sizeof rs[0]), 0);
	assert_int_equal(store_attempt_abandon(f->s, other), 0);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored"), 10);
}

/* The summary keeps the decisions that count, as the trainer's replay
 * does: the first settlement of a shipment and verdict of an item; the
 * flags of a settled shipment and citations of a judged item, each id
 * once.  A doctored file's repeats and strays give no rows. */
static void test_summary_first_counts(void **state)
{
	struct fixture *f = *state;
	f->s = open_ok(f->path);
	int64_t t = 0;
	char uuid[STORE_UUID_SIZE];
	assert_int_equal(store_trainee_upsert(f->s, "Rep", NULL, NULL, &t), 0);
	begin(f->s, t, "p", "practice", uuid);
	store_response rs[] = {
	        {.stage = "targeting",
	         .shipment_id = "S1",
	         .item_index = -1,
	         .answer = "target:released"},
	        {.stage = "targeting",
	         .shipment_id = "S1",
	         .item_index = -1,
	         .answer = "target:examined"},
	        {.stage = "targeting",
	         .shipment_id = "S1",
	         .item_index = -1,
	         .answer = "indicators:a,b,a"},
	        {.stage = "targeting",
	         .shipment_id = "S1",
	         .item_index = -1,
	         .answer = "indicators:b,c"},
	        /* S2 never settled: its flags do not count. */
	        {.stage = "targeting",
	         .shipment_id = "S2",
	         .item_index = -1,
	         .answer = "indicators:a"},
	        {.stage = "verdicts",
	         .shipment_id = "S1",
	         .item_index = 0,
	         .answer = "verdict:genuine"},
	        {.stage = "verdicts",
	         .shipment_id = "S1",
	         .item_index = 0,
	         .answer = "verdict:counterfeit"},
	        {.stage = "evidence",
	         .shipment_id = "S1",
	         .item_index = 0,
	         .answer = "evidence:f1,f1"},
	        /* Item 1 never judged: its citations do not count. */
	        {.stage = "evidence",
	         .shipment_id = "S1",
	         .item_index = 1,
	         .answer = "evidence:f2"},
	};
	assert_int_equal(store_responses_add(f->s, uuid, rs, sizeof rs / sizeof rs[0]), 0);
	finish(f->s, uuid, 0, 40);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored WHERE kind = 'target'"), 1);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored WHERE kind = 'target'"
	                                  " AND value = 'released' AND seq = 1"),
	                 1);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored WHERE kind = 'verdict'"), 1);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored WHERE kind = 'verdict'"
	                                  " AND value = 'genuine'"),
	                 1);
	/* a, b from the first list, c from the second; a once. */
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored WHERE kind = 'indicator'"),
	                 3);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored WHERE kind = 'indicator'"
	                                  " AND shipment_id = 'S1' AND value IN ('a', 'b', 'c')"),
	                 3);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored WHERE kind = 'evidence'"),
	                 1);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored WHERE kind = 'evidence'"
	                                  " AND item_index = 0 AND value = 'f1'"),
	                 1);
}

/* Many attempts refreshed at once (a merge) give the rows one by one
 * would; attempts not finished, unknown uuids and one with a quote in it
 * give none. */
static void test_summaries_many(void **state)
{
	struct fixture *f = *state;
	f->s = open_ok(f->path);
	int64_t t = 0;
	char u[3][STORE_UUID_SIZE];
	assert_int_equal(store_trainee_upsert(f->s, "Many", NULL, NULL, &t), 0);
	store_response rs[] = {
	        {.stage = "targeting",
	         .shipment_id = "S1",
	         .item_index = -1,
	         .answer = "target:examined",
	         .points = 10},
	        {.stage = "targeting",
	         .shipment_id = "S1",
	         .item_index = -1,
	         .answer = "indicators:a,b",
	         .points = 2},
	        {.stage = "verdicts",
	         .shipment_id = "S1",
	         .item_index = 0,
	         .answer = "verdict:counterfeit",
	         .points = 10},
	};
	for (int i = 0; i < 3; i++) {
		begin(f->s, t, "p", "practice", u[i]);
		assert_int_equal(store_responses_add(f->s, u[i], rs, 3), 0);
	}
	finish(f->s, u[0], 22, 40);
	finish(f->s, u[1], 22, 40);
	/* 2 points rows (shipment, item), a target, 2 flags, a verdict. */
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored"), 12);
	const char *all[] = {u[0], u[1], u[2], "no-such-attempt", "a\"b\\c"};
	assert_int_equal(store_summaries_refresh(f->s, all, 5), SQLITE_OK);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored"), 12);
	assert_int_equal(sql_int(f->path, "SELECT count(DISTINCT attempt_uuid) FROM scored"), 2);
	assert_int_equal(store_summaries_refresh(f->s, all, 0), SQLITE_OK);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM scored"), 12);
}

static void test_bad_input(void **state)
{
	struct fixture *f = *state;
	f->s = open_ok(f->path);
	int64_t id = 0;
	assert_int_equal(store_trainee_upsert(f->s, "", NULL, NULL, &id), -1);
	assert_non_null(strstr(store_errmsg(f->s), "missing"));
	assert_int_equal(store_trainee_upsert(f->s, "Ana\x1b[31m", NULL, NULL, &id), -1);
	assert_non_null(strstr(store_errmsg(f->s), "control"));
	assert_int_equal(store_trainee_upsert(f->s, "Ana \xff", NULL, NULL, &id), -1);
	assert_non_null(strstr(store_errmsg(f->s), "UTF-8"));
	assert_int_equal(store_trainee_upsert(f->s, "Ana", "Org\n", NULL, &id), -1);
	assert_int_equal(store_trainee_upsert(f->s, "Ana", NULL, NULL, &id), 0);

	char uuid[STORE_UUID_SIZE];
	store_attempt_new a = {id, "p", "1", "XYZ", "practice", 1, NULL};
	assert_int_equal(store_attempt_begin(f->s, &a, uuid), -1);
	assert_non_null(strstr(store_errmsg(f->s), "digest"));
	a.pack_sha256 = DIGEST;
	a.mode = "training";
	assert_int_equal(store_attempt_begin(f->s, &a, uuid), -1);
	assert_non_null(strstr(store_errmsg(f->s), "mode"));
	a.mode = "practice";
	a.trainee_id = id + 1000;
	assert_int_equal(store_attempt_begin(f->s, &a, uuid), -1);
	assert_non_null(strstr(store_errmsg(f->s), "no trainee"));
	a.trainee_id = id;
	assert_int_equal(store_attempt_begin(f->s, &a, uuid), 0);

	store_response r = {.stage = "verdict", .item_index = -1, .answer = "x", .time_ms = 1};
	assert_int_equal(store_response_add(f->s, "not-a-uuid", &r, NULL), -1);
	assert_non_null(strstr(store_errmsg(f->s), "UUID"));
	assert_int_equal(store_response_add(f->s, "00000000-0000-4000-8000-000000000000", &r, NULL),
	                 -1);
	assert_non_null(strstr(store_errmsg(f->s), "no attempt"));
	r.time_ms = -5;
	assert_int_equal(store_response_add(f->s, uuid, &r, NULL), -1);
	r.time_ms = 1;
	r.answer = NULL;
	assert_int_equal(store_response_add(f->s, uuid, &r, NULL), -1);
	char *big = malloc(STORE_MAX_ANSWER + 2);
	assert_non_null(big);
	memset(big, 'y', STORE_MAX_ANSWER + 1);
	big[STORE_MAX_ANSWER + 1] = '\0';
	r.answer = big;
	assert_int_equal(store_response_add(f->s, uuid, &r, NULL), -1);
	assert_non_null(strstr(store_errmsg(f->s), "too long"));
	free(big);
	/* Raw answers may hold newlines and tabs; only validity is checked. */
	r.answer = "line one\nline\ttwo";
	assert_int_equal(store_response_add(f->s, uuid, &r, NULL), 0);

	store_stage_score bad[] = {{"Targeting!", 1, 2}};
	assert_int_equal(store_attempt_finish(f->s, uuid, 1, 2, bad, 1), -1);
	assert_non_null(strstr(store_errmsg(f->s), "stage name"));
	store_stage_score twice[] = {{"a", 1, 2}, {"a", 1, 2}};
	assert_int_equal(store_attempt_finish(f->s, uuid, 1, 2, twice, 2), -1);
	assert_non_null(strstr(store_errmsg(f->s), "twice"));
	store_attempt got;
	assert_int_equal(store_attempt_get(f->s, "00000000-0000-4000-8000-000000000000", &got), -1);
	assert_non_null(strstr(store_errmsg(f->s), "no attempt"));
}

/* ---- resume and best score ---- */

static void test_resume_listing(void **state)
{
	struct fixture *f = *state;
	f->s = open_ok(f->path);
	int64_t ana = 0, ben = 0;
	assert_int_equal(store_trainee_upsert(f->s, "Ana", NULL, NULL, &ana), 0);
	assert_int_equal(store_trainee_upsert(f->s, "Ben", NULL, NULL, &ben), 0);

	store_attempt_list list;
	assert_int_equal(store_attempt_list_resumable(f->s, ana, &list), 0);
	assert_int_equal(list.count, 0);
	store_attempt_list_free(&list);

	char done[STORE_UUID_SIZE], dropped[STORE_UUID_SIZE], older[STORE_UUID_SIZE],
	        newer[STORE_UUID_SIZE], bens[STORE_UUID_SIZE];
	begin(f->s, ana, "pack-a", "practice", done);
	finish(f->s, done, 1, 2);
	begin(f->s, ana, "pack-a", "practice", dropped);
	assert_int_equal(store_attempt_abandon(f->s, dropped), 0);
	begin(f->s, ana, "pack-a", "practice", older);
	add(f->s, older, "targeting", "select", 1);
	usleep(5000); /* started_at has millisecond resolution */
	begin(f->s, ana, "pack-b", "exam", newer);
	add(f->s, newer, "targeting", "select", 1);
	add(f->s, newer, "verdict", "genuine", 0);
	begin(f->s, ben, "pack-a", "practice", bens);

	assert_int_equal(store_attempt_list_resumable(f->s, ana, &list), 0);
	assert_int_equal(list.count, 2);
	assert_string_equal(list.items[0].uuid, newer);
	assert_string_equal(list.items[0].pack_id, "pack-b");
	assert_int_equal(list.items[0].response_count, 2);
	assert_int_equal(list.items[0].status, STORE_IN_PROGRESS);
	assert_false(list.items[0].scored);
	assert_null(list.items[0].ended_at);
	assert_string_equal(list.items[0].group_tag, "workshop-a");
	assert_int_equal(list.items[0].seed, 42);
	assert_string_equal(list.items[1].uuid, older);
	assert_int_equal(list.items[1].response_count, 1);
	store_attempt_list_free(&list);
	assert_null(list.items);

	assert_int_equal(store_attempt_list_all(f->s, ana, &list), 0);
	assert_int_equal(list.count, 4);
	assert_int_equal(list.items[0].status, STORE_FINISHED);
	assert_int_equal(list.items[1].status, STORE_ABANDONED);
	assert_null(list.items[1].stage_scores);
	store_attempt_list_free(&list);

	/* Resuming: the replay sees the responses in order and the attempt
	 * goes on taking new ones. */
	struct collected c = {.stop_at = -1};
	assert_int_equal(store_responses_of(f->s, newer, collect, &c), 0);
	assert_int_equal(c.count, 2);
	assert_string_equal(c.answers[1], "genuine");
	add(f->s, newer, "action", "detain", 2);
	c = (struct collected){.stop_at = -1};
	assert_int_equal(store_responses_of(f->s, newer, collect, &c), 0);
	assert_int_equal(c.count, 3);
	assert_int_equal(c.r[2].seq, 3);
}

static void test_best_score(void **state)
{
	struct fixture *f = *state;
	f->s = open_ok(f->path);
	int64_t ana = 0, ben = 0;
	assert_int_equal(store_trainee_upsert(f->s, "Ana", NULL, NULL, &ana), 0);
	assert_int_equal(store_trainee_upsert(f->s, "Ben", NULL, NULL, &ben), 0);
	int64_t score = -1, max = -1;
	bool found = true;
	assert_int_equal(store_best_score(f->s, ana, "pack-a", &score, &max, &found), 0);
	assert_false(found);

	char u[STORE_UUID_SIZE];
	begin(f->s, ana, "pack-a", "practice", u);
	finish(f->s, u, 5, 10);
	begin(f->s, ana, "pack-a", "practice", u);
	finish(f->s, u, 8, 10);
	begin(f->s, ana, "pack-a", "practice", u); /* more points, lower share */
	finish(f->s, u, 9, 20);
	begin(f->s, ana, "pack-a", "practice", u); /* unfinished: does not count */
	add(f->s, u, "targeting", "select", 50);
	begin(f->s, ana, "pack-b", "practice", u);
	finish(f->s, u, 10, 10);
	begin(f->s, ben, "pack-a", "practice", u);
	finish(f->s, u, 10, 10);

	assert_int_equal(store_best_score(f->s, ana, "pack-a", &score, &max, &found), 0);
	assert_true(found);
	assert_int_equal(score, 8);
	assert_int_equal(max, 10);
	assert_int_equal(store_best_score(f->s, ben, "pack-b", &score, &max, &found), 0);
	assert_false(found);
}

/* ---- foreign, damaged and newer files ---- */

static void test_random_bytes_file(void **state)
{
	struct fixture *f = *state;
	FILE *fp = fopen(f->path, "wb");
	assert_non_null(fp);
	unsigned x = 12345;
	for (int i = 0; i < 8192; i++) {
		x = x * 1103515245u + 12345u;
		fputc((int)(x >> 16) & 0xff, fp);
	}
	fclose(fp);
	const char *msg = open_fails(f->path, 0);
	assert_non_null(strstr(msg, "not an ipr-drill results database"));
	assert_non_null(strstr(msg, f->path));
	msg = open_fails(f->path, STORE_OPEN_READONLY);
	assert_non_null(strstr(msg, "not an ipr-drill results database"));
}

static void test_foreign_sqlite_file(void **state)
{
	struct fixture *f = *state;
	sql_exec(f->path, "CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES ('soup');");
	const char *msg = open_fails(f->path, 0);
	assert_non_null(strstr(msg, "another program"));
	/* Nothing was added to the other program's file. */
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM sqlite_schema"), 1);
	assert_int_equal(sql_int(f->path, "PRAGMA user_version"), 0);

	char other[160];
	snprintf(other, sizeof other, "%s/other.db", f->dir);
	sql_exec(other, "PRAGMA application_id = 1234; CREATE TABLE t(x);");
	msg = open_fails(other, 0);
	assert_non_null(strstr(msg, "belongs to another program"));
	assert_non_null(strstr(msg, "0x000004d2"));
}

static void test_newer_schema(void **state)
{
	struct fixture *f = *state;
	f->s = open_ok(f->path);
	store_close(f->s);
	f->s = NULL;
	sql_exec(f->path, "PRAGMA user_version = 7;");
	const char *msg = open_fails(f->path, 0);
	assert_non_null(strstr(msg, "newer ipr-drill"));
	assert_non_null(strstr(msg, "upgrade"));
	msg = open_fails(f->path, STORE_OPEN_READONLY);
	assert_non_null(strstr(msg, "newer ipr-drill"));
	assert_int_equal(sql_int(f->path, "PRAGMA user_version"), 7);
}

static void test_marked_but_empty(void **state)
{
	struct fixture *f = *state;
	sql_exec(f->path, "PRAGMA application_id = 1230000708; PRAGMA user_version = 1;");
	const char *msg = open_fails(f->path, 0);
	assert_non_null(strstr(msg, "damaged"));
}

static void test_damaged_file(void **state)
{
	struct fixture *f = *state;
	f->s = open_ok(f->path);
	int64_t id = 0;
	assert_int_equal(store_trainee_upsert(f->s, "Ana", NULL, NULL, &id), 0);
	char u[STORE_UUID_SIZE];
	begin(f->s, id, "pack-a", "practice", u);
	for (int i = 0; i < 300; i++)
		add(f->s, u, "question", "a fairly long answer to fill some pages of the file", 1);
	store_close(f->s);
	f->s = NULL;

	/* Scribble over every page after the first: the header still says
	 * SQLite, the rest is garbage. */
	int fd = open(f->path, O_RDWR);
	assert_true(fd >= 0);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(st.st_size > 4096 * 4);
	unsigned char junk[4096];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(i * 37 + 11);
	for (off_t off = 4096; off < st.st_size; off += 4096)
		assert_int_equal(pwrite(fd, junk, sizeof junk, off), (ssize_t)sizeof junk);
	close(fd);

	char err[STORE_ERR_SIZE] = "";
	int rc = store_open(f->path, 0, &f->s, err, sizeof err);
	if (rc != 0) {
		assert_true(strlen(err) > 0);
		return;
	}
	/* Opened (the schema page survived): using it must fail cleanly. */
	char *report = NULL;
	int check = store_integrity_check(f->s, &report);
	assert_true(check != 0);
	if (check == 1)
		assert_non_null(report);
	else
		assert_true(strlen(store_errmsg(f->s)) > 0);
	free(report);
	store_attempt_list list;
	if (store_attempt_list_all(f->s, id, &list) == 0)
		store_attempt_list_free(&list);
	else
		assert_true(strlen(store_errmsg(f->s)) > 0);
}

static void test_damaged_schema_page(void **state)
{
	struct fixture *f = *state;
	f->s = open_ok(f->path);
	store_close(f->s);
	f->s = NULL;
	/* Garbage over the schema's b-tree page, after the 100-byte header. */
	int fd = open(f->path, O_RDWR);
	assert_true(fd >= 0);
	unsigned char junk[3000];
	memset(junk, 0xA5, sizeof junk);
	assert_int_equal(pwrite(fd, junk, sizeof junk, 100), (ssize_t)sizeof junk);
	close(fd);
	const char *msg = open_fails(f->path, 0);
	assert_non_null(strstr(msg, f->path));
}

static void test_readonly(void **state)
{
	struct fixture *f = *state;
	const char *msg = open_fails(f->path, STORE_OPEN_READONLY);
	assert_non_null(strstr(msg, "results.db"));
	assert_int_equal(access(f->path, F_OK), -1); /* not created */

	f->s = open_ok(f->path);
	int64_t id = 0;
	assert_int_equal(store_trainee_upsert(f->s, "Ana", NULL, NULL, &id), 0);
	store_close(f->s);
	f->s = NULL;
	char err[STORE_ERR_SIZE];
	assert_int_equal(store_open(f->path, STORE_OPEN_READONLY, &f->s, err, sizeof err), 0);
	int64_t again = 0;
	bool found = false;
	assert_int_equal(store_trainee_find(f->s, "Ana", &again, &found), 0);
	assert_true(found);
	assert_int_equal(store_trainee_upsert(f->s, "Ben", NULL, NULL, &id), -1);
	assert_non_null(strstr(store_errmsg(f->s), "read-only"));
}

static void test_folder_as_path(void **state)
{
	struct fixture *f = *state;
	const char *msg = open_fails(f->dir, 0);
	assert_non_null(strstr(msg, "folder"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_sha256_vectors),
	        cmocka_unit_test_setup_teardown(test_sha256_file, setup, teardown),
	        cmocka_unit_test(test_default_path),
	        cmocka_unit_test_setup_teardown(test_open_creates_folders_and_schema, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_open_empty_file_and_settings, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_batch_and_part, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_summary_first_counts, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_summaries_many, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_resume_listing, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_best_score, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_random_bytes_file, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_foreign_sqlite_file, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_newer_schema, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_marked_but_empty, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_damaged_file, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_damaged_schema_page, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_readonly, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_folder_as_path, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
