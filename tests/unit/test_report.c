/* test_report.c - every statistic of `ipr-drill report` against values
 * worked out by hand on a small fixture, the degenerate cases, filters and
 * the formats' escaping.
 *
 * The fixture pack (scoring defaults, 16 built-in indicators):
 *   S1: holds a counterfeit acme/tote (evidence: zip; observed stitch, zip),
 *       key indicator undervalued, action detain.
 *   S2: a genuine acme/tote (observed stitch, zip), no indicators, release.
 *   q1: one question worth 5.
 * Item score ranges (report_open.c):
 *   s:S1   hi = max(10 + 5, -10) + 2*1 = 17   lo = min(10, -10) - 1*15 = -25
 *   i:S1#0 hi = 10 + 2*1 = 12                 lo = -10 - 1*1 = -11
 *   s:S2   hi = max(-3 + 5, 0) = 2            lo = min(-3, 0) - 1*16 = -19
 *   i:S2#0 hi = 10                            lo = -5 - 1*2 = -7
 *   q:q1   hi = 5                             lo = 0
 * Four finished attempts (max_score 46), item scores:
 *            s:S1  i:S1#0  s:S2  i:S2#0  q1 |  T
 *   Ana #1    17     12      0      0     5 | 34  (examined S1, hit; cites zip)
 *   Ana #2    10    -10      2     10     0 | 12  (examined both; S1 passed genuine)
 *   Ben       -9      0      0      0     5 | -4  (released both; flags 2 on S1)
 *   Chen      15     11      0      0     5 | 31  (cites zip and stitch)
 * Worked by hand (sample variances, n - 1 = 3):
 *   q1: mean 3.75, F = 75.0, V = 18.75/3 = 6.25, SD = 2.5/5 = 50.0 %,
 *       rest = (29, 12, -9, 26): r = 12.5 / sqrt(18.75 * 901) -> D = 9.6
 *   s:S1: mean 8.25, F = 100 * 33.25 / 42 = 79.2, SD 28.3, D 64.2
 *   i:S1#0: mean 3.25, F = 100 * 14.25 / 23 = 62.0, SD 45.1, D 17.5
 *   s:S2: mean 0.5, F = 92.9, SD 4.8, D -28.7
 *   i:S2#0: mean 2.5, F = 100 * 9.5 / 17 = 55.9, SD 29.4, D -46.9
 *   V(items) = 140.917 + 107.583 + 1 + 25 + 6.25 = 280.75; V(T) = 944.75/3
 *   = 314.917; alpha = 5/4 (1 - 280.75/314.917) = 13.6 %; SD(T) = 17.746
 *   = 38.6 % of 46; ER = 100 sqrt(1 - .1356) = 93.0; SE = 35.9.
 *   mean % = (73.9 + 26.1 - 8.7 + 67.4) / 4 = 39.7. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ipr-drill/report.h"

static const char pack_yaml[] =
        "format: 1\n"
        "id: rep-fixture\n"
        "title: Report fixture\n"
        "version: \"1\"\n"
        "summary: Two shipments and one question for the report tests.\n"
        "brands:\n"
        "  - id: acme\n"
        "    name: Acme Bags\n"
        "    category: bags\n"
        "    products:\n"
        "      - id: tote\n"
        "        name: Tote\n"
        "        features:\n"
        "          - {id: stitch, name: Stitching, genuine: Even double stitching.}\n"
        "          - {id: zip, name: Zip puller, genuine: Engraved ACME on the puller.}\n"
        "shipments:\n"
        "  - id: S1\n"
        "    mode: express\n"
        "    declaration: {consignor: Quick Ltd, consignee: Bag Shop, goods: Bags}\n"
        "    indicators:\n"
        "      - {id: undervalued, why: Far too cheap.}\n"
        "    contents:\n"
        "      - product: acme/tote\n"
        "        quantity: 10\n"
        "        observed: {stitch: Uneven stitching., zip: Sticker logo.}\n"
        "        verdict: counterfeit\n"
        "        evidence: [zip]\n"
        "        explain: The puller carries a sticker.\n"
        "    action: detain\n"
        "    explain: Fake totes.\n"
        "  - id: S2\n"
        "    mode: post\n"
        "    declaration: {consignor: A sender, consignee: A traveller, goods: Bag}\n"
        "    contents:\n"
        "      - product: acme/tote\n"
        "        quantity: 1\n"
        "        observed: {stitch: Even stitching., zip: Engraved puller.}\n"
        "        verdict: genuine\n"
        "    action: release\n"
        "questions:\n"
        "  - id: q1\n"
        "    topic: trips\n"
        "    prompt: Which TRIPS article lets customs suspend release?\n"
        "    explain: Article 51.\n"
        "    choices:\n"
        "      - {text: Article 51, correct: true}\n"
        "      - {text: Article 61}\n";

struct fx {
	char dir[64];
	char path[96];
	store *s;
	pack *p;
	report *r;
};

static const char sha[] = "0000000000000000000000000000000000000000000000000000000000000000";

static void sleep_ms(long ms)
{
	struct timespec ts = {0, ms * 1000000L};
	nanosleep(&ts, NULL);
}

static void rec(store *s, const char *uuid, const char *part, const char *sid, int item,
                const char *qid, const char *answer, long points)
{
	store_response r = {.stage = part,
	                    .shipment_id = sid,
	                    .item_index = item,
	                    .question_id = qid,
	                    .answer = answer,
	                    .points = points,
	                    .time_ms = 1000};
	assert_int_equal(store_response_add(s, uuid, &r, NULL), 0);
}

static void begin(struct fx *f, const char *name, const char *country, const char *group,
                  char uuid[STORE_UUID_SIZE])
{
	int64_t id;
	assert_int_equal(store_trainee_upsert(f->s, name, "Customs", country, &id), 0);
	store_attempt_new a = {.trainee_id = id,
	                       .pack_id = "rep-fixture",
	                       .pack_version = "1",
	                       .pack_sha256 = sha,
	                       .mode = "practice",
	                       .seed = 1,
	                       .group_tag = group};
	/* Distinct start times keep "last" unambiguous. */
	sleep_ms(3);
	assert_int_equal(store_attempt_begin(f->s, &a, uuid), 0);
	rec(f->s, uuid, "briefing", NULL, -1, NULL, "begin", 0);
}

