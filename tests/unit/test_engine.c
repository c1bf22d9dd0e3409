/* test_engine.c - the exercise state machine: stage transitions, illegal
 * commands (refused, state unchanged), recording and its failure, seeded
 * shuffling, the time limit, decision times and replay. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipr-drill/engine.h"

/* Three shipments (two hold counterfeits), budget 2, a 10-minute limit,
 * shuffled, exam mode, two overridden scores. Maximum: indicators 4 + 2,
 * targeting 10 + 10 + 0, verdicts 7 x 3, evidence 2 x 2 + 2, actions 5 x 2,
 * questions 5 x 2 = 73. */
static const char test_pack[] =
        "format: 1\n"
        "id: engine-test\n"
        "title: Engine test\n"
        "version: \"1\"\n"
        "summary: A pack for the engine's tests.\n"
        "settings:\n"
        "  mode: exam\n"
        "  inspections: 2\n"
        "  time_limit_minutes: 10\n"
        "  shuffle: true\n"
        "scoring:\n"
        "  verdict_correct: 7\n"
        "  evidence_false: -2\n"
        "indicators:\n"
        "  - id: odd-box\n"
        "    name: Odd box\n"
        "    description: The box is odd.\n"
        "actions:\n"
        "  - id: refer\n"
        "    name: Refer\n"
        "    description: Refer to the IPR desk.\n"
        "brands:\n"
        "  - id: acme\n"
        "    name: Acme Pens\n"
        "    category: pens\n"
        "    products:\n"
        "      - id: p1\n"
        "        name: Pen One\n"
        "        features:\n"
        "          - {id: clip, name: Clip, genuine: Steel clip.}\n"
        "          - {id: nib, name: Nib, genuine: Gold nib.}\n"
        "          - {id: box, name: Box, genuine: Blue box.}\n"
        "shipments:\n"
        "  - id: S1\n"
        "    mode: sea\n"
        "    declaration: {consignor: Ann Co, consignee: Bob Co, goods: Pens}\n"
        "    indicators:\n"
        "      - {id: undervalued, why: Cheap.}\n"
        "      - {id: odd-box, why: Odd.}\n"
        "    contents:\n"
        "      - product: acme/p1\n"
        "        quantity: 10\n"
        "        observed: {clip: Bent clip., nib: Steel nib., box: Blue box.}\n"
        "        verdict: counterfeit\n"
        "        evidence: [clip, nib]\n"
        "        explain: Steel nib.\n"
        "      - product: acme/p1\n"
        "        quantity: 2\n"
        "        observed: {clip: Steel clip., nib: Gold nib.}\n"
        "        verdict: genuine\n"
        "    action: detain\n"
        "    explain: Fakes.\n"
        "  - id: S2\n"
        "    mode: air\n"
        "    declaration: {consignor: Cat Co, consignee: Dan Co, goods: Shirts}\n"
        "    contents:\n"
        "      - description: Cotton shirts\n"
        "        quantity: 5\n"
        "        verdict: genuine\n"
        "    action: release\n"
        "  - id: S3\n"
        "    mode: post\n"
        "    declaration: {consignor: Eve Co, consignee: Fay Co, goods: Pen}\n"
        "    indicators:\n"
        "      - {id: new-trader, why: New.}\n"
        "    contents:\n"
        "      - product: acme/p1\n"
        "        quantity: 1\n"
        "        observed: {box: Red box.}\n"
        "        verdict: counterfeit\n"
        "        evidence: [box]\n"
        "        explain: Red box.\n"
        "    action: refer\n"
        "questions:\n"
        "  - id: q1\n"
        "    topic: trips\n"
        "    prompt: Pick A.\n"
        "    choices:\n"
        "      - {text: A, correct: true}\n"
        "      - {text: B}\n"
        "      - {text: C}\n"
        "    explain: A.\n"
        "  - id: q2\n"
        "    topic: trips\n"
        "    prompt: Pick A and B.\n"
        "    choices:\n"
        "      - {text: A, correct: true}\n"
        "      - {text: B, correct: true}\n"
        "      - {text: C}\n"
        "      - {text: D}\n"
        "    explain: A and B.\n";

enum { S1, S2, S3 };
#define TEST_MAX 73

/* ---- a record log standing in for the results store ---- */

typedef struct stored {
	char *stage, *part, *shipment_id, *question_id, *raw;
	int item;
	long long points;
	int64_t time_ms;
	size_t batch_count;
	size_t batch; /* which sink call delivered it */
} stored;

typedef struct rec_log {
	bool fail;
	size_t calls;
	stored *recs;
	size_t n, cap;
} rec_log;

typedef struct world {
	pack *p;
	engine *e;
	int64_t now;
	rec_log log;
} world;

static char *dup_or_null(const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	assert_non_null(d);
	return d;
}

static int sink(void *ctx, const engine_record *rec)
{
	rec_log *w = ctx;
	if (w->fail)
		return -1;
	size_t count = rec[0].batch_count;
	assert_true(count >= 1);
	for (size_t k = 0; k < count; k++) {
		assert_int_equal(rec[k].batch_count, count);
		if (w->n == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 64;
			w->recs = realloc(w->recs, w->cap * sizeof(*w->recs));
			assert_non_null(w->recs);
		}
		stored *s = &w->recs[w->n++];
		s->stage = dup_or_null(rec[k].stage);
		s->part = dup_or_null(rec[k].part);
		s->shipment_id = dup_or_null(rec[k].shipment_id);
		s->question_id = dup_or_null(rec[k].question_id);
		s->raw = dup_or_null(rec[k].raw);
		s->item = rec[k].item;
		s->points = rec[k].points;
		s->time_ms = rec[k].time_ms;
		s->batch_count = rec[k].batch_count;
		s->batch = w->calls;
	}
	w->calls++;
	return 0;
}

static int64_t fake_clock(void *ctx)
{
	return *(int64_t *)ctx;
}

static pack *load(const char *yaml)
{
	pack_diags diags;
	pack_diags_init(&diags);
	pack *p = pack_load_buffer(yaml, strlen(yaml), "engine-test.yaml", NULL, NULL, &diags);
	if (!p || diags.warnings)
		pack_diags_print(&diags, stdout, false);
	pack_diags_free(&diags);
	assert_non_null(p);
	return p;
}

static engine *engine_with(const pack *p, uint64_t seed, int64_t *clock, rec_log *log)
{
	engine_options o = {.seed = seed,
	                    .clock = fake_clock,
	                    .clock_ctx = clock,
	                    .sink = sink,
	                    .sink_ctx = log};
	engine *e = engine_new(p, &o);
	assert_non_null(e);
	return e;
}

