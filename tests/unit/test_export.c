/* test_export.c - xAPI statements checked field by field (with SQLite's
 * JSON functions as the parser), stable statement ids, JSON shape, and CSV
 * parsed back with an RFC 4180 reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "ipr-drill/report.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BASE "https://lrs.example.org/ipr/"

struct fx {
	char dir[64];
	store *s;
	char ann[STORE_UUID_SIZE], bob[STORE_UUID_SIZE];
};

/* Ann (name with a comma and quotes): one finished attempt of 2 responses
 * (verdict +10 in 1.5 s, action 0 in 0.25 s), score 10 of 15.  Bob: one
 * attempt in progress with one flag (0 points). */
static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/ipr-export-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	char path[128], err[512];
	snprintf(path, sizeof path, "%s/e.db", f->dir);
	assert_int_equal(store_open(path, 0, &f->s, err, sizeof err), 0);
	int64_t ann, bob;
	assert_int_equal(store_trainee_upsert(f->s, "Lee, Ann \"AL\"", "Douane", "FR", &ann), 0);
	assert_int_equal(store_trainee_upsert(f->s, "Bob", NULL, NULL, &bob), 0);
	store_attempt_new a = {
	        .trainee_id = ann,
	        .pack_id = "test pack",
	        .pack_version = "1",
	        .pack_sha256 = "abababababababababababababababababababababababababababababababab",
	        .mode = "exam",
	        .seed = 1,
	        .group_tag = "w1"};
	assert_int_equal(store_attempt_begin(f->s, &a, f->ann), 0);
	store_response r1 = {.stage = "examination",
	                     .part = "verdicts",
	                     .shipment_id = "S1",
	                     .item_index = 0,
	                     .answer = "verdict:counterfeit",
	                     .points = 10,
	                     .time_ms = 1500};
	store_response r2 = {.stage = "examination",
	                     .part = "actions",
	                     .shipment_id = "S1",
	                     .item_index = -1,
	                     .answer = "action:release",
	                     .points = 0,
	                     .time_ms = 250};
	assert_int_equal(store_response_add(f->s, f->ann, &r1, NULL), 0);
	assert_int_equal(store_response_add(f->s, f->ann, &r2, NULL), 0);
	store_stage_score st = {.stage = "verdicts", .score = 10, .max_score = 15};
	assert_int_equal(store_attempt_finish(f->s, f->ann, 10, 15, &st, 1), 0);
	a.trainee_id = bob;
	a.group_tag = "w2";
	assert_int_equal(store_attempt_begin(f->s, &a, f->bob), 0);
	store_response r3 = {.stage = "targeting",
	                     .shipment_id = "S2",
	                     .item_index = -1,
	                     .answer = "flag:undervalued",
	                     .points = 0,
	                     .time_ms = 42};
	assert_int_equal(store_response_add(f->s, f->bob, &r3, NULL), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->s);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Runs the export into memory; the caller frees. */
static char *run_export(struct fx *f, const report_export_options *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	char err[512];
	if (report_export(f->s, o, out, err, sizeof err) != 0)
		fail_msg("export: %s", err);
	fclose(out);
	return buf;
}

/* Evaluates sql with ?1 bound to doc on a private connection and returns
 * the first column as text (newly allocated, "NULL" for NULL). */
static char *q(const char *doc, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, doc, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const char *v = (const char *)sqlite3_column_text(st, 0);
	char *r = strdup(v ? v : "NULL");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}

static void expect(const char *doc, const char *path, const char *want)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT json_extract(?1, '%s')", path);
	char *got = q(doc, sql);
	if (strcmp(got, want) != 0)
		fail_msg("%s: got '%s', want '%s'", path, got, want);
	free(got);
}