static void finish(struct fx *f, const char *uuid, long score, long qpoints)
{
	store_stage_score st[2] = {{"targeting", score - qpoints, 41}, {"questions", qpoints, 5}};
	assert_int_equal(store_attempt_finish(f->s, uuid, score, 46, st, 2), 0);
}

static void open_db(struct fx *f)
{
	strcpy(f->dir, "/tmp/test-report-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/results.db", f->dir);
	char err[STORE_ERR_SIZE];
	assert_int_equal(store_open(f->path, 0, &f->s, err, sizeof err), 0);
	pack_diags d;
	pack_diags_init(&d);
	f->p = pack_load_buffer(pack_yaml, sizeof pack_yaml - 1, "fixture.yaml", NULL, NULL, &d);
	if (!f->p)
		pack_diags_print(&d, stderr, false);
	pack_diags_free(&d);
	assert_non_null(f->p);
}

/* The four attempts of the table above. */
static void fill_main(struct fx *f)
{
	char u[STORE_UUID_SIZE];
	begin(f, "Ana", "PT", "g1", u); /* T = 34 */
	rec(f->s, u, "targeting", "S1", -1, NULL, "flag:undervalued", 0);
	rec(f->s, u, "targeting", "S1", -1, NULL, "select", 0);
	rec(f->s, u, "targeting", NULL, -1, NULL, "confirm", 0);
	rec(f->s, u, "targeting", "S1", -1, NULL, "target:examined", 10);
	rec(f->s, u, "targeting", "S2", -1, NULL, "target:released", 0);
	rec(f->s, u, "indicators", "S1", -1, NULL, "indicators:undervalued", 2);
	rec(f->s, u, "examination", "S1", 0, NULL, "examine:zip", 0);
	rec(f->s, u, "examination", "S1", 0, NULL, "evidence+:zip", 0);
	rec(f->s, u, "verdicts", "S1", 0, NULL, "verdict:counterfeit", 10);
	rec(f->s, u, "evidence", "S1", 0, NULL, "evidence:zip", 2);
	rec(f->s, u, "actions", "S1", -1, NULL, "action:detain", 5);
	rec(f->s, u, "questions", NULL, -1, "q1", "answer:0", 5);
	finish(f, u, 34, 5);

	begin(f, "Ana", "PT", "g1", u); /* T = 12 */
	rec(f->s, u, "targeting", "S1", -1, NULL, "target:examined", 10);
	rec(f->s, u, "targeting", "S2", -1, NULL, "target:examined", -3);
	rec(f->s, u, "verdicts", "S1", 0, NULL, "verdict:genuine", -10);
	rec(f->s, u, "actions", "S1", -1, NULL, "action:release", 0);
	rec(f->s, u, "verdicts", "S2", 0, NULL, "verdict:genuine", 10);
	rec(f->s, u, "actions", "S2", -1, NULL, "action:release", 5);
	rec(f->s, u, "questions", NULL, -1, "q1", "answer:1", 0);
	finish(f, u, 12, 0);

	begin(f, "Ben", "KE", "g1", u); /* T = -4 */
	rec(f->s, u, "targeting", "S1", -1, NULL, "target:released", -10);
	rec(f->s, u, "targeting", "S2", -1, NULL, "target:released", 0);
	rec(f->s, u, "indicators", "S1", -1, NULL, "indicators:undervalued,unusual-route", 1);
	rec(f->s, u, "questions", NULL, -1, "q1", "answer:0", 5);
	finish(f, u, -4, 5);

	begin(f, "Chen", "CN", "g2", u); /* T = 31 */
	rec(f->s, u, "targeting", "S1", -1, NULL, "target:examined", 10);
	rec(f->s, u, "targeting", "S2", -1, NULL, "target:released", 0);
	rec(f->s, u, "verdicts", "S1", 0, NULL, "verdict:counterfeit", 10);
	rec(f->s, u, "evidence", "S1", 0, NULL, "evidence:zip,stitch", 1);
	rec(f->s, u, "actions", "S1", -1, NULL, "action:detain", 5);
	rec(f->s, u, "questions", NULL, -1, "q1", "answer:0", 5);
	finish(f, u, 31, 5);

	/* Neither an unfinished attempt nor an abandoned one counts. */
	begin(f, "Dina", "FR", "g1", u);
	rec(f->s, u, "targeting", "S1", -1, NULL, "target:examined", 10);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	*state = f;
	open_db(f);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	report_close(f->r);
	store_close(f->s);
	pack_free(f->p);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", f->dir);
	free(f);
	return 0;
}