static engine *new_engine(world *w, uint64_t seed)
{
	return engine_with(w->p, seed, &w->now, &w->log);
}

static world *world_new(const char *yaml, uint64_t seed)
{
	world *w = calloc(1, sizeof(*w));
	assert_non_null(w);
	w->now = 1000000;
	w->p = load(yaml);
	w->e = new_engine(w, seed);
	return w;
}

static void log_clear(rec_log *w)
{
	for (size_t k = 0; k < w->n; k++) {
		free(w->recs[k].stage);
		free(w->recs[k].part);
		free(w->recs[k].shipment_id);
		free(w->recs[k].question_id);
		free(w->recs[k].raw);
	}
	w->n = 0;
	free(w->recs);
	w->recs = NULL;
	w->cap = 0;
}

static int setup(void **state)
{
	*state = world_new(test_pack, 42);
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;
	engine_free(w->e);
	pack_free(w->p);
	log_clear(&w->log);
	free(w);
	return 0;
}

/* ---- a snapshot of everything observable, to prove "nothing changed" ---- */

static char *snapshot(const engine *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	const pack *p = engine_pack(e);
	engine_scores sc;
	engine_scores_get(e, &sc);
	fprintf(f, "stage=%s used=%zu total=%lld timed_out=%d\n",
	        engine_stage_name(engine_stage(e)), engine_budget_used(e), sc.total,
	        engine_timed_out(e));
	for (int k = 0; k < ENGINE_PART_COUNT; k++)
		fprintf(f, "%s=%lld/%lld ", engine_part_name(k), sc.score[k], sc.max[k]);
	size_t ni = 0;
	(void)engine_indicators(e, &ni);
	for (size_t s = 0; s < p->shipment_count; s++) {
		const engine_shipment_state *st = engine_shipment(e, s);
		fprintf(f, "\n%s flags=%zu:", st->shipment->id.text, st->flag_count);
		for (size_t k = 0; k < ni; k++)
			fputc(st->flagged[k] ? '1' : '0', f);
		fprintf(f,
		        " sel=%d ex=%d settled=%d rel=%d miss=%d fa=%d act=%s pts=%lld,%lld,%lld",
		        st->selected, st->examined, st->settled, st->released_unexamined,
		        st->missed_counterfeit, st->false_alarm,
		        st->action ? st->action->id.text : "-", st->target_points,
		        st->indicator_points, st->action_points);
		for (size_t i = 0; i < st->shipment->item_count; i++) {
			const engine_item_state *is = &st->items[i];
			fprintf(f, " [v=%d %lld/%lld c=%zu", is->verdict, is->verdict_points,
			        is->evidence_points, is->cited_count);
			for (size_t k = 0; k < is->feature_count; k++)
				fprintf(f, " %s:%d%d", is->features[k].observed->key.text,
				        is->features[k].examined, is->features[k].cited);
			fputc(']', f);
		}
	}
	for (size_t q = 0; q < p->question_count; q++) {
		const engine_question_state *qs = engine_question(e, q);
		fprintf(f, "\n%s answered=%d pts=%lld", qs->question->id.text, qs->answered,
		        qs->points);
		for (size_t k = 0; qs->answered && k < qs->question->choice_count; k++)
			fputc(qs->chosen[k] ? '1' : '0', f);
	}
	size_t nd = 0;
	const engine_decision *d = engine_decisions(e, &nd);
	fprintf(f, "\ndecisions=%zu", nd);
	for (size_t k = 0; k < nd; k++)
		fprintf(f, "\n %s s%ld i%ld q%ld [%s] [%s] %lld %d %lld",
		        engine_part_name(d[k].part), d[k].shipment, d[k].item, d[k].question,
		        d[k].given, d[k].key, d[k].points, d[k].correct, (long long)d[k].time_ms);
	fclose(f);
	return buf;
}

/* Runs cmd-expression, expects status, and checks nothing changed: the
 * observable state and the record log. */
#define REFUSED(w, expect, call)                                                                   \
	do {                                                                                       \
		char *before_ = snapshot((w)->e);                                                  \
		size_t n_ = (w)->log.n;                                                            \
		assert_int_equal((call), (expect));                                                \
		char *after_ = snapshot((w)->e);                                                   \
		assert_string_equal(before_, after_);                                              \
		assert_int_equal((w)->log.n, n_);                                                  \
		free(before_);                                                                     \
		free(after_);                                                                      \
	} while (0)

#define OK(call) assert_int_equal((call), ENGINE_OK)

static long long log_sum(const world *w)
{
	long long t = 0;
	for (size_t k = 0; k < w->log.n; k++)
		t += w->log.recs[k].points;
	return t;
}

/* Display position of the pack choice k of question q. */
static size_t pos_of(const engine *e, size_t q, size_t k)
{
	const engine_question_state *qs = engine_question(e, q);
	for (size_t d = 0; d < qs->question->choice_count; d++)
		if (qs->order[d] == k)
			return d;
	fail_msg("choice %zu not in the order", k);
	return 0;
}

static size_t feature(const engine *e, size_t s, size_t i, const char *id)
{
	const engine_item_state *is = &engine_shipment(e, s)->items[i];
	for (size_t f = 0; f < is->feature_count; f++)
		if (!strcmp(is->features[f].observed->key.text, id))
			return f;
	fail_msg("no feature %s", id);
	return 0;
}

/* The perfect play of the test pack as numbered steps, so that an attempt
 * can be cut anywhere and resumed.  Each step advances the clock first.
 * Returns false past the last step. */
