/* scoring.c - the spec's scoring table as pure functions, and the maximum
 * score computed with the same functions (see engine.h). */
#include <stdlib.h>
#include <string.h>

#include "ipr-drill/engine.h"

static bool str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* True when id already occurs among list[0..k): repeated ids count once. */
static bool seen_before(const char *const *list, size_t k, const char *id)
{
	for (size_t j = 0; j < k; j++)
		if (str_eq(list[j], id))
			return true;
	return false;
}

static bool holds_counterfeit(const pack_shipment *s)
{
	for (size_t i = 0; i < s->item_count; i++)
		if (s->contents[i].verdict == PACK_VERDICT_COUNTERFEIT)
			return true;
	return false;
}

static bool in_key(const pack_shipment *s, const char *id)
{
	for (size_t k = 0; k < s->indicator_count; k++)
		if (str_eq(s->indicators[k].key.text, id))
			return true;
	return false;
}

static bool in_evidence(const pack_item *it, const char *id)
{
	if (it->verdict != PACK_VERDICT_COUNTERFEIT)
		return false;
	for (size_t k = 0; k < it->evidence.count; k++)
		if (str_eq(it->evidence.items[k].text, id))
			return true;
	return false;
}

long long engine_score_targeting(const pack_scoring *sc, const pack_shipment *s, bool examined)
{
	bool fake = holds_counterfeit(s);
	if (examined)
		return fake ? sc->target_hit : sc->false_alarm;
	return fake ? sc->target_miss : sc->clear_release;
}

long long engine_score_indicators(const pack_scoring *sc, const pack_shipment *s,
                                  const char *const *flagged, size_t n)
{
	long long points = 0;
	for (size_t k = 0; k < n; k++) {
		if (!flagged[k] || seen_before(flagged, k, flagged[k]))
			continue;
		points += in_key(s, flagged[k]) ? sc->indicator_hit : sc->indicator_false;
	}
	return points;
}

long long engine_score_verdict(const pack_scoring *sc, const pack_item *it, enum pack_verdict v)
{
	if (v == PACK_VERDICT_NONE || it->verdict == PACK_VERDICT_NONE)
		return 0;
	if (v == it->verdict)
		return sc->verdict_correct;
	return it->verdict == PACK_VERDICT_COUNTERFEIT ? sc->verdict_missed_fake
	                                               : sc->verdict_false_fake;
}

long long engine_score_evidence(const pack_scoring *sc, const pack_item *it,
                                const char *const *cited, size_t n)
{
	long long points = 0;
	for (size_t k = 0; k < n; k++) {
		if (!cited[k] || seen_before(cited, k, cited[k]))
			continue;
		points += in_evidence(it, cited[k]) ? sc->evidence_hit : sc->evidence_false;
	}
	return points;
}

long long engine_score_action(const pack_scoring *sc, const pack_shipment *s, const char *action_id)
{
	return str_eq(action_id, s->action.text) ? sc->action_correct : 0;
}

long long engine_score_question(const pack_scoring *sc, const pack_question *q, const bool *chosen)
{
	if (!chosen)
		return 0;
	for (size_t k = 0; k < q->choice_count; k++)
		if (chosen[k] != q->choices[k].correct.value)
			return 0;
	return sc->question_correct;
}

/* ---- maximum ---- */

static long long pos(long long v)
{
	return v > 0 ? v : 0;
}

/* Number of distinct non-NULL ids in strs. */
static size_t distinct_strs(const pack_strs *l)
{
	size_t n = 0;
	for (size_t k = 0; k < l->count; k++) {
		bool dup = !l->items[k].text;
		for (size_t j = 0; j < k && !dup; j++)
			dup = str_eq(l->items[j].text, l->items[k].text);
		n += !dup;
	}
	return n;
}

static size_t distinct_key(const pack_shipment *s)
{
	size_t n = 0;
	for (size_t k = 0; k < s->indicator_count; k++) {
		bool dup = !s->indicators[k].key.text;
		for (size_t j = 0; j < k && !dup; j++)
			dup = str_eq(s->indicators[j].key.text, s->indicators[k].key.text);
		n += !dup;
	}
	return n;
}

/* Best points of one examined shipment, per part. */
static void best_examined(const pack_scoring *sc, const pack_shipment *s,
                          long long part[ENGINE_PART_COUNT])
{
	part[ENGINE_PART_TARGETING] += engine_score_targeting(sc, s, true);
	for (size_t i = 0; i < s->item_count; i++) {
		const pack_item *it = &s->contents[i];
		long long g = engine_score_verdict(sc, it, PACK_VERDICT_GENUINE);
		long long c = engine_score_verdict(sc, it, PACK_VERDICT_COUNTERFEIT);
		part[ENGINE_PART_VERDICTS] += g > c ? g : c;
		/* Only observed features can be cited. */
		size_t hits =
		        it->verdict == PACK_VERDICT_COUNTERFEIT ? distinct_strs(&it->evidence) : 0;
		size_t others = it->observed_count > hits ? it->observed_count - hits : 0;
		part[ENGINE_PART_EVIDENCE] += (long long)hits * pos(sc->evidence_hit) +
		                              (long long)others * pos(sc->evidence_false);
	}
	part[ENGINE_PART_ACTIONS] += pos(sc->action_correct);
}