static void open_report(struct fx *f, const report_filter *flt, bool with_pack)
{
	char err[512];
	const pack *packs[1] = {f->p};
	report_close(f->r);
	f->r = NULL;
	int rc = report_open(f->s, with_pack ? packs : NULL, with_pack ? 1 : 0, flt, &f->r, err,
	                     sizeof err);
	if (rc != 0)
		fprintf(stderr, "report_open: %s\n", err);
	assert_int_equal(rc, 0);
}

/* ---- helpers to find rows and check numbers ---- */

static long find_row(const report_table *t, const char *col, const char *value)
{
	for (size_t r = 0; r < t->rows; r++) {
		const report_cell *c = report_cell_at(t, r, col);
		if (c && c->type == REPORT_TEXT && !strcmp(c->text, value))
			return (long)r;
	}
	fail_msg("no row with %s = %s", col, value);
	return -1;
}

static void check_num(const report_table *t, long row, const char *col, double want)
{
	const report_cell *c = report_cell_at(t, (size_t)row, col);
	assert_non_null(c);
	if (c->type != REPORT_INT && c->type != REPORT_REAL)
		fail_msg("%s: expected %.2f, got a non-number (type %d)", col, want, c->type);
	double got = c->type == REPORT_INT ? (double)c->i : c->d;
	if (got < want - 0.051 || got > want + 0.051)
		fail_msg("%s: expected %.2f, got %.4f", col, want, got);
}

static void check_null(const report_table *t, long row, const char *col)
{
	const report_cell *c = report_cell_at(t, (size_t)row, col);
	assert_non_null(c);
	if (c->type != REPORT_NULL)
		fail_msg("%s: expected undefined (NULL), got type %d", col, c->type);
}

static void check_text(const report_table *t, long row, const char *col, const char *want)
{
	const report_cell *c = report_cell_at(t, (size_t)row, col);
	assert_non_null(c);
	assert_int_equal(c->type, REPORT_TEXT);
	assert_string_equal(c->text, want);
}

/* ---- tests ---- */