static bool perfect_step(engine *e, int64_t *clock, size_t k)
{
	*clock += 10 * (int64_t)(k + 1);
	size_t a1[1], a2[2];
	switch (k) {
	case 0:
		OK(engine_begin(e));
		break;
	case 1:
		OK(engine_flag(e, S1, "undervalued"));
		break;
	case 2:
		OK(engine_flag(e, S1, "odd-box"));
		break;
	case 3:
		OK(engine_flag(e, S3, "new-trader"));
		break;
	case 4:
		OK(engine_select(e, S1));
		break;
	case 5:
		OK(engine_select(e, S3));
		break;
	case 6:
		OK(engine_confirm(e));
		break;
	case 7:
		OK(engine_examine(e, S1, 0, feature(e, S1, 0, "clip")));
		break;
	case 8:
		OK(engine_examine(e, S1, 0, feature(e, S1, 0, "nib")));
		break;
	case 9:
		OK(engine_cite(e, S1, 0, feature(e, S1, 0, "clip")));
		break;
	case 10:
		OK(engine_cite(e, S1, 0, feature(e, S1, 0, "nib")));
		break;
	case 11:
		OK(engine_verdict(e, S1, 0, PACK_VERDICT_COUNTERFEIT));
		break;
	case 12:
		OK(engine_verdict(e, S1, 1, PACK_VERDICT_GENUINE));
		break;
	case 13:
		OK(engine_act(e, S1, "detain"));
		break;
	case 14:
		OK(engine_examine(e, S3, 0, 0));
		break;
	case 15:
		OK(engine_cite(e, S3, 0, 0));
		break;
	case 16:
		OK(engine_verdict(e, S3, 0, PACK_VERDICT_COUNTERFEIT));
		break;
	case 17:
		OK(engine_act(e, S3, "refer"));
		break;
	case 18:
		OK(engine_end_examination(e));
		break;
	case 19:
		a1[0] = pos_of(e, 0, 0);
		OK(engine_answer(e, 0, a1, 1));
		break;
	case 20:
		a2[0] = pos_of(e, 1, 1);
		a2[1] = pos_of(e, 1, 0);
		OK(engine_answer(e, 1, a2, 2));
		break;
	case 21:
		OK(engine_finish(e));
		break;
	default:
		return false;
	}
	return true;
}

static void play_perfect(world *w)
{
	for (size_t k = 0; perfect_step(w->e, &w->now, k); k++)
		;
}

/* ---- tests ---- */

static void test_perfect_run(void **state)
{
	world *w = *state;
	engine *e = w->e;
	assert_int_equal(engine_stage(e), ENGINE_STAGE_BRIEFING);
	assert_true(engine_is_exam(e));
	play_perfect(w);
	assert_int_equal(engine_stage(e), ENGINE_STAGE_DEBRIEF);
	engine_scores sc;
	engine_scores_get(e, &sc);
	assert_int_equal(sc.total_max, TEST_MAX);
	assert_int_equal(sc.total, TEST_MAX);
	for (int k = 0; k < ENGINE_PART_COUNT; k++)
		assert_int_equal(sc.score[k], sc.max[k]);
	assert_int_equal(sc.score[ENGINE_PART_TARGETING], 20);
	assert_int_equal(sc.score[ENGINE_PART_INDICATORS], 6);
	assert_int_equal(sc.score[ENGINE_PART_VERDICTS], 21);
	assert_int_equal(sc.score[ENGINE_PART_EVIDENCE], 6);
	assert_int_equal(sc.score[ENGINE_PART_ACTIONS], 10);
	assert_int_equal(sc.score[ENGINE_PART_QUESTIONS], 10);
	assert_int_equal(log_sum(w), TEST_MAX);
	assert_int_equal(engine_max_score(w->p, NULL), TEST_MAX);

	/* every decision has full marks */
	size_t nd = 0;
	const engine_decision *d = engine_decisions(e, &nd);
	/* 3 targeting + 2 indicators + 3 verdicts + 2 evidence + 2 actions + 2 questions */
	assert_int_equal(nd, 14);
	for (size_t k = 0; k < nd; k++)
		assert_true(d[k].correct);

	/* the debrief lists */
	assert_false(engine_shipment(e, S1)->missed_counterfeit);
	assert_true(engine_shipment(e, S2)->released_unexamined);
	assert_false(engine_shipment(e, S2)->false_alarm);
	assert_null(engine_shipment(e, S2)->action);
	assert_string_equal(engine_shipment(e, S3)->action->id.text, "refer");
}

static const stored *find_rec(const world *w, const char *raw, const char *ship)
{
	for (size_t k = 0; k < w->log.n; k++)
		if (!strcmp(w->log.recs[k].raw, raw) &&
		    (!ship ||
		     (w->log.recs[k].shipment_id && !strcmp(w->log.recs[k].shipment_id, ship))))
			return &w->log.recs[k];
	fail_msg("no record %s for %s", raw, ship ? ship : "-");
	return NULL;
}

static void test_records(void **state)
{
	world *w = *state;
	play_perfect(w);
	assert_string_equal(w->log.recs[0].raw, "begin");
	assert_string_equal(w->log.recs[0].stage, "briefing");
	assert_null(w->log.recs[0].part);
	const stored *r = find_rec(w, "flag:odd-box", "S1");
	assert_string_equal(r->stage, "targeting");
	assert_int_equal(r->points, 0);
	assert_int_equal(r->item, -1);
	r = find_rec(w, "confirm", NULL);
	/* confirm + 3 targeting + 2 indicator settlements in one delivery */
	assert_int_equal(r->batch_count, 6);
	r = find_rec(w, "target:examined", "S1");
	assert_string_equal(r->part, "targeting");
	assert_int_equal(r->points, 10);
	r = find_rec(w, "target:released", "S2");
	assert_int_equal(r->points, 0);
	r = find_rec(w, "indicators:undervalued,odd-box", "S1");
	assert_string_equal(r->part, "indicators");
	assert_int_equal(r->points, 4);
	r = find_rec(w, "examine:nib", "S1");
	assert_int_equal(r->item, 0);
	assert_string_equal(r->stage, "examination");
	r = find_rec(w, "evidence+:clip", "S1");
	assert_int_equal(r->points, 0);
	r = find_rec(w, "verdict:counterfeit", "S1");
	assert_string_equal(r->part, "verdicts");
	assert_int_equal(r->points, 7);
	assert_int_equal(r->batch_count, 2);
	r = find_rec(w, "evidence:clip,nib", "S1");
	assert_string_equal(r->part, "evidence");
	assert_int_equal(r->points, 4);
	assert_int_equal(r->item, 0);
	r = find_rec(w, "verdict:genuine", "S1");
	assert_int_equal(r->item, 1);
	assert_int_equal(r->batch_count, 1);
	r = find_rec(w, "action:refer", "S3");
	assert_int_equal(r->points, 5);
	r = find_rec(w, "answer:0", NULL);
	assert_string_equal(r->question_id, "q1");
	assert_string_equal(r->part, "questions");
	/* pack order, ascending, whatever the display order was */
	r = find_rec(w, "answer:0,1", NULL);
	assert_string_equal(r->question_id, "q2");
	assert_int_equal(r->points, 5);
	find_rec(w, "done", NULL);
	r = find_rec(w, "finish", NULL);
	assert_string_equal(r->stage, "questions");
	assert_true(engine_record_is_settlement(&(engine_record){.raw = "target:examined"}));
	assert_true(engine_record_is_settlement(&(engine_record){.raw = "evidence:a"}));
	assert_false(engine_record_is_settlement(&(engine_record){.raw = "evidence+:a"}));
}

