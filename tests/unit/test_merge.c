/* test_merge.c - merging laptop databases: idempotence, overlapping and
 * later copies of an attempt, and refusing foreign, damaged and hostile
 * files without changing the destination. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "ipr-drill/report.h"
#include "ipr-drill/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static void path_of(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

static store *open_db(const char *name)
{
	char p[128], err[STORE_ERR_SIZE];
	path_of(p, sizeof p, name);
	store *s = NULL;
	if (store_open(p, 0, &s, err, sizeof err) != 0)
		fail_msg("store_open %s: %s", p, err);
	return s;
}

/* An attempt of trainee name with n responses of 1 point each, finished
 * when finish is true.  Returns its UUID in uuid. */
static void add_attempt(store *s, const char *name, int n, bool finish, char uuid[STORE_UUID_SIZE])
{
	int64_t tid;
	assert_int_equal(store_trainee_upsert(s, name, "Customs", "FR", &tid), 0);
	store_attempt_new a = {
	        .trainee_id = tid,
	        .pack_id = "test-pack",
	        .pack_version = "1",
	        .pack_sha256 = "0000000000000000000000000000000000000000000000000000000000000000",
	        .mode = "practice",
	        .seed = 7,
	        .group_tag = "w1"};
	assert_int_equal(store_attempt_begin(s, &a, uuid), 0);
	for (int i = 0; i < n; i++) {
		store_response r = {.stage = "verdicts",
		                    .shipment_id = "S1",
		                    .item_index = i,
		                    .answer = "verdict:genuine",
		                    .points = 1,
		                    .time_ms = 1000};
		assert_int_equal(store_response_add(s, uuid, &r, NULL), 0);
	}
	if (finish) {
		store_stage_score st = {.stage = "verdicts", .score = n, .max_score = n};
		assert_int_equal(store_attempt_finish(s, uuid, n, n, &st, 1), 0);
	}
}

static void add_responses(store *s, const char *uuid, int n)
{
	for (int i = 0; i < n; i++) {
		store_response r = {.stage = "questions",
		                    .question_id = "q1",
		                    .item_index = -1,
		                    .answer = "answer:0",
		                    .points = 5,
		                    .time_ms = 10};
		assert_int_equal(store_response_add(s, uuid, &r, NULL), 0);
	}
}