static void test_item_analysis(void **state)
{
	struct fx *f = *state;
	fill_main(f);
	open_report(f, NULL, true);
	assert_int_equal(report_attempt_count(f->r), 4);
	report_table t;
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_ITEM, &t), 0);
	assert_int_equal(t.rows, 5);
	long q = find_row(&t, "item", "question q1");
	check_num(&t, q, "attempts", 4);
	check_num(&t, q, "mean", 3.75);
	check_num(&t, q, "facility", 75.0);
	check_num(&t, q, "sd", 50.0);
	check_num(&t, q, "discrimination", 9.6);
	check_text(&t, q, "review", "review: low discrimination");
	long s1 = find_row(&t, "item", "S1 (targeting, action)");
	check_num(&t, s1, "min", -25);
	check_num(&t, s1, "max", 17);
	check_num(&t, s1, "facility", 79.2);
	check_num(&t, s1, "sd", 28.3);
	check_num(&t, s1, "discrimination", 64.2);
	check_text(&t, s1, "review", "");
	long i1 = find_row(&t, "item", "S1 item 1");
	check_num(&t, i1, "facility", 62.0);
	check_num(&t, i1, "sd", 45.1);
	check_num(&t, i1, "discrimination", 17.5);
	long s2 = find_row(&t, "item", "S2 (targeting, action)");
	check_num(&t, s2, "facility", 92.9);
	check_num(&t, s2, "sd", 4.8);
	check_num(&t, s2, "discrimination", -28.7);
	check_text(&t, s2, "review", "REVIEW: negative discrimination");
	long i2 = find_row(&t, "item", "S2 item 1");
	check_num(&t, i2, "facility", 55.9);
	check_num(&t, i2, "sd", 29.4);
	check_num(&t, i2, "discrimination", -46.9);
	report_table_free(&t);
}

static void test_pack_stats(void **state)
{
	struct fx *f = *state;
	fill_main(f);
	open_report(f, NULL, true);
	report_table t;
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_PACK, &t), 0);
	assert_int_equal(t.rows, 1);
	check_num(&t, 0, "attempts", 4);
	check_num(&t, 0, "items", 5);
	check_num(&t, 0, "mean", 18.25);
	check_num(&t, 0, "mean_pct", 39.7);
	check_num(&t, 0, "sd_pct", 38.6);
	check_num(&t, 0, "alpha", 13.6);
	check_num(&t, 0, "error_ratio", 93.0);
	check_num(&t, 0, "standard_error", 35.9);
	check_num(&t, 0, "lowest_pct", -8.7);
	check_num(&t, 0, "highest_pct", 73.9);
	report_table_free(&t);
}

/* Targeting: Ana hit S1 twice, released S2 once (clear) and examined it once
 * (false alarm); Ben missed S1 and cleared S2; Chen hit S1, cleared S2.
 * Overall 3 hits, 1 miss, 1 false alarm, 3 clear: 75 % each way. */
static void test_targeting(void **state)
{
	struct fx *f = *state;
	fill_main(f);
	open_report(f, NULL, true);
	report_table t;
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_TARGETING, &t), 0);
	assert_int_equal(t.rows, 4);
	long a = find_row(&t, "trainee", "Ana");
	check_num(&t, a, "hits", 2);
	check_num(&t, a, "misses", 0);
	check_num(&t, a, "false_alarms", 1);
	check_num(&t, a, "clear_releases", 1);
	check_num(&t, a, "hit_rate", 100.0);
	check_num(&t, a, "precision", 66.7);
	long b = find_row(&t, "trainee", "Ben");
	check_num(&t, b, "misses", 1);
	check_num(&t, b, "hit_rate", 0.0);
	check_null(&t, b, "precision"); /* nothing examined */
	long all = find_row(&t, "trainee", "(all)");
	assert_int_equal(all, 3); /* the overall row comes last */
	check_num(&t, all, "hits", 3);
	check_num(&t, all, "misses", 1);
	check_num(&t, all, "false_alarms", 1);
	check_num(&t, all, "clear_releases", 3);
	check_num(&t, all, "hit_rate", 75.0);
	check_num(&t, all, "precision", 75.0);
	check_num(&t, all, "accuracy", 75.0);
	report_table_free(&t);
}

/* undervalued: in the key of S1 in all 4 attempts, flagged by Ana #1 and
 * Ben: recall 2/4, precision 2/2.  unusual-route: flagged once, never in
 * a key: recall undefined, precision 0. */
static void test_indicators(void **state)
{
	struct fx *f = *state;
	fill_main(f);
	open_report(f, NULL, true);
	report_table t;
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_INDICATOR, &t), 0);
	assert_int_equal(t.rows, 2);
	long u = find_row(&t, "indicator", "undervalued");
	check_num(&t, u, "in_key", 4);
	check_num(&t, u, "flagged", 2);
	check_num(&t, u, "hits", 2);
	check_num(&t, u, "recall", 50.0);
	check_num(&t, u, "precision", 100.0);
	long r = find_row(&t, "indicator", "unusual-route");
	check_num(&t, r, "in_key", 0);
	check_num(&t, r, "flagged", 1);
	check_null(&t, r, "recall");
	check_num(&t, r, "precision", 0.0);
	report_table_free(&t);
}