static void test_decision_times(void **state)
{
	world *w = *state;
	engine *e = w->e;
	w->now += 2500;
	OK(engine_begin(e));
	assert_int_equal(w->log.recs[0].time_ms, 2500);
	w->now += 1500;
	OK(engine_select(e, S1));
	assert_int_equal(w->log.recs[1].time_ms, 1500);
	OK(engine_select(e, S3));
	assert_int_equal(w->log.recs[2].time_ms, 0);
	w->now += 700;
	OK(engine_confirm(e));
	assert_int_equal(w->log.recs[3].time_ms, 700);
	for (size_t k = 4; k < w->log.n; k++)
		assert_int_equal(w->log.recs[k].time_ms, 0); /* settlements */
	size_t nd = 0;
	const engine_decision *d = engine_decisions(e, &nd);
	assert_true(nd > 0);
	assert_int_equal(d[0].time_ms, 700);
	assert_int_equal(engine_elapsed_ms(e), 2500 + 1500 + 700);
	w->now += 50;
	assert_int_equal(engine_elapsed_ms(e), 4750);
	assert_int_equal(engine_remaining_ms(e), 600000 - 4750);
}

static void test_sloppy_run(void **state)
{
	world *w = *state;
	engine *e = w->e;
	OK(engine_begin(e));
	OK(engine_flag(e, S1, "undervalued"));
	OK(engine_flag(e, S2, "hs-mismatch"));
	OK(engine_flag(e, S2, "new-trader"));
	OK(engine_unflag(e, S2, "new-trader"));
	OK(engine_select(e, S1));
	OK(engine_select(e, S3));
	OK(engine_deselect(e, S3));
	OK(engine_select(e, S2));
	OK(engine_confirm(e));
	/* targeting 10 - 3 - 10; indicators 2 - 1 */
	engine_scores sc;
	engine_scores_get(e, &sc);
	assert_int_equal(sc.score[ENGINE_PART_TARGETING], -3);
	assert_int_equal(sc.score[ENGINE_PART_INDICATORS], 1);
	assert_true(engine_shipment(e, S3)->missed_counterfeit);
	assert_true(engine_shipment(e, S2)->false_alarm);
	size_t clip = feature(e, S1, 0, "clip"), box = feature(e, S1, 0, "box");
	OK(engine_examine(e, S1, 0, clip));
	OK(engine_examine(e, S1, 0, box));
	OK(engine_cite(e, S1, 0, clip));
	OK(engine_cite(e, S1, 0, box));
	OK(engine_verdict(e, S1, 0, PACK_VERDICT_GENUINE));     /* -10, evidence 2 - 2 */
	OK(engine_verdict(e, S1, 1, PACK_VERDICT_COUNTERFEIT)); /* -5 */
	OK(engine_act(e, S1, "release"));                       /* 0 */
	OK(engine_verdict(e, S2, 0, PACK_VERDICT_GENUINE));     /* 7 */
	OK(engine_act(e, S2, "detain"));                        /* 0 */
	OK(engine_end_examination(e));
	size_t wrong[] = {pos_of(e, 0, 2)};
	OK(engine_answer(e, 0, wrong, 1));
	size_t partial[] = {pos_of(e, 1, 0)};
	OK(engine_answer(e, 1, partial, 1));
	OK(engine_finish(e));
	engine_scores_get(e, &sc);
	assert_int_equal(sc.score[ENGINE_PART_VERDICTS], -10 - 5 + 7);
	assert_int_equal(sc.score[ENGINE_PART_EVIDENCE], 0);
	assert_int_equal(sc.score[ENGINE_PART_ACTIONS], 0);
	assert_int_equal(sc.score[ENGINE_PART_QUESTIONS], 0);
	assert_int_equal(sc.total, -3 + 1 - 8);
	assert_int_equal(log_sum(w), sc.total);
	const stored *r = find_rec(w, "indicators:hs-mismatch", "S2");
	assert_int_equal(r->points, -1);
	r = find_rec(w, "evidence:clip,box", "S1");
	assert_int_equal(r->points, 0);
	find_rec(w, "unflag:new-trader", "S2");
	find_rec(w, "deselect", "S3");
	/* decisions carry the key beside the answer */
	size_t nd = 0;
	const engine_decision *d = engine_decisions(e, &nd);
	bool seen = false;
	for (size_t k = 0; k < nd; k++)
		if (d[k].part == ENGINE_PART_VERDICTS && d[k].shipment == S1 && d[k].item == 0) {
			assert_string_equal(d[k].given, "genuine");
			assert_string_equal(d[k].key, "counterfeit");
			assert_false(d[k].correct);
			assert_int_equal(d[k].points, -10);
			assert_string_equal(d[k].explain, "Steel nib.");
			seen = true;
		} else if (d[k].part == ENGINE_PART_QUESTIONS && d[k].question == 1) {
			assert_string_equal(d[k].given, "1");
			assert_string_equal(d[k].key, "1, 2");
		} else if (d[k].part == ENGINE_PART_EVIDENCE && d[k].shipment == S1) {
			assert_string_equal(d[k].given, "clip, box");
			assert_string_equal(d[k].key, "clip, nib");
		}
	assert_true(seen);
}

