/* test_regrade.c - a corrected answer key re-scores stored attempts as
 * computed by hand, records the regrade, and --dry-run writes nothing. */
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

/* One shipment with one counterfeit pen (evidence: clip), action detain,
 * one question whose answer is A.  Default scoring, no shuffle. */
#define PACK_HEAD                                                                                  \
	"format: 1\n"                                                                              \
	"id: regrade-test\n"                                                                       \
	"title: Regrade test\n"                                                                    \
	"version: \"%s\"\n"                                                                        \
	"summary: A pack for the regrade tests.\n"                                                 \
	"settings: {mode: practice, inspections: 1, shuffle: false}\n"                             \
	"brands:\n"                                                                                \
	"  - id: acme\n"                                                                           \
	"    name: Acme Pens\n"                                                                    \
	"    category: pens\n"                                                                     \
	"    products:\n"                                                                          \
	"      - id: p1\n"                                                                         \
	"        name: Pen One\n"                                                                  \
	"        features:\n"                                                                      \
	"          - {id: clip, name: Clip, genuine: Steel clip.}\n"                               \
	"          - {id: nib, name: Nib, genuine: Gold nib.}\n"                                   \
	"shipments:\n"                                                                             \
	"  - id: S1\n"                                                                             \
	"    mode: sea\n"                                                                          \
	"    declaration: {consignor: Ann Co, consignee: Bob Co, goods: Pens}\n"                   \
	"    indicators:\n"                                                                        \
	"      - {id: undervalued, why: Cheap.}\n"                                                 \
	"    contents:\n"                                                                          \
	"      - product: acme/p1\n"                                                               \
	"        quantity: 10\n"                                                                   \
	"        observed: {clip: Bent clip., nib: Gold nib.}\n"

static const char pack_v1[] = PACK_HEAD "        verdict: counterfeit\n"
                                        "        evidence: [clip]\n"
                                        "    action: detain\n"
                                        "questions:\n"
                                        "  - id: q1\n"
                                        "    topic: trips\n"
                                        "    prompt: Pick one.\n"
                                        "    choices:\n"
                                        "      - {text: A, correct: true}\n"
                                        "      - {text: B}\n";

/* The corrected key: the pen is genuine, the action release, B is right. */
static const char pack_v2[] = PACK_HEAD "        verdict: genuine\n"
                                        "    action: release\n"
                                        "questions:\n"
                                        "  - id: q1\n"
                                        "    topic: trips\n"
                                        "    prompt: Pick one.\n"
                                        "    choices:\n"
                                        "      - {text: A}\n"
                                        "      - {text: B, correct: true}\n";

static pack *load(const char *tmpl, const char *version)
{
	char yaml[4096];
	snprintf(yaml, sizeof yaml, tmpl, version);
	pack_diags diags;
	pack_diags_init(&diags);
	pack *p = pack_load_buffer(yaml, strlen(yaml), "regrade-test.yaml", NULL, NULL, &diags);
	if (!p)
		pack_diags_print(&diags, stdout, false);
	pack_diags_free(&diags);
	assert_non_null(p);
	return p;
}

struct sink_ctx {
	store *s;
	const char *uuid;
};

static int sink(void *ctx, const engine_record *rec)
{
	struct sink_ctx *c = ctx;
	for (size_t i = 0; i < rec[0].batch_count; i++) {
		store_response r = {.stage = rec[i].stage,
		                    .part = rec[i].part,
		                    .shipment_id = rec[i].shipment_id,
		                    .item_index = rec[i].item,
		                    .question_id = rec[i].question_id,
		                    .answer = rec[i].raw,
		                    .points = rec[i].points,
		                    .time_ms = rec[i].time_ms};
		if (store_response_add(c->s, c->uuid, &r, NULL) != 0)
			return -1;
	}
	return 0;
}

/* Plays the pack as the trainer would and records everything; ann chooses
 * counterfeit + clip + detain + A, bob genuine + release + B. */