/* acme/tote/zip is evidence on S1's item: judged 3 times (Ana twice,
 * Chen), cited twice, passed as genuine once (Ana #2).  stitch is no
 * evidence: cited once (Chen), a false citation. */
static void test_features(void **state)
{
	struct fx *f = *state;
	fill_main(f);
	open_report(f, NULL, true);
	report_table t;
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_FEATURE, &t), 0);
	long z = find_row(&t, "feature", "acme/tote/zip");
	check_text(&t, z, "name", "Zip puller");
	check_num(&t, z, "evidence", 3);
	check_num(&t, z, "cited", 2);
	check_num(&t, z, "cited_pct", 66.7);
	check_num(&t, z, "passed_genuine", 1);
	check_num(&t, z, "passed_pct", 33.3);
	check_num(&t, z, "false_cites", 0);
	long s = find_row(&t, "feature", "acme/tote/stitch");
	check_num(&t, s, "evidence", 0);
	check_null(&t, s, "cited_pct");
	check_num(&t, s, "false_cites", 1);
	report_table_free(&t);
}

static void test_trainee_view(void **state)
{
	struct fx *f = *state;
	fill_main(f);
	open_report(f, NULL, true);
	report_table t;
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_TRAINEE, &t), 0);
	assert_int_equal(t.rows, 3);
	long a = find_row(&t, "trainee", "Ana");
	check_num(&t, a, "attempts", 2);
	check_num(&t, a, "best", 34);
	check_num(&t, a, "best_pct", 73.9);
	check_num(&t, a, "last", 12);
	check_num(&t, a, "last_pct", 26.1);
	/* questions: (5 + 0) / (5 + 5); targeting: (29 + 12) / (41 + 41) */
	check_num(&t, a, "questions", 50.0);
	check_num(&t, a, "targeting", 50.0);
	check_null(&t, a, "verdicts"); /* not in stage_scores */
	check_text(&t, a, "weakest_indicator", "undervalued 1/2");
	check_text(&t, a, "weakest_feature", "acme/tote/zip 1/2");
	check_text(&t, a, "trend", "74 26");
	/* Time taken runs from start to end (Moodle): milliseconds here. */
	check_text(&t, a, "mean_time", "0:00");
	long b = find_row(&t, "trainee", "Ben");
	check_text(&t, b, "country", "KE");
	check_num(&t, b, "best_pct", -8.7);
	report_table_free(&t);
}

/* g1: Ana twice and Ben: mean (73.9 + 26.1 - 8.7) / 3 = 30.4, SD 41.5;
 * g2: Chen alone: SD undefined. */
static void test_groups_countries(void **state)
{
	struct fx *f = *state;
	fill_main(f);
	open_report(f, NULL, true);
	report_table t;
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_GROUP, &t), 0);
	assert_int_equal(t.rows, 2);
	long g1 = find_row(&t, "group", "g1");
	check_num(&t, g1, "trainees", 2);
	check_num(&t, g1, "attempts", 3);
	check_num(&t, g1, "mean_pct", 30.4);
	check_num(&t, g1, "sd_pct", 41.5);
	/* S1 counterfeit in 3 attempts, examined in 2 */
	check_num(&t, g1, "hit_rate", 66.7);
	/* verdicts: Ana #1 right, Ana #2 S1 wrong, S2 right: 2 / 3 */
	check_num(&t, g1, "verdicts_right", 66.7);
	long g2 = find_row(&t, "group", "g2");
	check_null(&t, g2, "sd_pct");
	check_num(&t, g2, "hit_rate", 100.0);
	report_table_free(&t);
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_COUNTRY, &t), 0);
	assert_int_equal(t.rows, 3);
	check_num(&t, find_row(&t, "country", "PT"), "attempts", 2);
	report_table_free(&t);
}