static void test_illegal_briefing_and_targeting(void **state)
{
	world *w = *state;
	engine *e = w->e;
	/* verdict, selection, answers before their stage */
	REFUSED(w, ENGINE_E_STAGE, engine_verdict(e, S1, 0, PACK_VERDICT_COUNTERFEIT));
	REFUSED(w, ENGINE_E_STAGE, engine_select(e, S1));
	REFUSED(w, ENGINE_E_STAGE, engine_confirm(e));
	OK(engine_begin(e));
	REFUSED(w, ENGINE_E_STAGE, engine_begin(e));
	/* verdict before confirm */
	REFUSED(w, ENGINE_E_STAGE, engine_verdict(e, S1, 0, PACK_VERDICT_COUNTERFEIT));
	REFUSED(w, ENGINE_E_STAGE, engine_examine(e, S1, 0, 0));
	REFUSED(w, ENGINE_E_STAGE, engine_act(e, S1, "detain"));
	REFUSED(w, ENGINE_E_STAGE, engine_end_examination(e));
	size_t one[] = {0};
	REFUSED(w, ENGINE_E_STAGE, engine_answer(e, 0, one, 1));
	/* unknown ids */
	REFUSED(w, ENGINE_E_UNKNOWN_ID, engine_flag(e, S1, "no-such-indicator"));
	REFUSED(w, ENGINE_E_UNKNOWN_ID, engine_flag(e, S1, NULL));
	REFUSED(w, ENGINE_E_UNKNOWN_ID, engine_flag(e, 3, "undervalued"));
	REFUSED(w, ENGINE_E_UNKNOWN_ID, engine_select(e, 99));
	/* redundant toggles */
	REFUSED(w, ENGINE_E_NO_CHANGE, engine_unflag(e, S1, "undervalued"));
	REFUSED(w, ENGINE_E_NO_CHANGE, engine_deselect(e, S1));
	OK(engine_flag(e, S1, "undervalued"));
	REFUSED(w, ENGINE_E_NO_CHANGE, engine_flag(e, S1, "undervalued"));
	OK(engine_select(e, S1));
	REFUSED(w, ENGINE_E_NO_CHANGE, engine_select(e, S1));
	/* examining beyond the budget */
	OK(engine_select(e, S2));
	REFUSED(w, ENGINE_E_BUDGET, engine_select(e, S3));
	assert_int_equal(engine_budget_used(e), 2);
	assert_int_equal(engine_budget(e), 2);
	char buf[128];
	assert_string_equal(engine_status_text(e, ENGINE_E_BUDGET, buf, sizeof(buf)),
	                    "All 2 examinations are used: deselect a shipment first.");
	OK(engine_deselect(e, S2));
	OK(engine_select(e, S3));
}

static void test_illegal_examination(void **state)
{
	world *w = *state;
	engine *e = w->e;
	OK(engine_begin(e));
	OK(engine_select(e, S1));
	OK(engine_confirm(e));
	assert_int_equal(engine_stage(e), ENGINE_STAGE_EXAMINATION);
	REFUSED(w, ENGINE_E_STAGE, engine_flag(e, S1, "undervalued"));
	REFUSED(w, ENGINE_E_STAGE, engine_select(e, S2));
	REFUSED(w, ENGINE_E_STAGE, engine_confirm(e));
	/* acting on, examining, judging an unexamined shipment */
	REFUSED(w, ENGINE_E_NOT_EXAMINED, engine_act(e, S2, "release"));
	REFUSED(w, ENGINE_E_NOT_EXAMINED, engine_examine(e, S3, 0, 0));
	REFUSED(w, ENGINE_E_NOT_EXAMINED, engine_verdict(e, S3, 0, PACK_VERDICT_COUNTERFEIT));
	REFUSED(w, ENGINE_E_NOT_EXAMINED, engine_cite(e, S3, 0, 0));
	/* out of range */
	REFUSED(w, ENGINE_E_UNKNOWN_ID, engine_examine(e, S1, 2, 0));
	REFUSED(w, ENGINE_E_UNKNOWN_ID, engine_examine(e, S1, 0, 3));
	REFUSED(w, ENGINE_E_UNKNOWN_ID, engine_examine(e, S1, 0, SIZE_MAX));
	REFUSED(w, ENGINE_E_UNKNOWN_ID, engine_verdict(e, 7, 0, PACK_VERDICT_GENUINE));
	REFUSED(w, ENGINE_E_UNKNOWN_ID, engine_act(e, S1, "confiscate"));
	/* citing an unseen feature; uncite what is not cited */
	REFUSED(w, ENGINE_E_NOT_SEEN, engine_cite(e, S1, 0, 0));
	REFUSED(w, ENGINE_E_NO_CHANGE, engine_uncite(e, S1, 0, 0));
	OK(engine_examine(e, S1, 0, 0));
	REFUSED(w, ENGINE_E_NO_CHANGE, engine_examine(e, S1, 0, 0));
	OK(engine_cite(e, S1, 0, 0));
	REFUSED(w, ENGINE_E_NO_CHANGE, engine_cite(e, S1, 0, 0));
	OK(engine_uncite(e, S1, 0, 0));
	OK(engine_cite(e, S1, 0, 0));
	/* a malformed verdict; action before verdicts; moving on too early */
	REFUSED(w, ENGINE_E_INVALID, engine_verdict(e, S1, 0, PACK_VERDICT_NONE));
	REFUSED(w, ENGINE_E_INVALID, engine_verdict(e, S1, 0, (enum pack_verdict)9));
	REFUSED(w, ENGINE_E_INCOMPLETE, engine_act(e, S1, "detain"));
	REFUSED(w, ENGINE_E_INCOMPLETE, engine_end_examination(e));
	OK(engine_verdict(e, S1, 0, PACK_VERDICT_COUNTERFEIT));
	/* a verdict is final and locks the evidence */
	REFUSED(w, ENGINE_E_ALREADY_ANSWERED, engine_verdict(e, S1, 0, PACK_VERDICT_GENUINE));
	REFUSED(w, ENGINE_E_ALREADY_ANSWERED, engine_cite(e, S1, 0, 1));
	REFUSED(w, ENGINE_E_ALREADY_ANSWERED, engine_uncite(e, S1, 0, 0));
	REFUSED(w, ENGINE_E_INCOMPLETE, engine_act(e, S1, "detain"));
	OK(engine_verdict(e, S1, 1, PACK_VERDICT_GENUINE));
	REFUSED(w, ENGINE_E_INCOMPLETE, engine_end_examination(e));
	OK(engine_act(e, S1, "detain"));
	REFUSED(w, ENGINE_E_ALREADY_ANSWERED, engine_act(e, S1, "release"));
	size_t one[] = {0};
	REFUSED(w, ENGINE_E_STAGE, engine_answer(e, 0, one, 1));
	OK(engine_end_examination(e));
	assert_int_equal(engine_stage(e), ENGINE_STAGE_QUESTIONS);
	REFUSED(w, ENGINE_E_STAGE, engine_end_examination(e));
	REFUSED(w, ENGINE_E_STAGE, engine_examine(e, S1, 0, 1));
}

