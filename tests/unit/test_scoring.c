/* test_scoring.c - every rule of the scoring table as a pure function, the
 * pack's overrides, and the maximum score (hand-built packs and the spec's
 * example pack). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipr-drill/engine.h"

static const pack_scoring defaults = {
        .target_hit = 10,
        .target_miss = -10,
        .false_alarm = -3,
        .clear_release = 0,
        .indicator_hit = 2,
        .indicator_false = -1,
        .verdict_correct = 10,
        .verdict_missed_fake = -10,
        .verdict_false_fake = -5,
        .evidence_hit = 2,
        .evidence_false = -1,
        .action_correct = 5,
        .question_correct = 5,
};

#define S(t)                                                                                       \
	{                                                                                          \
		t,                                                                                 \
		{                                                                                  \
			0                                                                          \
		}                                                                                  \
	}

static const pack_keyed_text obs_fake[] = {
        {S("caseback"), S("printed")},
        {S("crown"), S("flat")},
        {S("papers"), S("none")},
};
static const pack_str ev_fake[] = {S("caseback"), S("crown")};
static const pack_keyed_text obs_real[] = {
        {S("blister"), S("embossed")},
        {S("carton"), S("braille")},
};

static const pack_item fake_item = {
        .quantity = {600, true, {0}},
        .observed = obs_fake,
        .observed_count = 3,
        .verdict = PACK_VERDICT_COUNTERFEIT,
        .evidence = {ev_fake, 2, {0}},
};
static const pack_item real_item = {
        .quantity = {40, true, {0}},
        .observed = obs_real,
        .observed_count = 2,
        .verdict = PACK_VERDICT_GENUINE,
};

static const pack_keyed_text key_fake[] = {
        {S("undervalued"), S("cheap")},
        {S("vague-description"), S("gifts")},
};

static const pack_item fake_contents[] = {fake_item, real_item};
static const pack_item real_contents[] = {real_item};

static const pack_shipment fake_ship = {
        .id = S("SEA-1"),
        .indicators = key_fake,
        .indicator_count = 2,
        .contents = fake_contents,
        .item_count = 2,
        .action = S("detain"),
};
static const pack_shipment real_ship = {
        .id = S("EXP-1"),
        .contents = real_contents,
        .item_count = 1,
        .action = S("release"),
};

static const pack_choice single_choices[] = {
        {S("a"), {false, true, {0}}, {0}},
        {S("b"), {true, true, {0}}, {0}},
        {S("c"), {false, false, {0}}, {0}},
};
static const pack_choice multi_choices[] = {
        {S("a"), {true, true, {0}}, {0}},
        {S("b"), {false, true, {0}}, {0}},
        {S("c"), {true, true, {0}}, {0}},
};
static const pack_question single_q = {.id = S("q1"), .choices = single_choices, .choice_count = 3};
static const pack_question multi_q = {.id = S("q2"), .choices = multi_choices, .choice_count = 3};

static void test_targeting(void **state)
{
	(void)state;
	assert_int_equal(engine_score_targeting(&defaults, &fake_ship, true), 10);
	assert_int_equal(engine_score_targeting(&defaults, &fake_ship, false), -10);
	assert_int_equal(engine_score_targeting(&defaults, &real_ship, true), -3);
	assert_int_equal(engine_score_targeting(&defaults, &real_ship, false), 0);
}

static void test_indicators(void **state)
{
	(void)state;
	const char *none[1] = {NULL};
	const char *hit[] = {"undervalued"};
	const char *both[] = {"undervalued", "vague-description"};
	const char *mixed[] = {"undervalued", "new-trader", "known-offender"};
	const char *dup[] = {"undervalued", "undervalued", NULL, "new-trader", "new-trader"};
	assert_int_equal(engine_score_indicators(&defaults, &fake_ship, none, 0), 0);
	assert_int_equal(engine_score_indicators(&defaults, &fake_ship, none, 1), 0);
	assert_int_equal(engine_score_indicators(&defaults, &fake_ship, hit, 1), 2);
	assert_int_equal(engine_score_indicators(&defaults, &fake_ship, both, 2), 4);
	assert_int_equal(engine_score_indicators(&defaults, &fake_ship, mixed, 3), 2 - 1 - 1);
	/* a repeated id counts once; NULL entries are ignored */
	assert_int_equal(engine_score_indicators(&defaults, &fake_ship, dup, 5), 2 - 1);
	/* a shipment with an empty key: every flag is false */
	assert_int_equal(engine_score_indicators(&defaults, &real_ship, both, 2), -2);
}

static void test_verdicts(void **state)
{
	(void)state;
	assert_int_equal(engine_score_verdict(&defaults, &fake_item, PACK_VERDICT_COUNTERFEIT), 10);
	assert_int_equal(engine_score_verdict(&defaults, &fake_item, PACK_VERDICT_GENUINE), -10);
	assert_int_equal(engine_score_verdict(&defaults, &real_item, PACK_VERDICT_GENUINE), 10);
	assert_int_equal(engine_score_verdict(&defaults, &real_item, PACK_VERDICT_COUNTERFEIT), -5);
	assert_int_equal(engine_score_verdict(&defaults, &real_item, PACK_VERDICT_NONE), 0);
	assert_int_equal(engine_score_verdict(&defaults, &fake_item, PACK_VERDICT_NONE), 0);
}