static void test_filters(void **state)
{
	struct fx *f = *state;
	fill_main(f);
	report_filter flt = {.attempts = REPORT_ATTEMPTS_BEST};
	open_report(f, &flt, true);
	assert_int_equal(report_attempt_count(f->r), 3);
	report_table t;
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_TRAINEE, &t), 0);
	check_num(&t, find_row(&t, "trainee", "Ana"), "last", 34);
	report_table_free(&t);

	flt.attempts = REPORT_ATTEMPTS_LAST;
	open_report(f, &flt, true);
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_TRAINEE, &t), 0);
	check_num(&t, find_row(&t, "trainee", "Ana"), "best", 12);
	report_table_free(&t);

	report_filter by_name = {.trainee = "Ben"};
	open_report(f, &by_name, true);
	assert_int_equal(report_attempt_count(f->r), 1);
	report_filter by_group = {.group = "g2"};
	open_report(f, &by_group, true);
	assert_int_equal(report_attempt_count(f->r), 1);
	report_filter by_pack = {.pack_id = "other"};
	open_report(f, &by_pack, true);
	assert_int_equal(report_attempt_count(f->r), 0);
	report_filter future = {.since = "2999-01-01"};
	open_report(f, &future, true);
	assert_int_equal(report_attempt_count(f->r), 0);
	report_filter past = {.until = "2000-01-01"};
	open_report(f, &past, true);
	assert_int_equal(report_attempt_count(f->r), 0);
	report_filter wide = {.since = "2000-01-01", .until = "2999-12-31T23:59:59Z"};
	open_report(f, &wide, true);
	assert_int_equal(report_attempt_count(f->r), 4);

	char err[512];
	report *r = NULL;
	report_filter bad = {.since = "yesterday"};
	assert_int_equal(report_open(f->s, NULL, 0, &bad, &r, err, sizeof err), -1);
	assert_null(r);
	assert_non_null(strstr(err, "--since"));
}

/* One attempt: variances need n - 1 > 0, so SD, discrimination, alpha
 * are undefined ("-"); facility is still defined. */
static void test_one_attempt(void **state)
{
	struct fx *f = *state;
	char u[STORE_UUID_SIZE];
	begin(f, "Solo", "PT", NULL, u);
	rec(f->s, u, "questions", NULL, -1, "q1", "answer:0", 5);
	finish(f, u, 5, 5);
	open_report(f, NULL, true);
	report_table t;
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_ITEM, &t), 0);
	long q = find_row(&t, "item", "question q1");
	check_num(&t, q, "facility", 100.0);
	check_null(&t, q, "sd");
	check_null(&t, q, "discrimination");
	check_text(&t, q, "review", "too few attempts");
	report_table_free(&t);
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_PACK, &t), 0);
	check_num(&t, 0, "attempts", 1);
	check_null(&t, 0, "sd_pct");
	check_null(&t, 0, "alpha");
	check_null(&t, 0, "error_ratio");
	report_table_free(&t);
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_GROUP, &t), 0);
	check_text(&t, 0, "group", "(none)");
	report_table_free(&t);
}

/* Three identical perfect attempts: zero variance everywhere, so
 * discrimination and alpha are undefined; facility 100 where the maximum
 * was reached. */
static void test_all_correct(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < 3; i++) {
		char u[STORE_UUID_SIZE], name[16];
		snprintf(name, sizeof name, "T%d", i);
		begin(f, name, "PT", "g", u);
		rec(f->s, u, "targeting", "S1", -1, NULL, "target:examined", 10);
		rec(f->s, u, "targeting", "S2", -1, NULL, "target:released", 0);
		rec(f->s, u, "questions", NULL, -1, "q1", "answer:0", 5);
		finish(f, u, 15, 5);
	}
	open_report(f, NULL, true);
	report_table t;
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_ITEM, &t), 0);
	long q = find_row(&t, "item", "question q1");
	check_num(&t, q, "facility", 100.0);
	check_num(&t, q, "sd", 0.0);
	check_null(&t, q, "discrimination");
	check_text(&t, q, "review", "no variance: everyone scored the same");
	report_table_free(&t);
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_PACK, &t), 0);
	check_num(&t, 0, "sd_pct", 0.0);
	check_null(&t, 0, "alpha");
	report_table_free(&t);
}

/* Without the pack the item ranges come from the scores seen, and the
 * key-based views are empty. */
static void test_without_pack(void **state)
{
	struct fx *f = *state;
	fill_main(f);
	open_report(f, NULL, false);
	report_table t;
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_ITEM, &t), 0);
	assert_int_equal(t.rows, 5);
	/* Items are labelled as with the pack: q1 seen from 0 to 5, the same
	 * as the key. */
	assert_true(find_row(&t, "item", "S1 (targeting, action)") >= 0);
	assert_true(find_row(&t, "item", "S1 item 1") >= 0);
	long q = find_row(&t, "item", "question q1");
	check_num(&t, q, "facility", 75.0);
	check_num(&t, q, "discrimination", 9.6);
	report_table_free(&t);
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_TARGETING, &t), 0);
	assert_int_equal(t.rows, 0);
	report_table_free(&t);
}