static void test_illegal_questions_and_after(void **state)
{
	world *w = *state;
	engine *e = w->e;
	OK(engine_begin(e));
	OK(engine_confirm(e)); /* nothing selected: straight to the questions */
	assert_int_equal(engine_stage(e), ENGINE_STAGE_QUESTIONS);
	size_t dup[] = {1, 1};
	size_t big[] = {0, 3};
	size_t one[] = {pos_of(e, 0, 0)};
	REFUSED(w, ENGINE_E_INVALID, engine_answer(e, 0, one, 0));
	REFUSED(w, ENGINE_E_INVALID, engine_answer(e, 0, NULL, 1));
	REFUSED(w, ENGINE_E_INVALID, engine_answer(e, 1, dup, 2));
	REFUSED(w, ENGINE_E_UNKNOWN_ID, engine_answer(e, 0, big, 2)); /* q1 has 3 choices */
	REFUSED(w, ENGINE_E_UNKNOWN_ID, engine_answer(e, 2, one, 1));
	OK(engine_answer(e, 0, one, 1));
	/* answering twice */
	REFUSED(w, ENGINE_E_ALREADY_ANSWERED, engine_answer(e, 0, one, 1));
	OK(engine_finish(e));
	assert_int_equal(engine_stage(e), ENGINE_STAGE_DEBRIEF);
	REFUSED(w, ENGINE_E_FINISHED, engine_finish(e));
	REFUSED(w, ENGINE_E_FINISHED, engine_answer(e, 1, one, 1));
	REFUSED(w, ENGINE_E_FINISHED, engine_begin(e));
	REFUSED(w, ENGINE_E_FINISHED, engine_flag(e, S1, "undervalued"));
	assert_int_equal(engine_tick(e), ENGINE_OK);
	/* the unanswered question counts 0; both counterfeit shipments missed */
	assert_int_equal(engine_total(e), -10 + 0 - 10 + 5);
	assert_int_equal(log_sum(w), engine_total(e));
}

/* A failing sink: refused with E_RECORD, nothing changed, then it works. */
static void test_sink_failure(void **state)
{
	world *w = *state;
	engine *e = w->e;
	size_t one[1];
#define FAILS(call)                                                                                \
	do {                                                                                       \
		w->log.fail = true;                                                                \
		REFUSED(w, ENGINE_E_RECORD, call);                                                 \
		w->log.fail = false;                                                               \
		OK(call);                                                                          \
	} while (0)
	FAILS(engine_begin(e));
	FAILS(engine_flag(e, S1, "undervalued"));
	FAILS(engine_unflag(e, S1, "undervalued"));
	FAILS(engine_select(e, S1));
	FAILS(engine_deselect(e, S1));
	OK(engine_select(e, S1));
	OK(engine_flag(e, S2, "undervalued"));
	FAILS(engine_confirm(e));
	FAILS(engine_examine(e, S1, 0, 0));
	FAILS(engine_cite(e, S1, 0, 0));
	FAILS(engine_uncite(e, S1, 0, 0));
	OK(engine_cite(e, S1, 0, 0));
	FAILS(engine_verdict(e, S1, 0, PACK_VERDICT_COUNTERFEIT));
	FAILS(engine_verdict(e, S1, 1, PACK_VERDICT_COUNTERFEIT));
	FAILS(engine_act(e, S1, "detain"));
	FAILS(engine_end_examination(e));
	one[0] = pos_of(e, 0, 0);
	FAILS(engine_answer(e, 0, one, 1));
	FAILS(engine_finish(e));
#undef FAILS
	assert_int_equal(log_sum(w), engine_total(e));
	char buf[200];
	assert_non_null(strstr(engine_status_text(e, ENGINE_E_RECORD, buf, sizeof(buf)), "saved"));
}

static void test_shuffle_determinism(void **state)
{
	world *w = *state;
	engine *a = new_engine(w, 7), *b = new_engine(w, 7);
	size_t n = w->p->shipment_count;
	assert_memory_equal(engine_shipment_order(a), engine_shipment_order(b), n * sizeof(size_t));
	for (size_t q = 0; q < w->p->question_count; q++)
		assert_memory_equal(engine_question(a, q)->order, engine_question(b, q)->order,
		                    w->p->questions[q].choice_count * sizeof(size_t));
	assert_int_equal(engine_seed(a), 7);
	/* each order is a permutation; some seed moves something */
	bool moved = false;
	for (uint64_t seed = 0; seed < 32; seed++) {
		engine *c = new_engine(w, seed);
		const size_t *o = engine_shipment_order(c);
		bool seen[3] = {false, false, false};
		for (size_t k = 0; k < n; k++) {
			assert_true(o[k] < n);
			assert_false(seen[o[k]]);
			seen[o[k]] = true;
			moved = moved || o[k] != k;
		}
		const engine_question_state *qs = engine_question(c, 1);
		bool qseen[4] = {false, false, false, false};
		for (size_t k = 0; k < 4; k++) {
			assert_false(qseen[qs->order[k]]);
			qseen[qs->order[k]] = true;
			moved = moved || qs->order[k] != k;
		}
		engine_free(c);
	}
	assert_true(moved);
	engine_free(a);
	engine_free(b);

	/* a fixed value for one seed, so a change of algorithm is noticed */
	engine *f = new_engine(w, 42);
	const size_t *o = engine_shipment_order(f);
	char got[16];
	snprintf(got, sizeof(got), "%zu%zu%zu", o[0], o[1], o[2]);
	engine *g = new_engine(w, 42);
	const size_t *o2 = engine_shipment_order(g);
	char again[16];
	snprintf(again, sizeof(again), "%zu%zu%zu", o2[0], o2[1], o2[2]);
	assert_string_equal(got, again);
	engine_free(f);
	engine_free(g);
}

static void test_no_shuffle(void **state)
{
	(void)state;
	/* the test pack with "shuffle: true" turned into "shuffle: false" */
	const char *at = strstr(test_pack, "shuffle: true");
	assert_non_null(at);
	size_t head = (size_t)(at - test_pack);
	char *yaml = malloc(sizeof(test_pack) + 1);
	assert_non_null(yaml);
	memcpy(yaml, test_pack, head);
	strcpy(yaml + head, "shuffle: false");
	strcat(yaml, at + strlen("shuffle: true"));
	world *w = world_new(yaml, 99);
	for (size_t k = 0; k < 3; k++)
		assert_int_equal(engine_shipment_order(w->e)[k], k);
	for (size_t k = 0; k < 4; k++)
		assert_int_equal(engine_question(w->e, 1)->order[k], k);
	/* display position = pack index: choosing positions 0 and 1 is right */
	OK(engine_begin(w->e));
	OK(engine_confirm(w->e));
	size_t a[] = {1, 0};
	OK(engine_answer(w->e, 1, a, 2));
	assert_int_equal(engine_question(w->e, 1)->points, 5);
	teardown((void **)&w);
	free(yaml);
}