static long long count(store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_handle(s), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void copy_file(const char *from, const char *to)
{
	char a[128], b[128];
	path_of(a, sizeof a, from);
	path_of(b, sizeof b, to);
	FILE *in = fopen(a, "rb"), *out = fopen(b, "wb");
	assert_non_null(in);
	assert_non_null(out);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static int merge(store *dest, const char *name, report_merge_stats *st, char *err, size_t errlen)
{
	char p[128];
	path_of(p, sizeof p, name);
	int rc = report_merge(dest, p, st, err, errlen);
	if (rc != 0)
		printf("merge %s: %s\n", name, err);
	return rc;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/ipr-merge-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* Laptop A: Ann's attempt (3 responses).  Laptop B is a copy of A plus
 * Bob's attempt (2 responses): Ann's attempt is in both. */
static void test_merge_overlap_and_idempotence(void **state)
{
	(void)state;
	char u1[STORE_UUID_SIZE], u2[STORE_UUID_SIZE];
	store *a = open_db("a.db");
	add_attempt(a, "Ann Lee", 3, true, u1);
	store_close(a);
	copy_file("a.db", "b.db");
	store *b = open_db("b.db");
	add_attempt(b, "Bob Roy", 2, true, u2);
	store_close(b);

	store *dest = open_db("dest.db");
	report_merge_stats st;
	char err[512];
	assert_int_equal(merge(dest, "a.db", &st, err, sizeof err), 0);
	assert_int_equal(st.attempts_added, 1);
	assert_int_equal(st.responses_added, 3);
	assert_int_equal(st.trainees_added, 1);
	assert_int_equal(merge(dest, "b.db", &st, err, sizeof err), 0);
	assert_int_equal(st.attempts_added, 1);   /* Bob's */
	assert_int_equal(st.attempts_skipped, 1); /* Ann's, already there */
	assert_int_equal(st.responses_added, 2);
	assert_int_equal(st.trainees_added, 1); /* Ann matched by name */

	/* Twice: nothing more. */
	assert_int_equal(merge(dest, "a.db", &st, err, sizeof err), 0);
	assert_int_equal(st.attempts_added + st.attempts_updated + st.responses_added, 0);
	assert_int_equal(merge(dest, "b.db", &st, err, sizeof err), 0);
	assert_int_equal(st.attempts_added + st.attempts_updated + st.responses_added, 0);
	assert_int_equal(st.attempts_skipped, 2);

	assert_int_equal(count(dest, "SELECT count(*) FROM trainee"), 2);
	assert_int_equal(count(dest, "SELECT count(*) FROM attempt"), 2);
	assert_int_equal(count(dest, "SELECT count(*) FROM response"), 5);
	assert_int_equal(count(dest, "SELECT sum(score) FROM attempt WHERE status = 'finished'"),
	                 5);
	/* The destination is still a sound store. */
	assert_int_equal(store_integrity_check(dest, NULL), 0);
	store_close(dest);
}

/* A copy taken mid-attempt, merged, then the finished file: the second
 * merge adds the later responses and the end of the attempt. */
static void test_merge_later_copy(void **state)
{
	(void)state;
	char u[STORE_UUID_SIZE];
	store *a = open_db("c.db");
	add_attempt(a, "Cy Ng", 2, false, u);
	store_close(a);
	copy_file("c.db", "c-noon.db");
	a = open_db("c.db");
	add_responses(a, u, 2);
	store_stage_score sc = {.stage = "verdicts", .score = 12, .max_score = 20};
	assert_int_equal(store_attempt_finish(a, u, 12, 20, &sc, 1), 0);
	store_close(a);

	store *dest = open_db("dest2.db");
	report_merge_stats st;
	char err[512];
	assert_int_equal(merge(dest, "c-noon.db", &st, err, sizeof err), 0);
	assert_int_equal(st.attempts_added, 1);
	assert_int_equal(count(dest, "SELECT count(*) FROM attempt WHERE status = 'in-progress'"),
	                 1);
	assert_int_equal(count(dest, "SELECT count(*) FROM scored"), 0);
	assert_int_equal(merge(dest, "c.db", &st, err, sizeof err), 0);
	/* Finished now: the reports' summary is written from all 4 responses. */
	assert_int_equal(count(dest, "SELECT count(*) FROM scored WHERE kind = 'verdict'"), 2);
	assert_int_equal(count(dest, "SELECT sum(points) FROM scored WHERE kind = 'points'"),
	                 count(dest, "SELECT sum(points) FROM response"));
	assert_int_equal(st.attempts_updated, 1);
	assert_int_equal(st.responses_added, 2);
	assert_int_equal(count(dest, "SELECT score FROM attempt WHERE status = 'finished'"), 12);
	assert_int_equal(count(dest, "SELECT count(*) FROM response"), 4);
	/* And the old copy again changes nothing (a finished attempt stays). */
	assert_int_equal(merge(dest, "c-noon.db", &st, err, sizeof err), 0);
	assert_int_equal(st.attempts_skipped, 1);
	assert_int_equal(count(dest, "SELECT count(*) FROM attempt WHERE status = 'finished'"), 1);
	store_close(dest);
}

static void exec_raw(const char *name, const char *sql)
{
	char p[128];
	path_of(p, sizeof p, name);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

static void expect_refused(const char *name, const char *needle)
{
	store *dest = open_db("dest3.db");
	long long before = count(dest, "SELECT count(*) FROM attempt");
	report_merge_stats st;
	char err[512] = "";
	assert_int_equal(merge(dest, name, &st, err, sizeof err), -1);
	if (!strstr(err, needle))
		fail_msg("expected '%s' in: %s", needle, err);
	assert_int_equal(count(dest, "SELECT count(*) FROM attempt"), before);
	store_close(dest);
}

static void test_merge_refuses_foreign(void **state)
{
	(void)state;
	exec_raw("other.db", "CREATE TABLE notes(x); INSERT INTO notes VALUES (1);");
	expect_refused("other.db", "not an ipr-drill results database");
	exec_raw("other2.db", "PRAGMA application_id = 1234; CREATE TABLE t(x);");
	expect_refused("other2.db", "not an ipr-drill results database");

	char p[128];
	path_of(p, sizeof p, "text.db");
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("this is not a database at all, just some text that is long enough\n", f);
	fclose(f);
	expect_refused("text.db", "not an ipr-drill results database");
	expect_refused("missing.db", "cannot open");

	/* A newer schema. */
	char u[STORE_UUID_SIZE];
	store *s = open_db("newer.db");
	add_attempt(s, "Di Po", 1, true, u);
	store_close(s);
	exec_raw("newer.db", "PRAGMA user_version = 99;");
	expect_refused("newer.db", "upgrade ipr-drill");
}

/* Garbage written over every page but the first: the header still says
 * ipr-drill, integrity_check does not. */
static void test_merge_refuses_damaged(void **state)
{
	(void)state;
	char u[STORE_UUID_SIZE];
	store *s = open_db("bad.db");
	for (int i = 0; i < 5; i++)
		add_attempt(s, "Ed Wu", 20, true, u);
	store_close(s);
	char p[128];
	path_of(p, sizeof p, "bad.db");
	FILE *f = fopen(p, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long size = ftell(f);
	assert_true(size > 4 * 4096);
	unsigned char junk[512];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(i * 37 + 11);
	/* The middle of each page after the first two. */
	for (long off = 2 * 4096 + 1024; off + (long)sizeof junk < size; off += 4096) {
		assert_int_equal(fseek(f, off, SEEK_SET), 0);
		assert_int_equal(fwrite(junk, 1, sizeof junk, f), sizeof junk);
	}
	fclose(f);
	expect_refused("bad.db", "bad.db");
}

/* A view standing in for a table is never read; a trigger in the source
 * never fires (the source is opened read-only and only read). */
static void test_merge_hostile_schema(void **state)
{
	(void)state;
	char u[STORE_UUID_SIZE];
	store *s = open_db("view.db");
	add_attempt(s, "Fa Li", 2, true, u);
	store_close(s);
	exec_raw("view.db", "CREATE TABLE real_response AS SELECT * FROM response;"
	                    "DROP TABLE response;"
	                    "CREATE VIEW response AS SELECT * FROM real_response"
	                    " WHERE abs(-9223372036854775807 - 1) > 0;");
	expect_refused("view.db", "lacks the trainee, attempt and response tables");

	s = open_db("trig.db");
	add_attempt(s, "Gu Ma", 2, true, u);
	store_close(s);
	exec_raw("trig.db", "CREATE TABLE spy(n INTEGER);"
	                    "CREATE TRIGGER t1 BEFORE DELETE ON attempt BEGIN"
	                    " INSERT INTO spy VALUES (1); END;"
	                    "CREATE TRIGGER t2 AFTER UPDATE ON trainee BEGIN"
	                    " DELETE FROM response; END;");
	store *dest = open_db("dest4.db");
	report_merge_stats st;
	char err[512];
	assert_int_equal(merge(dest, "trig.db", &st, err, sizeof err), 0);
	assert_int_equal(st.attempts_added, 1);
	assert_int_equal(st.responses_added, 2);
	/* Nothing of the source's schema came along. */
	assert_int_equal(count(dest, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
	                             " OR name = 'spy'"),
	                 0);
	/* Merging again (which touches the destination's trainee) still leaves
	 * every response in place. */
	assert_int_equal(merge(dest, "trig.db", &st, err, sizeof err), 0);
	assert_int_equal(count(dest, "SELECT count(*) FROM response"), 2);
	store_close(dest);
	/* The source was not written. */
	s = open_db("trig.db");
	assert_int_equal(count(s, "SELECT count(*) FROM spy"), 0);
	assert_int_equal(count(s, "SELECT count(*) FROM response"), 2);
	store_close(s);
}

/* A value the results schema refuses rolls back the whole source. */
static void test_merge_malformed_value(void **state)
{
	(void)state;
	char u[STORE_UUID_SIZE];
	store *s = open_db("mal.db");
	add_attempt(s, "Ha Jo", 2, true, u);
	add_attempt(s, "Ha Jo", 2, true, u);
	store_close(s);
	/* An escape sequence in a trainee name. */
	exec_raw("mal.db", "UPDATE trainee SET name = 'Evil' || char(27) || '[2J';");
	expect_refused("mal.db", "malformed trainee name");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_merge_overlap_and_idempotence),
	        cmocka_unit_test(test_merge_later_copy),
	        cmocka_unit_test(test_merge_refuses_foreign),
	        cmocka_unit_test(test_merge_refuses_damaged),
	        cmocka_unit_test(test_merge_hostile_schema),
	        cmocka_unit_test(test_merge_malformed_value),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