static void test_evidence(void **state)
{
	(void)state;
	const char *key[] = {"caseback", "crown"};
	const char *wrong[] = {"papers"};
	const char *mixed[] = {"caseback", "papers", "caseback"};
	const char *on_real[] = {"blister", "carton"};
	assert_int_equal(engine_score_evidence(&defaults, &fake_item, key, 0), 0);
	assert_int_equal(engine_score_evidence(&defaults, &fake_item, key, 2), 4);
	assert_int_equal(engine_score_evidence(&defaults, &fake_item, wrong, 1), -1);
	assert_int_equal(engine_score_evidence(&defaults, &fake_item, mixed, 3), 2 - 1);
	/* evidence_false applies on genuine items too; no hit is possible */
	assert_int_equal(engine_score_evidence(&defaults, &real_item, on_real, 2), -2);
	/* a genuine item whose evidence list is (wrongly) filled still earns no hit */
	pack_item odd = real_item;
	odd.evidence = (pack_strs){ev_fake, 2, {0}};
	assert_int_equal(engine_score_evidence(&defaults, &odd, key, 2), -2);
}

static void test_actions(void **state)
{
	(void)state;
	assert_int_equal(engine_score_action(&defaults, &fake_ship, "detain"), 5);
	assert_int_equal(engine_score_action(&defaults, &fake_ship, "release"), 0);
	assert_int_equal(engine_score_action(&defaults, &fake_ship, NULL), 0);
	assert_int_equal(engine_score_action(&defaults, &real_ship, "release"), 5);
	assert_int_equal(engine_score_action(&defaults, &real_ship, "de-minimis"), 0);
}

static void test_questions(void **state)
{
	(void)state;
	bool right[] = {false, true, false};
	bool wrong[] = {true, false, false};
	bool extra[] = {false, true, true};
	bool nothing[] = {false, false, false};
	assert_int_equal(engine_score_question(&defaults, &single_q, right), 5);
	assert_int_equal(engine_score_question(&defaults, &single_q, wrong), 0);
	assert_int_equal(engine_score_question(&defaults, &single_q, extra), 0);
	assert_int_equal(engine_score_question(&defaults, &single_q, nothing), 0);
	assert_int_equal(engine_score_question(&defaults, &single_q, NULL), 0);
	bool all[] = {true, false, true};
	bool part[] = {true, false, false};
	bool over[] = {true, true, true};
	assert_int_equal(engine_score_question(&defaults, &multi_q, all), 5);
	assert_int_equal(engine_score_question(&defaults, &multi_q, part), 0);
	assert_int_equal(engine_score_question(&defaults, &multi_q, over), 0);
}

/* Every rule follows the table it is given, not the defaults. */
static void test_overrides(void **state)
{
	(void)state;
	pack_scoring sc = {
	        .target_hit = 21,
	        .target_miss = -22,
	        .false_alarm = -23,
	        .clear_release = 24,
	        .indicator_hit = 25,
	        .indicator_false = -26,
	        .verdict_correct = 27,
	        .verdict_missed_fake = -28,
	        .verdict_false_fake = -29,
	        .evidence_hit = 30,
	        .evidence_false = -31,
	        .action_correct = 32,
	        .question_correct = 33,
	};
	const char *flags[] = {"undervalued", "known-offender"};
	const char *cites[] = {"caseback", "papers"};
	bool right[] = {false, true, false};
	assert_int_equal(engine_score_targeting(&sc, &fake_ship, true), 21);
	assert_int_equal(engine_score_targeting(&sc, &fake_ship, false), -22);
	assert_int_equal(engine_score_targeting(&sc, &real_ship, true), -23);
	assert_int_equal(engine_score_targeting(&sc, &real_ship, false), 24);
	assert_int_equal(engine_score_indicators(&sc, &fake_ship, flags, 2), 25 - 26);
	assert_int_equal(engine_score_verdict(&sc, &fake_item, PACK_VERDICT_COUNTERFEIT), 27);
	assert_int_equal(engine_score_verdict(&sc, &fake_item, PACK_VERDICT_GENUINE), -28);
	assert_int_equal(engine_score_verdict(&sc, &real_item, PACK_VERDICT_COUNTERFEIT), -29);
	assert_int_equal(engine_score_evidence(&sc, &fake_item, cites, 2), 30 - 31);
	assert_int_equal(engine_score_action(&sc, &fake_ship, "detain"), 32);
	assert_int_equal(engine_score_question(&sc, &single_q, right), 33);
}