static void test_time_limit(void **state)
{
	world *w = *state;
	engine *e = w->e;
	OK(engine_begin(e));
	OK(engine_flag(e, S1, "undervalued"));
	OK(engine_select(e, S1));
	w->now += 5 * 60000;
	assert_int_equal(engine_tick(e), ENGINE_OK);
	assert_int_equal(engine_remaining_ms(e), 5 * 60000);
	w->now += 5 * 60000 - 1;
	assert_int_equal(engine_tick(e), ENGINE_OK);
	w->now += 1;
	/* a command after the deadline ends the exercise instead */
	size_t before = w->log.n;
	assert_int_equal(engine_select(e, S3), ENGINE_E_TIME_UP);
	assert_int_equal(engine_stage(e), ENGINE_STAGE_DEBRIEF);
	assert_true(engine_timed_out(e));
	assert_int_equal(engine_remaining_ms(e), 0);
	assert_string_equal(w->log.recs[before].raw, "timeout");
	assert_int_equal(w->log.recs[before].time_ms, 10 * 60000);
	/* targeting was not confirmed: everything released unexamined, the
	 * flags count */
	assert_false(engine_shipment(e, S1)->examined);
	assert_true(engine_shipment(e, S1)->missed_counterfeit);
	assert_int_equal(engine_total(e), -10 + 0 - 10 + 2);
	assert_int_equal(log_sum(w), engine_total(e));
	assert_int_equal(engine_tick(e), ENGINE_OK);
	assert_int_equal(engine_select(e, S3), ENGINE_E_FINISHED);
	assert_int_equal(engine_elapsed_ms(e), 10 * 60000);
}

static void test_time_limit_tick(void **state)
{
	world *w = *state;
	engine *e = w->e;
	OK(engine_begin(e));
	OK(engine_select(e, S1));
	OK(engine_confirm(e));
	OK(engine_verdict(e, S1, 0, PACK_VERDICT_COUNTERFEIT));
	w->now += 11 * 60000;
	/* a failing sink: the timeout is not taken, try again */
	w->log.fail = true;
	REFUSED(w, ENGINE_E_RECORD, engine_tick(e));
	w->log.fail = false;
	assert_int_equal(engine_tick(e), ENGINE_E_TIME_UP);
	assert_int_equal(engine_stage(e), ENGINE_STAGE_DEBRIEF);
	/* what was answered counts: targeting 10 - 10, verdict 7 */
	assert_int_equal(engine_total(e), 7);
	assert_int_equal(log_sum(w), 7);
}

static engine_record as_record(const stored *s)
{
	return (engine_record){s->stage, s->part,   s->shipment_id, s->item,       s->question_id,
	                       s->raw,   s->points, s->time_ms,     s->batch_count};
}

/* Replays the first upto records of log into a fresh engine over p. */
static engine *replay_log(const pack *p, const rec_log *log, size_t upto, int64_t *clock,
                          rec_log *sink_log)
{
	engine *r = engine_with(p, 42, clock, sink_log);
	size_t calls = sink_log ? sink_log->calls : 0;
	for (size_t k = 0; k < upto; k++) {
		engine_record rec = as_record(&log->recs[k]);
		enum engine_status st = engine_replay(r, &rec);
		if (st != ENGINE_OK)
			fail_msg("record %zu (%s) replayed as %d", k, log->recs[k].raw, st);
	}
	if (sink_log)
		assert_int_equal(sink_log->calls, calls); /* replay never records */
	return r;
}

static void assert_same_logs(const rec_log *a, const rec_log *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t k = 0; k < a->n; k++) {
		const stored *x = &a->recs[k], *y = &b->recs[k];
		assert_string_equal(x->raw, y->raw);
		assert_string_equal(x->stage, y->stage);
		assert_int_equal(x->points, y->points);
		assert_int_equal(x->time_ms, y->time_ms);
		assert_int_equal(x->item, y->item);
		assert_int_equal(x->batch_count, y->batch_count);
	}
}

static void test_replay_sloppy_and_timeout(void **state)
{
	world *w = *state;
	/* the sloppy run: unflag, deselect, wrong answers */
	test_sloppy_run(state);
	char *live = snapshot(w->e);
	int64_t clock = w->now;
	engine *r = replay_log(w->p, &w->log, w->log.n, &clock, NULL);
	char *again = snapshot(r);
	assert_string_equal(live, again);
	assert_int_equal(engine_total(r), engine_total(w->e));
	assert_int_equal(engine_elapsed_ms(r), engine_elapsed_ms(w->e));
	free(again);
	free(live);
	engine_free(r);

	/* a timed-out attempt */
	engine_free(w->e);
	log_clear(&w->log);
	w->e = new_engine(w, 42);
	test_time_limit(state);
	live = snapshot(w->e);
	r = replay_log(w->p, &w->log, w->log.n, &clock, NULL);
	again = snapshot(r);
	assert_string_equal(live, again);
	assert_true(engine_timed_out(r));
	free(again);
	free(live);
	engine_free(r);
}

static void test_replay_bad_records(void **state)
{
	world *w = *state;
	engine *e = w->e;
	const char *bad[] = {
	        "",         "fly",      "flag:",          "verdict:maybe", "answer:", "answer:1,,2",
	        "answer:x", "answer:9", "examine:nosuch", "action:"};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		engine_record rec = {
		        .raw = bad[k], .item = 0, .shipment_id = "S1", .question_id = "q1"};
		enum engine_status st = engine_replay(e, &rec);
		assert_int_not_equal(st, ENGINE_OK);
	}
	engine_record unknown = {.raw = "select", .shipment_id = "S9", .item = -1};
	assert_int_equal(engine_replay(e, &unknown), ENGINE_E_BAD_RECORD);
	assert_int_equal(engine_replay(e, NULL), ENGINE_E_BAD_RECORD);
	/* a command refused in its stage is reported as such */
	engine_record early = {.raw = "select", .shipment_id = "S1", .item = -1};
	assert_int_equal(engine_replay(e, &early), ENGINE_E_STAGE);
	/* settlements are skipped */
	engine_record settle = {.raw = "target:examined", .shipment_id = "S1", .item = -1};
	assert_int_equal(engine_replay(e, &settle), ENGINE_OK);
	assert_int_equal(engine_stage(e), ENGINE_STAGE_BRIEFING);
	assert_int_equal(w->log.n, 0);
}

/* An interrupted attempt, cut after every step in turn: replay the stored
 * records, carry on live, and end with the same state and the same records
 * as the uninterrupted run. */