/* Row a of table x has the cells of row b of table y. */
static void assert_same_row(const report_table *x, size_t a, const report_table *y, size_t b)
{
	assert_int_equal(x->cols, y->cols);
	for (size_t c = 0; c < x->cols; c++) {
		const report_cell *p = &x->cells[a * x->cols + c], *q = &y->cells[b * y->cols + c];
		assert_int_equal(p->type, q->type);
		if (p->type == REPORT_INT)
			assert_int_equal(p->i, q->i);
		else if (p->type == REPORT_REAL)
			assert_true(p->d == q->d);
		else if (p->type == REPORT_TEXT)
			assert_string_equal(p->text, q->text);
	}
}

/* Two tables with the same cells. */
static void assert_same_table(const report_table *a, const report_table *b)
{
	assert_int_equal(a->rows, b->rows);
	for (size_t r = 0; r < a->rows; r++)
		assert_same_row(a, r, b, r);
}

/* A filter that keeps few attempts reads the summary through its key, one
 * attempt at a time, rather than a kind's whole range: a trainee's rows
 * are the same either way. */
static void test_filter_paths(void **state)
{
	struct fx *f = *state;
	fill_main(f);
	static const enum report_view views[] = {REPORT_VIEW_TRAINEE, REPORT_VIEW_TARGETING};
	report_table all[2], ben[2];
	open_report(f, NULL, true);
	for (int v = 0; v < 2; v++)
		assert_int_equal(report_table_get(f->r, views[v], &all[v]), 0);
	report_filter by_name = {.trainee = "Ben"};
	open_report(f, &by_name, true);
	for (int v = 0; v < 2; v++) {
		assert_int_equal(report_table_get(f->r, views[v], &ben[v]), 0);
		assert_same_row(&ben[v], (size_t)find_row(&ben[v], "trainee", "Ben"), &all[v],
		                (size_t)find_row(&all[v], "trainee", "Ben"));
		report_table_free(&all[v]);
		report_table_free(&ben[v]);
	}
	/* Ben alone: his indicators and features as counted for him. */
	report_table t;
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_INDICATOR, &t), 0);
	long u = find_row(&t, "indicator", "undervalued");
	check_num(&t, u, "flagged", 1);
	check_num(&t, u, "hits", 1);
	report_table_free(&t);
}

/* Points for an item the pack does not have (from another version of
 * it) count neither as an item nor in the attempt's total: the analysis
 * is that of the pack's own items. */
static void test_stray_item(void **state)
{
	struct fx *f = *state;
	fill_main(f);
	open_report(f, NULL, true);
	report_table item, packs;
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_ITEM, &item), 0);
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_PACK, &packs), 0);
	assert_int_equal(sqlite3_exec(store_handle(f->s),
	                              "INSERT INTO scored SELECT 'points', uuid, 999, 0, 'S1', 7,"
	                              " NULL, NULL, 4 FROM attempt WHERE status = 'finished'"
	                              " ORDER BY uuid LIMIT 2",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	open_report(f, NULL, true);
	report_table item2, packs2;
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_ITEM, &item2), 0);
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_PACK, &packs2), 0);
	assert_same_table(&item, &item2);
	assert_same_table(&packs, &packs2);
	report_table_free(&item);
	report_table_free(&packs);
	report_table_free(&item2);
	report_table_free(&packs2);
	/* Without the pack, the stray item is an item like any other. */
	open_report(f, NULL, false);
	assert_int_equal(report_table_get(f->r, REPORT_VIEW_ITEM, &item), 0);
	assert_int_equal(item.rows, 6);
	long s = find_row(&item, "item", "S1 item 8");
	check_num(&item, s, "attempts", 4);
	check_num(&item, s, "mean", 2.0);
	report_table_free(&item);
}

/* Writes the view in fmt to a memory buffer. */
static char *render(struct fx *f, enum report_view v, enum report_format fmt, size_t width)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	report_output o = {.format = fmt, .width = width};
	assert_int_equal(report_write(f->r, &v, 1, &o, m), 0);
	fclose(m);
	return buf;
}