static void play(store *s, const pack *p, const char *name, bool ann, bool finish)
{
	int64_t tid;
	char uuid[STORE_UUID_SIZE], sha[STORE_SHA256_HEX_SIZE];
	assert_int_equal(store_trainee_upsert(s, name, NULL, NULL, &tid), 0);
	store_sha256_hex("v1", 2, sha);
	store_attempt_new a = {.trainee_id = tid,
	                       .pack_id = p->id.text,
	                       .pack_version = "1",
	                       .pack_sha256 = sha,
	                       .mode = "practice",
	                       .seed = 42};
	assert_int_equal(store_attempt_begin(s, &a, uuid), 0);
	struct sink_ctx c = {s, uuid};
	engine_options o = {.seed = 42, .mode = ENGINE_MODE_PRACTICE, .sink = sink, .sink_ctx = &c};
	engine *e = engine_new(p, &o);
	assert_non_null(e);
	assert_int_equal(engine_begin(e), ENGINE_OK);
	if (ann)
		assert_int_equal(engine_flag(e, 0, "undervalued"), ENGINE_OK);
	assert_int_equal(engine_select(e, 0), ENGINE_OK);
	assert_int_equal(engine_confirm(e), ENGINE_OK);
	assert_int_equal(engine_examine(e, 0, 0, 0), ENGINE_OK);
	if (ann)
		assert_int_equal(engine_cite(e, 0, 0, 0), ENGINE_OK);
	assert_int_equal(
	        engine_verdict(e, 0, 0, ann ? PACK_VERDICT_COUNTERFEIT : PACK_VERDICT_GENUINE),
	        ENGINE_OK);
	assert_int_equal(engine_act(e, 0, ann ? "detain" : "release"), ENGINE_OK);
	if (finish) {
		assert_int_equal(engine_end_examination(e), ENGINE_OK);
		size_t choice = ann ? 0 : 1;
		assert_int_equal(engine_answer(e, 0, &choice, 1), ENGINE_OK);
		if (engine_stage(e) != ENGINE_STAGE_DEBRIEF)
			assert_int_equal(engine_finish(e), ENGINE_OK);
		engine_scores sc;
		engine_scores_get(e, &sc);
		store_stage_score st[ENGINE_PART_COUNT];
		for (int i = 0; i < ENGINE_PART_COUNT; i++)
			st[i] = (store_stage_score){engine_part_name((enum engine_part)i),
			                            sc.score[i], sc.max[i]};
		assert_int_equal(store_attempt_finish(s, uuid, sc.total, sc.total_max, st,
		                                      ENGINE_PART_COUNT),
		                 0);
	}
	engine_free(e);
}