typedef struct gain {
	long long gain;
	size_t index;
} gain;

static int gain_cmp(const void *a, const void *b)
{
	const gain *x = a, *y = b;
	if (x->gain != y->gain)
		return x->gain > y->gain ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_desc(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x > y ? -1 : x < y;
}

static long long sum_parts(const long long part[ENGINE_PART_COUNT])
{
	long long t = 0;
	for (int k = 0; k < ENGINE_PART_COUNT; k++)
		t += part[k];
	return t;
}

/* The most one part can score, examining the shipments that gain most for
 * that part alone within the budget.  Falls back to the part's score with
 * nothing examined should memory run out. */
static long long part_alone_max(const pack *p, enum engine_part part)
{
	const pack_scoring *sc = &p->scoring;
	long long base = 0;
	long long *gains_of =
	        p->shipment_count ? calloc(p->shipment_count, sizeof(*gains_of)) : NULL;
	size_t n = 0;

	for (size_t s = 0; s < p->shipment_count; s++) {
		const pack_shipment *sh = &p->shipments[s];
		long long ex[ENGINE_PART_COUNT] = {0};
		long long not_examined =
		        part == ENGINE_PART_TARGETING ? engine_score_targeting(sc, sh, false) : 0;
		best_examined(sc, sh, ex);
		base += not_examined;
		if (gains_of && ex[part] > not_examined)
			gains_of[n++] = ex[part] - not_examined;
	}
	if (gains_of)
		qsort(gains_of, n, sizeof(*gains_of), cmp_desc);
	long long budget = p->settings.inspections;
	size_t take = budget >= 0 && (unsigned long long)budget < n ? (size_t)budget : n;
	for (size_t k = 0; k < take && gains_of; k++)
		base += gains_of[k];
	free(gains_of);
	return base;
}

long long engine_max_score(const pack *p, engine_scores *out)
{
	engine_scores local;
	if (!out)
		out = &local;
	memset(out, 0, sizeof(*out));
	if (!p)
		return 0;
	const pack_scoring *sc = &p->scoring;
	size_t builtin_count = 0;
	(void)pack_builtin_indicators(&builtin_count);
	size_t catalogue = builtin_count + p->indicator_count;

	gain *gains = NULL;
	if (p->shipment_count > 0)
		gains = calloc(p->shipment_count, sizeof(*gains));
	size_t n_gain = 0;
	for (size_t s = 0; s < p->shipment_count; s++) {
		const pack_shipment *sh = &p->shipments[s];
		size_t key = distinct_key(sh);
		size_t wrong = catalogue > key ? catalogue - key : 0;
		out->max[ENGINE_PART_INDICATORS] += (long long)key * pos(sc->indicator_hit) +
		                                    (long long)wrong * pos(sc->indicator_false);
		long long ex[ENGINE_PART_COUNT] = {0};
		best_examined(sc, sh, ex);
		long long g = sum_parts(ex) - engine_score_targeting(sc, sh, false);
		if (gains && g > 0)
			gains[n_gain++] = (gain){g, s};
	}
	/* Examine the shipments that gain most, within the budget.  Should
	 * memory run out for the ranking, no examination is counted: a lower
	 * bound rather than a crash (tiny allocations; practically never). */
	if (gains)
		qsort(gains, n_gain, sizeof(*gains), gain_cmp);
	long long budget = p->settings.inspections;
	size_t take = n_gain;
	if (budget >= 0 && (unsigned long long)budget < take)
		take = (size_t)budget;
	bool *examine = p->shipment_count ? calloc(p->shipment_count, sizeof(bool)) : NULL;
	for (size_t k = 0; k < take && examine; k++)
		examine[gains[k].index] = true;
	for (size_t s = 0; s < p->shipment_count; s++) {
		const pack_shipment *sh = &p->shipments[s];
		if (examine && examine[s])
			best_examined(sc, sh, out->max);
		else
			out->max[ENGINE_PART_TARGETING] += engine_score_targeting(sc, sh, false);
	}
	free(examine);
	free(gains);
	out->max[ENGINE_PART_QUESTIONS] = (long long)p->question_count * pos(sc->question_correct);
	out->total_max = sum_parts(out->max);
	/* The plan above is the best whole exercise.  It may give up points of
	 * one part for more in another (examining a clean shipment costs a
	 * false alarm but earns verdict points), so each examination-dependent
	 * part's maximum is what that part alone can reach within the budget:
	 * no trainee can score above it in that part. */
	static const enum engine_part alone[] = {ENGINE_PART_TARGETING, ENGINE_PART_VERDICTS,
	                                         ENGINE_PART_EVIDENCE, ENGINE_PART_ACTIONS};
	for (size_t k = 0; k < sizeof(alone) / sizeof(alone[0]); k++)
		out->max[alone[k]] = part_alone_max(p, alone[k]);
	return out->total_max;
}