/* A hand-built pack: the spec's example in miniature. */
static pack make_pack(long long inspections, const pack_shipment *ships, size_t n)
{
	pack p;
	memset(&p, 0, sizeof(p));
	p.settings.inspections = inspections;
	p.scoring = defaults;
	p.shipments = ships;
	p.shipment_count = n;
	p.questions = &single_q;
	p.question_count = 1;
	return p;
}

static void test_max_hand_built(void **state)
{
	(void)state;
	size_t builtin = 0;
	(void)pack_builtin_indicators(&builtin);
	assert_int_equal(builtin, 16);
	const pack_shipment ships[] = {fake_ship, real_ship};
	engine_scores m;

	/* budget 1: examine the counterfeit shipment (gain 10+10+10+4+5+10 =
	 * 49 over -10), leave the clean one (0) */
	pack p = make_pack(1, ships, 2);
	long long total = engine_max_score(&p, &m);
	assert_int_equal(m.max[ENGINE_PART_TARGETING], 10);
	assert_int_equal(m.max[ENGINE_PART_INDICATORS], 4);
	assert_int_equal(m.max[ENGINE_PART_VERDICTS], 20);
	assert_int_equal(m.max[ENGINE_PART_EVIDENCE], 4);
	assert_int_equal(m.max[ENGINE_PART_ACTIONS], 5);
	assert_int_equal(m.max[ENGINE_PART_QUESTIONS], 5);
	assert_int_equal(total, 48);
	assert_int_equal(m.total_max, 48);
	assert_int_equal(m.total, 0);

	/* no limit: examining the clean one gains -3 + 10 + 5 = 12, so the best
	 * exercise examines both; targeting alone is best examining only the
	 * counterfeit one */
	p = make_pack(-1, ships, 2);
	assert_int_equal(engine_max_score(&p, &m), 60);
	assert_int_equal(m.max[ENGINE_PART_TARGETING], 10);
	assert_int_equal(m.max[ENGINE_PART_ACTIONS], 10);

	/* budget 0: nothing examined, the counterfeit shipment is missed */
	p = make_pack(0, ships, 2);
	assert_int_equal(engine_max_score(&p, &m), -10 + 4 + 5);
	assert_int_equal(m.max[ENGINE_PART_VERDICTS], 0);

	/* budget 1, clean shipment listed first: the ranking still picks the
	 * counterfeit one */
	const pack_shipment rev[] = {real_ship, fake_ship};
	p = make_pack(1, rev, 2);
	assert_int_equal(engine_max_score(&p, &m), 48);

	/* a heavy false alarm makes examining the clean shipment a loss */
	p = make_pack(-1, ships, 2);
	p.scoring.false_alarm = -20;
	assert_int_equal(engine_max_score(&p, &m), 48);

	/* positive "false" points would be collected on every other entry */
	p = make_pack(1, ships, 2);
	p.scoring.indicator_false = 1;
	p.scoring.evidence_false = 1;
	/* 16 builtins - 2 keyed = 14 more flags on the first shipment, 16 on
	 * the second; papers on the fake item and both features of the genuine
	 * item of the examined shipment = 3 more citations */
	assert_int_equal(engine_max_score(&p, &m), 48 + 14 + 16 + 3);

	assert_int_equal(engine_max_score(NULL, &m), 0);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* The spec's example pack: indicators 4 x 2 = 8; SEA-0417 examined (10 +
 * verdict 10 + evidence 3 x 2 + detain 5); EXP-2291 released unexamined
 * (0); two questions x 5.  Total 49. */
static void test_max_example_pack(void **state)
{
	(void)state;
	const char *path = IPR_TEST_FIXTURES "/example-pack.yaml";
	size_t len = 0;
	char *data = read_all(path, &len);
	if (!data)
		fail_msg("cannot read %s", path);
	pack_diags diags;
	pack_diags_init(&diags);
	pack *p = pack_load_buffer(data, len, "example-pack.yaml", NULL, NULL, &diags);
	if (!p)
		pack_diags_print(&diags, stdout, false);
	assert_non_null(p);
	engine_scores m;
	assert_int_equal(engine_max_score(p, &m), 49);
	assert_int_equal(m.max[ENGINE_PART_TARGETING], 10);
	assert_int_equal(m.max[ENGINE_PART_INDICATORS], 8);
	assert_int_equal(m.max[ENGINE_PART_VERDICTS], 10);
	assert_int_equal(m.max[ENGINE_PART_EVIDENCE], 6);
	assert_int_equal(m.max[ENGINE_PART_ACTIONS], 5);
	assert_int_equal(m.max[ENGINE_PART_QUESTIONS], 10);
	pack_free(p);
	pack_diags_free(&diags);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_targeting),        cmocka_unit_test(test_indicators),
	        cmocka_unit_test(test_verdicts),         cmocka_unit_test(test_evidence),
	        cmocka_unit_test(test_actions),          cmocka_unit_test(test_questions),
	        cmocka_unit_test(test_overrides),        cmocka_unit_test(test_max_hand_built),
	        cmocka_unit_test(test_max_example_pack),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