static void test_export_xapi(void **state)
{
	struct fx *f = *state;
	report_export_options o = {
	        .format = REPORT_EXPORT_XAPI, .activity_base = BASE, .pass_percent = -1};
	char *doc = run_export(f, &o);
	char *valid = q(doc, "SELECT json_valid(?1) AND json_type(?1) = 'array'");
	assert_string_equal(valid, "1");
	free(valid);
	/* 3 responses + 2 attempts. */
	char *n = q(doc, "SELECT json_array_length(?1)");
	assert_string_equal(n, "5");
	free(n);
	/* xAPI forbids null values anywhere. */
	char *nulls = q(doc, "SELECT count(*) FROM json_tree(?1) WHERE type = 'null'");
	assert_string_equal(nulls, "0");
	free(nulls);

	/* Ann's first response (attempts sorted by start, Ann first). */
	expect(doc, "$[0].actor.objectType", "Agent");
	expect(doc, "$[0].actor.name", "Lee, Ann \"AL\"");
	expect(doc, "$[0].actor.account.homePage", BASE);
	expect(doc, "$[0].actor.account.name", "Lee, Ann \"AL\"");
	expect(doc, "$[0].verb.id", "http://adlnet.gov/expapi/verbs/answered");
	expect(doc, "$[0].verb.display.en-US", "answered");
	expect(doc, "$[0].object.objectType", "Activity");
	expect(doc, "$[0].object.id", BASE "packs/test%20pack/shipments/S1/items/1");
	expect(doc, "$[0].object.definition.type",
	       "http://adlnet.gov/expapi/activities/cmi.interaction");
	expect(doc, "$[0].result.score.raw", "10");
	expect(doc, "$[0].result.success", "1");
	expect(doc, "$[0].result.response", "verdict:counterfeit");
	expect(doc, "$[0].result.duration", "PT1.500S");
	expect(doc, "$[0].context.registration", f->ann);
	expect(doc, "$[0].context.contextActivities.parent[0].id", BASE "packs/test%20pack");
	char *ts = q(doc, "SELECT json_extract(?1, '$[0].timestamp') GLOB"
	                  " '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'");
	assert_string_equal(ts, "1");
	free(ts);
	/* A UUID, version 8, RFC variant. */
	char *id =
	        q(doc, "SELECT json_extract(?1, '$[0].id') GLOB '[0-9a-f][0-9a-f][0-9a-f]"
	               "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-8"
	               "[0-9a-f][0-9a-f][0-9a-f]-[89ab][0-9a-f][0-9a-f][0-9a-f]-*'"
	               " AND length(json_extract(?1, '$[0].id')) = 36");
	assert_string_equal(id, "1");
	free(id);
	/* The action worth 0: answered, not a success. */
	expect(doc, "$[1].object.id", BASE "packs/test%20pack/shipments/S1");
	expect(doc, "$[1].result.success", "0");
	expect(doc, "$[1].result.duration", "PT0.250S");

	/* Ann's attempt: completed, 10 of 15. */
	expect(doc, "$[2].verb.id", "http://adlnet.gov/expapi/verbs/completed");
	expect(doc, "$[2].object.id", BASE "packs/test%20pack");
	expect(doc, "$[2].object.definition.type",
	       "http://adlnet.gov/expapi/activities/assessment");
	expect(doc, "$[2].result.score.raw", "10");
	expect(doc, "$[2].result.score.min", "0");
	expect(doc, "$[2].result.score.max", "15");
	expect(doc, "$[2].result.score.scaled", "0.6667");
	expect(doc, "$[2].result.completion", "1");
	expect(doc, "$[2].result.duration", "PT1.750S");
	expect(doc, "$[2].result.success", "NULL"); /* no pass mark given */
	expect(doc, "$[2].context.registration", f->ann);

	/* Bob: a flag is not scored (no success); his attempt is attempted. */
	expect(doc, "$[3].result.success", "NULL");
	expect(doc, "$[4].verb.id", "http://adlnet.gov/expapi/verbs/attempted");
	expect(doc, "$[4].result.score", "NULL");

	/* The same export again gives the same statement ids. */
	char *again = run_export(f, &o);
	assert_string_equal(doc, again);
	free(again);
	free(doc);

	/* A pass mark: 10/15 = 66.7% passes 60, fails 70. */
	o.pass_percent = 60;
	o.pack_id = "test pack";
	o.trainee = "Lee, Ann \"AL\"";
	doc = run_export(f, &o);
	expect(doc, "$[2].verb.id", "http://adlnet.gov/expapi/verbs/passed");
	expect(doc, "$[2].result.success", "1");
	free(doc);
	o.pass_percent = 70;
	doc = run_export(f, &o);
	expect(doc, "$[2].verb.id", "http://adlnet.gov/expapi/verbs/failed");
	n = q(doc, "SELECT json_array_length(?1)");
	assert_string_equal(n, "3");
	free(n);
	free(doc);
}