static void test_resume_anywhere(void **state)
{
	world *w = *state;
	const int64_t start = w->now;
	play_perfect(w);
	char *live = snapshot(w->e);
	for (size_t cut = 0; cut <= 22; cut++) {
		int64_t clock = start;
		rec_log first = {0};
		engine *a = engine_with(w->p, 42, &clock, &first);
		size_t k = 0;
		for (; k < cut && perfect_step(a, &clock, k); k++)
			;
		engine_free(a);  /* the program was killed */
		clock += 123456; /* time while it was not running does not count */
		engine *b = replay_log(w->p, &first, first.n, &clock, &first);
		for (; perfect_step(b, &clock, k); k++)
			;
		char *resumed = snapshot(b);
		assert_string_equal(live, resumed);
		assert_same_logs(&w->log, &first);
		assert_int_equal(engine_elapsed_ms(b), engine_elapsed_ms(w->e));
		free(resumed);
		engine_free(b);
		log_clear(&first);
	}
	free(live);
}

static void test_other_packs(void **state)
{
	(void)state;
	/* questions only: briefing goes straight to the questions */
	static const char only_q[] = "format: 1\n"
	                             "id: only-q\n"
	                             "title: Q\n"
	                             "version: \"1\"\n"
	                             "summary: Questions only.\n"
	                             "questions:\n"
	                             "  - id: q1\n"
	                             "    topic: t\n"
	                             "    prompt: P\n"
	                             "    choices:\n"
	                             "      - {text: A, correct: true}\n"
	                             "      - {text: B}\n"
	                             "    explain: A.\n";
	world *w = world_new(only_q, 1);
	assert_false(engine_is_exam(w->e));
	assert_int_equal(engine_budget(w->e), -1);
	assert_int_equal(engine_remaining_ms(w->e), -1);
	OK(engine_begin(w->e));
	assert_int_equal(engine_stage(w->e), ENGINE_STAGE_QUESTIONS);
	OK(engine_finish(w->e));
	assert_int_equal(engine_total(w->e), 0);
	assert_int_equal(w->log.n, 2);
	teardown((void **)&w);

	/* the spec's example pack, played perfectly: 49 of 49 */
	const char *path = IPR_TEST_FIXTURES "/example-pack.yaml";
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	static char buf[65536];
	size_t len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	w = world_new(buf, 5);
	engine *e = w->e;
	const pack *p = w->p;
	size_t sea = 0, exp = 1;
	if (strcmp(p->shipments[0].id.text, "SEA-0417") != 0) {
		sea = 1;
		exp = 0;
	}
	OK(engine_begin(e));
	const char *flags[] = {"undervalued", "vague-description", "third-party-payment",
	                       "repeat-forwarder"};
	for (size_t k = 0; k < 4; k++)
		OK(engine_flag(e, sea, flags[k]));
	OK(engine_select(e, sea));
	REFUSED(w, ENGINE_E_BUDGET, engine_select(e, exp));
	char msg[128];
	assert_string_equal(engine_status_text(e, ENGINE_E_BUDGET, msg, sizeof(msg)),
	                    "The one examination is used: deselect the selected shipment first.");
	OK(engine_confirm(e));
	const engine_item_state *it = &engine_shipment(e, sea)->items[0];
	for (size_t f2 = 0; f2 < it->feature_count; f2++) {
		OK(engine_examine(e, sea, 0, f2));
		assert_non_null(it->features[f2].guide); /* linked to the brand guide */
		OK(engine_cite(e, sea, 0, f2));
	}
	OK(engine_verdict(e, sea, 0, PACK_VERDICT_COUNTERFEIT));
	OK(engine_act(e, sea, "detain"));
	OK(engine_end_examination(e));
	for (size_t q = 0; q < p->question_count; q++) {
		const engine_question_state *qs = engine_question(e, q);
		size_t pick[8], n = 0;
		for (size_t d = 0; d < qs->question->choice_count && n < 8; d++)
			if (qs->question->choices[qs->order[d]].correct.value)
				pick[n++] = d;
		OK(engine_answer(e, q, pick, n));
	}
	OK(engine_finish(e));
	engine_scores sc;
	engine_scores_get(e, &sc);
	assert_int_equal(sc.total, 49);
	assert_int_equal(sc.total_max, 49);
	assert_int_equal(log_sum(w), 49);
	teardown((void **)&w);
}

static void test_messages(void **state)
{
	world *w = *state;
	for (int k = 0; k < ENGINE_STATUS_COUNT; k++) {
		const char *m = engine_status_message((enum engine_status)k);
		assert_non_null(m);
		assert_true(strlen(m) > 3);
	}
	assert_string_equal(engine_status_message((enum engine_status)999), "Unknown error.");
	char buf[128];
	assert_string_equal(engine_status_text(NULL, ENGINE_E_BUDGET, buf, sizeof(buf)),
	                    engine_status_message(ENGINE_E_BUDGET));
	assert_string_equal(engine_status_text(w->e, ENGINE_E_STAGE, buf, sizeof(buf)),
	                    "That is not possible during briefing.");
	char tiny[8];
	engine_status_text(w->e, ENGINE_E_RECORD, tiny, sizeof(tiny));
	assert_int_equal(strlen(tiny), 7);
	assert_string_equal(engine_stage_name(ENGINE_STAGE_DEBRIEF), "debrief");
	assert_string_equal(engine_stage_name((enum engine_stage)77), "?");
	assert_string_equal(engine_part_name(ENGINE_PART_EVIDENCE), "evidence");
	size_t ni = 0, na = 0;
	const pack_indicator *const *inds = engine_indicators(w->e, &ni);
	const pack_action *const *acts = engine_actions(w->e, &na);
	assert_int_equal(ni, 17);
	assert_string_equal(inds[16]->id.text, "odd-box");
	assert_int_equal(na, 4);
	assert_string_equal(acts[3]->id.text, "refer");
	assert_null(engine_shipment(w->e, 3));
	assert_null(engine_question(w->e, 2));
	assert_ptr_equal(engine_pack(w->e), w->p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_perfect_run, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_records, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_decision_times, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sloppy_run, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_illegal_briefing_and_targeting, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_illegal_examination, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_illegal_questions_and_after, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sink_failure, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_shuffle_determinism, setup, teardown),
	        cmocka_unit_test(test_no_shuffle),
	        cmocka_unit_test_setup_teardown(test_time_limit, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_time_limit_tick, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_replay_sloppy_and_timeout, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_replay_bad_records, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_resume_anywhere, setup, teardown),
	        cmocka_unit_test(test_other_packs),
	        cmocka_unit_test_setup_teardown(test_messages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