static long long one(store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_handle(s), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static const report_regrade_change *find(const report_regrade_result *r, const char *name)
{
	for (size_t i = 0; i < r->count; i++)
		if (strcmp(r->items[i].trainee, name) == 0)
			return &r->items[i];
	fail_msg("no change for %s", name);
	return NULL;
}

static void test_regrade_corrected_key(void **state)
{
	(void)state;
	char dir[] = "/tmp/ipr-regrade-XXXXXX", path[64], err[512];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/r.db", dir);
	store *s = NULL;
	assert_int_equal(store_open(path, 0, &s, err, sizeof err), 0);
	pack *v1 = load(pack_v1, "1"), *v2 = load(pack_v2, "2");
	play(s, v1, "Ann", true, true);
	play(s, v1, "Bob", false, true);
	play(s, v1, "Cy", true, false); /* in progress: stopped before questions */

	/* Under v1: Ann target_hit 10 + indicator 2 + verdict 10 + evidence 2
	 * + action 5 + question 5 = 34 of 34; Bob 10 - 10 (missed fake) = 0. */
	assert_int_equal(one(s, "SELECT score FROM attempt a JOIN trainee t ON t.id = a.trainee_id"
	                        " WHERE t.name = 'Ann'"),
	                 34);

	char sha2[STORE_SHA256_HEX_SIZE];
	store_sha256_hex("v2", 2, sha2);
	report_regrade_result r;
	/* A dry run changes nothing. */
	assert_int_equal(report_regrade(s, v2, sha2, true, &r, err, sizeof err), 0);
	assert_int_equal(r.count, 3);
	assert_int_equal(r.regrade_id, 0);
	assert_int_equal(find(&r, "Ann")->new_score, -7);
	report_regrade_result_free(&r);
	assert_int_equal(one(s, "SELECT sum(score) FROM attempt"), 34);
	assert_int_equal(one(s, "SELECT count(*) FROM regrade"), 0);

	assert_int_equal(report_regrade(s, v2, sha2, false, &r, err, sizeof err), 0);
	assert_int_equal(r.count, 3);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.changed, 3);
	/* Under v2 (S1 clean now): Ann false_alarm -3 + indicator 2 +
	 * verdict_false_fake -5 + evidence_false -1 + wrong action 0 + wrong
	 * answer 0 = -7.  Bob -3 + verdict 10 + action 5 + question 5 = 17.
	 * Maximum: examining S1 is worth -3 + 10 + 5 = 12 > 0 (releasing),
	 * + indicator 2 + question 5 = 19.  Cy (in progress, no question yet)
	 * -3 + 2 - 5 - 1 + 0 = -7, was 10 + 2 + 10 + 2 + 5 = 29. */
	const report_regrade_change *ann = find(&r, "Ann"), *bob = find(&r, "Bob"),
	                            *cy = find(&r, "Cy");
	assert_int_equal(ann->old_score, 34);
	assert_int_equal(ann->old_max, 34);
	assert_int_equal(ann->new_score, -7);
	assert_int_equal(ann->new_max, 19);
	assert_int_equal(bob->old_score, 0);
	assert_int_equal(bob->new_score, 17);
	assert_int_equal(bob->new_max, 19);
	assert_int_equal(cy->old_score, 29);
	assert_int_equal(cy->new_score, -7);
	assert_int_equal(cy->new_max, -1);
	assert_true(r.regrade_id > 0);
	report_regrade_result_free(&r);

	/* Stored: scores, responses that still sum to them, the record. */
	assert_int_equal(one(s, "SELECT score FROM attempt a JOIN trainee t ON t.id = a.trainee_id"
	                        " WHERE t.name = 'Bob'"),
	                 17);
	assert_int_equal(one(s, "SELECT count(*) FROM attempt a WHERE a.status = 'finished' AND"
	                        " a.score <> (SELECT sum(points) FROM response r"
	                        " WHERE r.attempt_uuid = a.uuid)"),
	                 0);
	/* The summaries the reports read hold the new points too. */
	assert_int_equal(one(s, "SELECT count(*) FROM attempt a WHERE a.status = 'finished' AND"
	                        " a.score <> (SELECT sum(points) FROM scored s"
	                        " WHERE s.kind = 'points' AND s.attempt_uuid = a.uuid)"),
	                 0);
	assert_int_equal(one(s, "SELECT count(*) FROM scored s JOIN attempt a ON a.uuid ="
	                        " s.attempt_uuid WHERE a.status <> 'finished'"),
	                 0);
	assert_int_equal(one(s,
	                     "SELECT json_extract(stage_scores, '$.verdicts.score') FROM attempt a"
	                     " JOIN trainee t ON t.id = a.trainee_id WHERE t.name = 'Ann'"),
	                 -5);
	assert_int_equal(one(s, "SELECT count(*) FROM attempt WHERE pack_version = '2'"), 3);
	assert_int_equal(one(s, "SELECT changed FROM regrade"), 3);
	assert_int_equal(one(s, "SELECT count(*) FROM regrade_attempt WHERE old_score = 34"
	                        " AND new_score = -7"),
	                 1);

	/* Regrading again with the same key changes nothing. */
	assert_int_equal(report_regrade(s, v2, sha2, false, &r, err, sizeof err), 0);
	assert_int_equal(r.changed, 0);
	report_regrade_result_free(&r);

	store_close(s);
	pack_free(v1);
	pack_free(v2);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_regrade_corrected_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