static void test_export_json_and_filters(void **state)
{
	struct fx *f = *state;
	report_export_options o = {.format = REPORT_EXPORT_JSON, .pass_percent = -1};
	char *doc = run_export(f, &o);
	expect(doc, "$[0].trainee.name", "Lee, Ann \"AL\"");
	expect(doc, "$[0].score", "10");
	expect(doc, "$[0].stage_scores.verdicts.max", "15");
	char *n = q(doc, "SELECT json_array_length(json_extract(?1, '$[0].responses'))");
	assert_string_equal(n, "2");
	free(n);
	expect(doc, "$[0].responses[1].answer", "action:release");
	expect(doc, "$[1].status", "in-progress");
	free(doc);

	o.group_tag = "w2";
	doc = run_export(f, &o);
	n = q(doc, "SELECT json_array_length(?1)");
	assert_string_equal(n, "1");
	free(n);
	free(doc);
	o.group_tag = NULL;
	o.until = "2000-01-01";
	doc = run_export(f, &o);
	assert_string_equal(doc, "[]\n");
	free(doc);

	o.until = "yesterday";
	char err[256];
	FILE *out = fopen("/dev/null", "w");
	assert_int_equal(report_export(f->s, &o, out, err, sizeof err), -1);
	o.until = NULL;
	o.format = REPORT_EXPORT_XAPI;
	o.activity_base = "ftp://x/";
	assert_int_equal(report_export(f->s, &o, out, err, sizeof err), -1);
	fclose(out);
}

/* An RFC 4180 reader: returns the fields of the record at *p (advancing
 * it), or 0 fields at the end. */
static size_t csv_record(const char **p, char fields[][128], size_t max)
{
	const char *s = *p;
	size_t n = 0;
	if (!*s)
		return 0;
	for (;;) {
		char *out = fields[n];
		size_t o = 0;
		if (*s == '"') {
			s++;
			for (;;) {
				assert_true(*s != '\0');
				if (*s == '"' && s[1] == '"') {
					out[o++] = '"';
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					out[o++] = *s++;
				}
				assert_true(o < 127);
			}
		} else {
			while (*s && *s != ',' && *s != '\r' && *s != '\n') {
				out[o++] = *s++;
				assert_true(o < 127);
			}
		}
		out[o] = '\0';
		n++;
		assert_true(n < max);
		if (*s == ',') {
			s++;
			continue;
		}
		assert_true(s[0] == '\r' && s[1] == '\n'); /* CRLF ends every record */
		*p = s + 2;
		return n;
	}
}

static void test_export_csv(void **state)
{
	struct fx *f = *state;
	report_export_options o = {.format = REPORT_EXPORT_CSV, .pass_percent = -1};
	char *doc = run_export(f, &o);
	const char *p = doc;
	char fields[32][128];
	size_t n = csv_record(&p, fields, 32);
	assert_int_equal(n, 22);
	assert_string_equal(fields[0], "attempt");
	assert_string_equal(fields[18], "answer");
	n = csv_record(&p, fields, 32);
	assert_int_equal(n, 22);
	assert_string_equal(fields[0], f->ann);
	assert_string_equal(fields[1], "Lee, Ann \"AL\"");
	assert_string_equal(fields[5], "test pack");
	assert_string_equal(fields[13], "1");
	assert_string_equal(fields[18], "verdict:counterfeit");
	assert_string_equal(fields[19], "10");
	assert_string_equal(fields[20], "1500");
	size_t rows = 1;
	while (csv_record(&p, fields, 32) == 22)
		rows++;
	assert_int_equal(rows, 3);
	assert_string_equal(fields[0], f->bob);
	assert_string_equal(fields[2], ""); /* no organisation */
	free(doc);

	o.attempts_only = true;
	doc = run_export(f, &o);
	p = doc;
	assert_int_equal(csv_record(&p, fields, 32), 16);
	assert_int_equal(csv_record(&p, fields, 32), 16);
	assert_string_equal(fields[11], "10");
	assert_string_equal(fields[14], "2");    /* responses */
	assert_string_equal(fields[15], "1750"); /* active ms */
	assert_int_equal(csv_record(&p, fields, 32), 16);
	assert_int_equal(csv_record(&p, fields, 32), 0);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_export_xapi, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_export_json_and_filters, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_export_csv, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