/* A trainee name with an escape sequence, markup and quotes. */
static void test_escaping(void **state)
{
	struct fx *f = *state;
	char u[STORE_UUID_SIZE];
	/* The store refuses control characters, so plant one directly, as a
	 * doctored file would. */
	begin(f, "Eve", "PT", NULL, u);
	finish(f, u, 10, 0);
	sqlite3_exec(store_handle(f->s),
	             "UPDATE trainee SET name = 'Eve' || char(27) || '[31m<b>\"x\",y</b>'", NULL,
	             NULL, NULL);
	open_report(f, NULL, true);
	char *text = render(f, REPORT_VIEW_TRAINEE, REPORT_TEXT_FORMAT, 0);
	assert_null(strchr(text, 27));
	assert_non_null(strstr(text, "Eve\xe2\x90\x9b[31m")); /* U+241B */
	free(text);
	char *html = render(f, REPORT_VIEW_TRAINEE, REPORT_HTML, 0);
	assert_null(strchr(html, 27));
	assert_null(strstr(html, "<b>"));
	assert_non_null(strstr(html, "&lt;b&gt;&quot;x&quot;,y&lt;/b&gt;"));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "http://e")); /* nothing fetched */
	free(html);
	char *csv = render(f, REPORT_VIEW_TRAINEE, REPORT_CSV, 0);
	assert_non_null(strstr(csv, "\"Eve\xe2\x90\x9b[31m<b>\"\"x\"\",y</b>\""));
	assert_non_null(strstr(csv, "\r\n"));
	free(csv);
	char *json = render(f, REPORT_VIEW_TRAINEE, REPORT_JSON, 0);
	assert_null(strchr(json, 27));
	assert_non_null(strstr(json, "\\\"x\\\""));
	free(json);
}

/* Text tables fit the width given, cutting the widest column. */
static void test_text_width(void **state)
{
	struct fx *f = *state;
	fill_main(f);
	open_report(f, NULL, true);
	char *text = render(f, REPORT_VIEW_ITEM, REPORT_TEXT_FORMAT, 60);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		/* ASCII only here: bytes are columns. */
		if (strlen(line) > 60)
			fail_msg("line wider than 60 columns: %s", line);
	}
	free(text);
	char *wide = render(f, REPORT_VIEW_ITEM, REPORT_TEXT_FORMAT, 0);
	assert_non_null(strstr(wide, "REVIEW: negative discrimination"));
	assert_non_null(strstr(wide, "question q1"));
	free(wide);
}

static void test_names(void **state)
{
	(void)state;
	enum report_view v;
	assert_true(report_view_parse("item", &v));
	assert_int_equal(v, REPORT_VIEW_ITEM);
	assert_false(report_view_parse("items", &v));
	for (int i = 0; i < REPORT_VIEW_COUNT; i++) {
		assert_string_not_equal(report_view_name((enum report_view)i), "?");
		assert_true(strlen(report_view_sql((enum report_view)i)) > 0);
		assert_true(strlen(report_bare_sql((enum report_view)i)) > 0);
	}
	assert_string_equal(report_view_name(REPORT_VIEW_COUNT), "?");
}

/* `test_report --fixture DIR`: writes DIR/results.db (the attempts above
 * plus a trainee whose name holds markup, quotes and a comma) and
 * DIR/packs/rep-fixture.yaml, for the end-to-end tests. */
static int make_fixture(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/packs", dir);
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		return 1;
	snprintf(path, sizeof path, "%s/packs/rep-fixture.yaml", dir);
	FILE *y = fopen(path, "w");
	if (!y || fwrite(pack_yaml, 1, sizeof pack_yaml - 1, y) != sizeof pack_yaml - 1 ||
	    fclose(y) != 0)
		return 1;
	struct fx f = {0};
	snprintf(f.path, sizeof f.path, "%s/results.db", dir);
	char err[STORE_ERR_SIZE];
	if (store_open(f.path, 0, &f.s, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	fill_main(&f);
	char u[STORE_UUID_SIZE];
	begin(&f, "Zo\xc3\xab <b>\"Quote\", Comma</b>", "FR", "g2", u);
	rec(f.s, u, "targeting", "S1", -1, NULL, "target:examined", 10);
	rec(f.s, u, "targeting", "S2", -1, NULL, "target:released", 0);
	finish(&f, u, 10, 0);
	store_close(f.s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--fixture"))
		return make_fixture(argv[2]);
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_item_analysis, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_pack_stats, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_targeting, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_indicators, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_features, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_trainee_view, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_groups_countries, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_one_attempt, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_all_correct, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_without_pack, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_stray_item, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_filter_paths, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_text_width, setup, teardown),
	        cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
