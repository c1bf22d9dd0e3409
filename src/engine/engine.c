/* engine.c - the exercise state machine (see engine.h).
 *
 * Every command follows the same shape so that a refused command or a
 * failed recording leaves the state untouched: check (no change), build the
 * records and decisions of the command in a pending batch (allocations
 * only), hand the batch to the sink, and only then apply the change, which
 * cannot fail. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipr-drill/engine.h"
#include "ipr-drill/text.h"

#define NO_PART (-1)

/* A pending record's or decision's text: owned strings are freed with the
 * batch (records) or with the engine (decisions). */
typedef struct pend_rec {
	engine_record rec;
	char *owned_raw;
} pend_rec;

/* Shipment ids sorted, for looking up stored records on replay. */
typedef struct ship_key {
	const char *id;
	size_t index;
} ship_key;

typedef struct dec_slot {
	engine_decision d;
	char *owned_given, *owned_key;
} dec_slot;

struct engine {
	const pack *p;
	uint64_t seed;
	bool exam;
	engine_clock clock;
	void *clock_ctx;
	engine_sink sink;
	void *sink_ctx;

	enum engine_stage stage;
	bool targeting_settled;
	bool timed_out;
	int64_t used_ms;  /* active time accounted up to the last decision */
	int64_t mark_ms;  /* clock at the last decision (or creation, resume) */
	int64_t limit_ms; /* 0: no limit */

	/* the command being built */
	bool replaying;
	int64_t replay_ms;
	int64_t cmd_now, cmd_dt;
	pend_rec *pend;
	size_t pend_n, pend_cap;
	dec_slot *pdec;
	size_t pdec_n, pdec_cap;
	bool pend_oom;
	engine_record *batch; /* contiguous copy handed to the sink */
	size_t batch_cap;

	/* catalogues */
	const pack_indicator **inds;
	size_t ind_count;
	const pack_action **acts;
	size_t act_count;

	/* per shipment / item / feature / question */
	size_t *ship_order;
	ship_key *ship_by_id;
	engine_shipment_state *ships;
	bool *flag_store;  /* ship_count * ind_count */
	size_t *item_base; /* first item_store index of each shipment */
	engine_item_state *item_store;
	size_t item_total;
	size_t *feat_base; /* first feat_store index of each item */
	engine_feature_state *feat_store;
	size_t feat_total;
	engine_question_state *qs;
	size_t *choice_store;
	bool *chosen_store;
	const char **tmp_ids; /* scratch for joining/scoring id lists */
	size_t tmp_cap;

	size_t budget_used;
	long long part_score[ENGINE_PART_COUNT];
	engine_scores max;

	engine_decision *decs;
	unsigned char *dec_own; /* bit 0: given owned, bit 1: key owned */
	size_t dec_n, dec_cap;
};

/* ---- small helpers ---- */

static const char *const stage_names[ENGINE_STAGE_COUNT] = {"briefing", "targeting", "examination",
                                                            "questions", "debrief"};
static const char *const part_names[ENGINE_PART_COUNT] = {"targeting", "indicators", "verdicts",
                                                          "evidence",  "actions",    "questions"};

const char *engine_stage_name(enum engine_stage stage)
{
	return (unsigned)stage < ENGINE_STAGE_COUNT ? stage_names[stage] : "?";
}

const char *engine_part_name(enum engine_part part)
{
	return (unsigned)part < ENGINE_PART_COUNT ? part_names[part] : "?";
}

static bool str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Joins n strings with sep; "(none)" when n == 0.  NULL on no memory. */
static char *join(const char *const *items, size_t n, const char *sep)
{
	if (n == 0)
		return text_printf("(none)");
	size_t len = 1, seplen = strlen(sep);
	for (size_t k = 0; k < n; k++) {
		size_t add = strlen(items[k]) + (k ? seplen : 0);
		if (len > SIZE_MAX - add)
			return NULL;
		len += add;
	}
	char *s = malloc(len), *w = s;
	if (!s)
		return NULL;
	for (size_t k = 0; k < n; k++) {
		if (k) {
			memcpy(w, sep, seplen);
			w += seplen;
		}
		size_t l = strlen(items[k]);
		memcpy(w, items[k], l);
		w += l;
	}
	*w = '\0';
	return s;
}

/* Joins 0- or 1-based indexes of the true entries of set[n]. */
static char *join_indexes(const bool *set, size_t n, int base, const char *sep)
{
	size_t cap = 1, len = 0;
	for (size_t k = 0; k < n; k++)
		if (set[k])
			cap += 24;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		if (!set[k])
			continue;
		int w = snprintf(s + len, cap - len, "%s%zu", len ? sep : "", k + (size_t)base);
		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
	}
	return s;
}

static void *grow(void *ptr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return ptr;
	size_t n = *cap ? *cap : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return NULL;
		n *= 2;
	}
	if (n > SIZE_MAX / elem)
		return NULL;
	void *p = realloc(ptr, n * elem);
	if (p)
		*cap = n;
	return p;
}

/* ---- deterministic shuffling: splitmix64 seeds xoshiro256** ---- */

typedef struct rng {
	uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, bound) without modulo bias. */
static uint64_t rng_below(rng *r, uint64_t bound)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
	uint64_t x;
	do
		x = rng_next(r);
	while (x >= limit);
	return x % bound;
}

static void identity(size_t *order, size_t n)
{
	for (size_t k = 0; k < n; k++)
		order[k] = k;
}

static void shuffle(rng *r, size_t *order, size_t n)
{
	for (size_t k = n; k > 1; k--) {
		size_t j = (size_t)rng_below(r, k);
		size_t t = order[k - 1];
		order[k - 1] = order[j];
		order[j] = t;
	}
}

/* ---- clock ---- */

static int64_t monotonic_ms(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t now_ms(const engine *e)
{
	return e->clock(e->clock_ctx);
}

/* ---- creation ---- */

static int ship_id_cmp(const void *a, const void *b)
{
	const ship_key *x = a, *y = b;
	return strcmp(x->id, y->id);
}

static void *alloc_array(size_t n, size_t elem, bool *ok)
{
	if (n == 0)
		return NULL;
	void *p = calloc(n, elem);
	if (!p)
		*ok = false;
	return p;
}

static bool holds_counterfeit(const pack_shipment *s)
{
	for (size_t i = 0; i < s->item_count; i++)
		if (s->contents[i].verdict == PACK_VERDICT_COUNTERFEIT)
			return true;
	return false;
}

static bool build_catalogues(engine *e)
{
	const pack *p = e->p;
	bool ok = true;
	size_t nb = 0, na = 0;
	const pack_indicator *bi = pack_builtin_indicators(&nb);
	const pack_action *ba = pack_builtin_actions(&na);
	e->ind_count = nb + p->indicator_count;
	e->act_count = na + p->action_count;
	e->inds = alloc_array(e->ind_count, sizeof(*e->inds), &ok);
	e->acts = alloc_array(e->act_count, sizeof(*e->acts), &ok);
	if (!ok)
		return false;
	for (size_t k = 0; k < nb; k++)
		e->inds[k] = &bi[k];
	for (size_t k = 0; k < p->indicator_count; k++)
		e->inds[nb + k] = &p->indicators[k];
	for (size_t k = 0; k < na; k++)
		e->acts[k] = &ba[k];
	for (size_t k = 0; k < p->action_count; k++)
		e->acts[na + k] = &p->actions[k];
	return true;
}

static bool build_shipments(engine *e)
{
	const pack *p = e->p;
	bool ok = true;
	size_t n = p->shipment_count;
	size_t max_feat = 0;
	e->item_total = 0;
	e->feat_total = 0;
	for (size_t s = 0; s < n; s++) {
		const pack_shipment *sh = &p->shipments[s];
		if (e->item_total > SIZE_MAX - sh->item_count)
			return false;
		e->item_total += sh->item_count;
		for (size_t i = 0; i < sh->item_count; i++) {
			size_t oc = sh->contents[i].observed_count;
			if (e->feat_total > SIZE_MAX - oc)
				return false;
			e->feat_total += oc;
			if (oc > max_feat)
				max_feat = oc;
		}
	}
	if (e->ind_count && n > SIZE_MAX / e->ind_count)
		return false;
	e->ships = alloc_array(n, sizeof(*e->ships), &ok);
	e->ship_order = alloc_array(n, sizeof(size_t), &ok);
	e->ship_by_id = alloc_array(n, sizeof(*e->ship_by_id), &ok);
	e->item_base = alloc_array(n, sizeof(size_t), &ok);
	e->flag_store = alloc_array(n * e->ind_count, sizeof(bool), &ok);
	e->item_store = alloc_array(e->item_total, sizeof(*e->item_store), &ok);
	e->feat_base = alloc_array(e->item_total, sizeof(size_t), &ok);
	e->feat_store = alloc_array(e->feat_total, sizeof(*e->feat_store), &ok);
	e->tmp_cap = max_feat > e->ind_count ? max_feat : e->ind_count;
	e->tmp_ids = alloc_array(e->tmp_cap, sizeof(*e->tmp_ids), &ok);
	if (!ok)
		return false;
	size_t ib = 0, fb = 0;
	for (size_t s = 0; s < n; s++) {
		const pack_shipment *sh = &p->shipments[s];
		engine_shipment_state *st = &e->ships[s];
		st->shipment = sh;
		st->flagged = e->ind_count ? &e->flag_store[s * e->ind_count] : NULL;
		st->items = sh->item_count ? &e->item_store[ib] : NULL;
		st->holds_counterfeit = holds_counterfeit(sh);
		e->item_base[s] = ib;
		for (size_t i = 0; i < sh->item_count; i++, ib++) {
			const pack_item *it = &sh->contents[i];
			engine_item_state *is = &e->item_store[ib];
			is->item = it;
			is->features = it->observed_count ? &e->feat_store[fb] : NULL;
			is->feature_count = it->observed_count;
			e->feat_base[ib] = fb;
			for (size_t f = 0; f < it->observed_count; f++, fb++) {
				engine_feature_state *fs = &e->feat_store[fb];
				fs->observed = &it->observed[f];
				fs->guide = it->product_ref
				                    ? pack_find_feature(it->product_ref,
				                                        it->observed[f].key.text)
				                    : NULL;
			}
		}
		e->ship_by_id[s] = (ship_key){sh->id.text ? sh->id.text : "", s};
	}
	if (n > 1)
		qsort(e->ship_by_id, n, sizeof(*e->ship_by_id), ship_id_cmp);
	return true;
}

static bool build_questions(engine *e)
{
	const pack *p = e->p;
	bool ok = true;
	size_t total = 0;
	for (size_t q = 0; q < p->question_count; q++) {
		if (total > SIZE_MAX - p->questions[q].choice_count)
			return false;
		total += p->questions[q].choice_count;
	}
	e->qs = alloc_array(p->question_count, sizeof(*e->qs), &ok);
	e->choice_store = alloc_array(total, sizeof(size_t), &ok);
	e->chosen_store = alloc_array(total, sizeof(bool), &ok);
	if (!ok)
		return false;
	size_t base = 0;
	for (size_t q = 0; q < p->question_count; q++) {
		engine_question_state *qs = &e->qs[q];
		qs->question = &p->questions[q];
		qs->order = &e->choice_store[base];
		qs->chosen = &e->chosen_store[base];
		base += p->questions[q].choice_count;
	}
	return true;
}

/* Shipments first, then each question's choices in pack order, so a seed
 * gives the same orders everywhere. */
static void build_orders(engine *e)
{
	const pack *p = e->p;
	uint64_t x = e->seed;
	rng r;
	for (int k = 0; k < 4; k++)
		r.s[k] = splitmix64(&x);
	identity(e->ship_order, p->shipment_count);
	if (p->settings.shuffle)
		shuffle(&r, e->ship_order, p->shipment_count);
	for (size_t q = 0; q < p->question_count; q++) {
		size_t *order = (size_t *)e->qs[q].order;
		identity(order, p->questions[q].choice_count);
		if (p->settings.shuffle)
			shuffle(&r, order, p->questions[q].choice_count);
	}
}

engine *engine_new(const pack *p, const engine_options *opts)
{
	if (!p || p->is_library)
		return NULL;
	engine *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	engine_options none = {0};
	if (!opts)
		opts = &none;
	e->p = p;
	e->seed = opts->seed;
	e->exam = opts->mode == ENGINE_MODE_EXAM ||
	          (opts->mode == ENGINE_MODE_FROM_PACK && p->settings.mode == PACK_EXAM);
	e->clock = opts->clock ? opts->clock : monotonic_ms;
	e->clock_ctx = opts->clock ? opts->clock_ctx : NULL;
	e->sink = opts->sink;
	e->sink_ctx = opts->sink_ctx;
	e->stage = ENGINE_STAGE_BRIEFING;
	long long minutes = p->settings.time_limit_minutes;
	e->limit_ms = minutes > 0 && minutes < INT64_MAX / 60000 ? minutes * 60000 : 0;
	if (!build_catalogues(e) || !build_shipments(e) || !build_questions(e)) {
		engine_free(e);
		return NULL;
	}
	build_orders(e);
	engine_max_score(p, &e->max);
	e->mark_ms = now_ms(e);
	return e;
}

void engine_free(engine *e)
{
	if (!e)
		return;
	for (size_t k = 0; k < e->dec_n; k++) {
		if (e->dec_own[k] & 1)
			free((char *)e->decs[k].given);
		if (e->dec_own[k] & 2)
			free((char *)e->decs[k].key);
	}
	free(e->decs);
	free(e->dec_own);
	free(e->pend);
	free(e->pdec);
	free(e->batch);
	free(e->inds);
	free(e->acts);
	free(e->ship_order);
	free(e->ship_by_id);
	free(e->ships);
	free(e->flag_store);
	free(e->item_base);
	free(e->item_store);
	free(e->feat_base);
	free(e->feat_store);
	free(e->qs);
	free(e->choice_store);
	free(e->chosen_store);
	free(e->tmp_ids);
	free(e);
}

void engine_set_sink(engine *e, engine_sink sink, void *ctx)
{
	if (!e)
		return;
	e->sink = sink;
	e->sink_ctx = ctx;
}

/* ---- mutable views of the state ---- */

static engine_item_state *item_mut(engine *e, size_t s, size_t i)
{
	return &e->item_store[e->item_base[s] + i];
}

static engine_feature_state *feat_mut(engine *e, size_t s, size_t i, size_t f)
{
	return &e->feat_store[e->feat_base[e->item_base[s] + i] + f];
}

static bool *flag_mut(engine *e, size_t s, size_t k)
{
	return &e->flag_store[s * e->ind_count + k];
}

/* ---- the pending batch ---- */

static void pend_clear(engine *e, bool keep_decisions)
{
	for (size_t k = 0; k < e->pend_n; k++)
		free(e->pend[k].owned_raw);
	e->pend_n = 0;
	if (!keep_decisions)
		for (size_t k = 0; k < e->pdec_n; k++) {
			free(e->pdec[k].owned_given);
			free(e->pdec[k].owned_key);
		}
	e->pdec_n = 0;
	e->pend_oom = false;
}

/* Starts a command: measures the time since the previous decision. */
static void cmd_begin(engine *e)
{
	pend_clear(e, false);
	e->cmd_now = now_ms(e);
	if (e->replaying) {
		e->cmd_dt = e->replay_ms > 0 ? e->replay_ms : 0;
	} else {
		int64_t dt = e->cmd_now - e->mark_ms;
		e->cmd_dt = dt > 0 ? dt : 0;
	}
}

/* Adds a record whose raw text is either raw_static (a literal) or
 * raw_owned (malloc'd, taken over); both NULL means memory ran out. */
static void pend_add(engine *e, const char *raw_static, char *raw_owned, int part, long s, int item,
                     long q, long long points)
{
	if (!raw_static && !raw_owned) {
		e->pend_oom = true;
		return;
	}
	pend_rec *pr = grow(e->pend, &e->pend_cap, e->pend_n + 1, sizeof(*e->pend));
	if (!pr) {
		free(raw_owned);
		e->pend_oom = true;
		return;
	}
	e->pend = pr;
	pr = &e->pend[e->pend_n++];
	memset(pr, 0, sizeof(*pr));
	pr->owned_raw = raw_owned;
	pr->rec.stage = engine_stage_name(e->stage);
	pr->rec.part = part == NO_PART ? NULL : engine_part_name((enum engine_part)part);
	pr->rec.shipment_id = s >= 0 ? e->p->shipments[s].id.text : NULL;
	pr->rec.item = item;
	pr->rec.question_id = q >= 0 ? e->p->questions[q].id.text : NULL;
	pr->rec.raw = raw_owned ? raw_owned : raw_static;
	pr->rec.points = points;
}

/* Adds a decision; given/key are malloc'd (taken over; NULL: no memory). */
static void pend_decision(engine *e, enum engine_part part, long s, long item, long q, char *given,
                          char *key, const char *explain, long long points, bool correct)
{
	dec_slot *d = grow(e->pdec, &e->pdec_cap, e->pdec_n + 1, sizeof(*e->pdec));
	if (!d || !given || !key) {
		free(given);
		free(key);
		e->pend_oom = true;
		return;
	}
	e->pdec = d;
	d = &e->pdec[e->pdec_n++];
	memset(d, 0, sizeof(*d));
	d->owned_given = given;
	d->owned_key = key;
	d->d.part = part;
	d->d.shipment = s;
	d->d.item = item;
	d->d.question = q;
	d->d.given = given;
	d->d.key = key;
	d->d.explain = explain;
	d->d.points = points;
	d->d.correct = correct;
}

/* Hands the batch to the sink; on success the decisions join the engine's
 * list and the caller applies its change.  On failure nothing changed. */
static enum engine_status cmd_commit(engine *e)
{
	if (e->pend_oom || e->pend_n == 0) {
		pend_clear(e, false);
		return ENGINE_E_NOMEM;
	}
	size_t need = e->dec_n + e->pdec_n;
	if (need > e->dec_cap) {
		size_t old_cap = e->dec_cap;
		engine_decision *d = grow(e->decs, &e->dec_cap, need, sizeof(*e->decs));
		if (!d) {
			pend_clear(e, false);
			return ENGINE_E_NOMEM;
		}
		e->decs = d;
		unsigned char *own = realloc(e->dec_own, e->dec_cap);
		if (!own) {
			/* keep dec_cap describing both arrays */
			e->dec_cap = old_cap;
			pend_clear(e, false);
			return ENGINE_E_NOMEM;
		}
		e->dec_own = own;
	}
	engine_record *b = grow(e->batch, &e->batch_cap, e->pend_n, sizeof(*e->batch));
	if (!b) {
		pend_clear(e, false);
		return ENGINE_E_NOMEM;
	}
	e->batch = b;
	for (size_t k = 0; k < e->pend_n; k++) {
		b[k] = e->pend[k].rec;
		b[k].time_ms = k == 0 ? e->cmd_dt : 0;
		b[k].batch_count = e->pend_n;
	}
	if (!e->replaying && e->sink && e->sink(e->sink_ctx, b) != 0) {
		pend_clear(e, false);
		return ENGINE_E_RECORD;
	}
	for (size_t k = 0; k < e->pdec_n; k++) {
		e->decs[e->dec_n] = e->pdec[k].d;
		e->decs[e->dec_n].time_ms = e->cmd_dt;
		e->dec_own[e->dec_n] = 3;
		e->dec_n++;
	}
	pend_clear(e, true);
	return ENGINE_OK;
}

/* After the change is applied: the decision's time is accounted. */
static void cmd_done(engine *e)
{
	e->used_ms += e->cmd_dt;
	e->mark_ms = e->cmd_now;
}

/* ---- time limit and stage checks ---- */

static enum engine_status do_finish(engine *e, bool timeout);

enum engine_status engine_tick(engine *e)
{
	if (!e || e->replaying || e->stage == ENGINE_STAGE_DEBRIEF || e->limit_ms == 0)
		return ENGINE_OK;
	int64_t elapsed = e->used_ms + (now_ms(e) - e->mark_ms);
	if (elapsed < e->limit_ms)
		return ENGINE_OK;
	enum engine_status st = do_finish(e, true);
	return st == ENGINE_OK ? ENGINE_E_TIME_UP : st;
}

/* Common entry checks of a command. */
static enum engine_status enter(engine *e, enum engine_stage want)
{
	if (!e)
		return ENGINE_E_INVALID;
	enum engine_status st = engine_tick(e);
	if (st != ENGINE_OK)
		return st;
	if (e->stage == ENGINE_STAGE_DEBRIEF)
		return ENGINE_E_FINISHED;
	if (e->stage != want)
		return ENGINE_E_STAGE;
	return ENGINE_OK;
}

static enum engine_stage after_examination(const engine *e)
{
	return e->p->question_count ? ENGINE_STAGE_QUESTIONS : ENGINE_STAGE_DEBRIEF;
}

static enum engine_stage after_briefing(const engine *e)
{
	return e->p->shipment_count ? ENGINE_STAGE_TARGETING : after_examination(e);
}

/* ---- settlement of targeting and indicators ---- */

static size_t flagged_ids(engine *e, size_t s)
{
	size_t n = 0;
	for (size_t k = 0; k < e->ind_count; k++)
		if (e->ships[s].flagged[k])
			e->tmp_ids[n++] = e->inds[k]->id.text;
	return n;
}

static size_t key_ids(engine *e, size_t s)
{
	const pack_shipment *sh = &e->p->shipments[s];
	size_t n = 0;
	for (size_t k = 0; k < sh->indicator_count && n < e->tmp_cap; k++)
		e->tmp_ids[n++] = sh->indicators[k].key.text;
	return n;
}

static long long indicator_points(engine *e, size_t s)
{
	size_t n = flagged_ids(e, s);
	return engine_score_indicators(&e->p->scoring, &e->p->shipments[s], e->tmp_ids, n);
}

/* Records and decisions for every shipment; examined = selected when
 * use_selection, else none. */
static void pend_settlement(engine *e, bool use_selection)
{
	const pack_scoring *sc = &e->p->scoring;
	for (size_t s = 0; s < e->p->shipment_count && !e->pend_oom; s++) {
		const pack_shipment *sh = &e->p->shipments[s];
		const engine_shipment_state *st = &e->ships[s];
		bool ex = use_selection && st->selected;
		long long tp = engine_score_targeting(sc, sh, ex);
		pend_add(e, ex ? "target:examined" : "target:released", NULL, ENGINE_PART_TARGETING,
		         (long)s, -1, -1, tp);
		pend_decision(e, ENGINE_PART_TARGETING, (long)s, -1, -1,
		              text_printf("%s", ex ? "examine" : "release"),
		              text_printf("%s", st->holds_counterfeit ? "examine" : "release"),
		              sh->explain.text, tp, ex == st->holds_counterfeit);
		size_t nf = flagged_ids(e, s);
		long long ip = engine_score_indicators(sc, sh, e->tmp_ids, nf);
		if (nf > 0) {
			char *list = join(e->tmp_ids, nf, ",");
			pend_add(e, NULL, list ? text_printf("indicators:%s", list) : NULL,
			         ENGINE_PART_INDICATORS, (long)s, -1, -1, ip);
			free(list);
		}
		if (nf > 0 || sh->indicator_count > 0) {
			char *given = join(e->tmp_ids, nf, ", ");
			size_t nk = key_ids(e, s);
			char *key = join(e->tmp_ids, nk, ", ");
			bool exact = true;
			for (size_t k = 0; k < e->ind_count; k++) {
				bool keyed = false;
				for (size_t j = 0; j < sh->indicator_count; j++)
					keyed = keyed || str_eq(sh->indicators[j].key.text,
					                        e->inds[k]->id.text);
				if (keyed != st->flagged[k])
					exact = false;
			}
			pend_decision(e, ENGINE_PART_INDICATORS, (long)s, -1, -1, given, key,
			              sh->explain.text, ip, exact);
		}
	}
}

static void apply_settlement(engine *e, bool use_selection)
{
	const pack_scoring *sc = &e->p->scoring;
	for (size_t s = 0; s < e->p->shipment_count; s++) {
		engine_shipment_state *st = &e->ships[s];
		bool ex = use_selection && st->selected;
		st->examined = ex;
		st->settled = true;
		st->released_unexamined = !ex;
		st->missed_counterfeit = !ex && st->holds_counterfeit;
		st->false_alarm = ex && !st->holds_counterfeit;
		st->target_points = engine_score_targeting(sc, st->shipment, ex);
		st->indicator_points = indicator_points(e, s);
		e->part_score[ENGINE_PART_TARGETING] += st->target_points;
		e->part_score[ENGINE_PART_INDICATORS] += st->indicator_points;
	}
	e->targeting_settled = true;
}

/* ---- commands ---- */

enum engine_status engine_begin(engine *e)
{
	enum engine_status st = enter(e, ENGINE_STAGE_BRIEFING);
	if (st != ENGINE_OK)
		return st;
	cmd_begin(e);
	pend_add(e, "begin", NULL, NO_PART, -1, -1, -1, 0);
	if ((st = cmd_commit(e)) != ENGINE_OK)
		return st;
	e->stage = after_briefing(e);
	cmd_done(e);
	return ENGINE_OK;
}

static long find_indicator(const engine *e, const char *id)
{
	for (size_t k = 0; k < e->ind_count; k++)
		if (str_eq(e->inds[k]->id.text, id))
			return (long)k;
	return -1;
}

static enum engine_status set_flag(engine *e, size_t s, const char *id, bool on)
{
	enum engine_status st = enter(e, ENGINE_STAGE_TARGETING);
	if (st != ENGINE_OK)
		return st;
	long k = s < e->p->shipment_count ? find_indicator(e, id) : -1;
	if (k < 0)
		return ENGINE_E_UNKNOWN_ID;
	bool *flag = flag_mut(e, s, (size_t)k);
	if (*flag == on)
		return ENGINE_E_NO_CHANGE;
	cmd_begin(e);
	pend_add(e, NULL, text_printf("%s:%s", on ? "flag" : "unflag", e->inds[k]->id.text),
	         NO_PART, (long)s, -1, -1, 0);
	if ((st = cmd_commit(e)) != ENGINE_OK)
		return st;
	*flag = on;
	if (on)
		e->ships[s].flag_count++;
	else
		e->ships[s].flag_count--;
	cmd_done(e);
	return ENGINE_OK;
}

enum engine_status engine_flag(engine *e, size_t s, const char *indicator_id)
{
	return set_flag(e, s, indicator_id, true);
}

enum engine_status engine_unflag(engine *e, size_t s, const char *indicator_id)
{
	return set_flag(e, s, indicator_id, false);
}

static enum engine_status set_selected(engine *e, size_t s, bool on)
{
	enum engine_status st = enter(e, ENGINE_STAGE_TARGETING);
	if (st != ENGINE_OK)
		return st;
	if (s >= e->p->shipment_count)
		return ENGINE_E_UNKNOWN_ID;
	if (e->ships[s].selected == on)
		return ENGINE_E_NO_CHANGE;
	long long budget = e->p->settings.inspections;
	if (on && budget >= 0 && (unsigned long long)e->budget_used >= (unsigned long long)budget)
		return ENGINE_E_BUDGET;
	cmd_begin(e);
	pend_add(e, on ? "select" : "deselect", NULL, NO_PART, (long)s, -1, -1, 0);
	if ((st = cmd_commit(e)) != ENGINE_OK)
		return st;
	e->ships[s].selected = on;
	if (on)
		e->budget_used++;
	else
		e->budget_used--;
	cmd_done(e);
	return ENGINE_OK;
}

enum engine_status engine_select(engine *e, size_t s)
{
	return set_selected(e, s, true);
}

enum engine_status engine_deselect(engine *e, size_t s)
{
	return set_selected(e, s, false);
}

enum engine_status engine_confirm(engine *e)
{
	enum engine_status st = enter(e, ENGINE_STAGE_TARGETING);
	if (st != ENGINE_OK)
		return st;
	cmd_begin(e);
	pend_add(e, "confirm", NULL, NO_PART, -1, -1, -1, 0);
	pend_settlement(e, true);
	if ((st = cmd_commit(e)) != ENGINE_OK)
		return st;
	apply_settlement(e, true);
	e->stage = e->budget_used > 0 ? ENGINE_STAGE_EXAMINATION : after_examination(e);
	cmd_done(e);
	return ENGINE_OK;
}

/* Checks shipment s is examined and item i / feature f exist (f ignored
 * when SIZE_MAX). */
static enum engine_status check_item(const engine *e, size_t s, size_t i, size_t f)
{
	if (s >= e->p->shipment_count)
		return ENGINE_E_UNKNOWN_ID;
	if (!e->ships[s].examined)
		return ENGINE_E_NOT_EXAMINED;
	const pack_shipment *sh = &e->p->shipments[s];
	if (i >= sh->item_count)
		return ENGINE_E_UNKNOWN_ID;
	if (f != SIZE_MAX && f >= sh->contents[i].observed_count)
		return ENGINE_E_UNKNOWN_ID;
	return ENGINE_OK;
}

enum engine_status engine_examine(engine *e, size_t s, size_t i, size_t f)
{
	enum engine_status st = enter(e, ENGINE_STAGE_EXAMINATION);
	if (st == ENGINE_OK && f == SIZE_MAX)
		st = ENGINE_E_UNKNOWN_ID;
	if (st == ENGINE_OK)
		st = check_item(e, s, i, f);
	if (st != ENGINE_OK)
		return st;
	engine_feature_state *fs = feat_mut(e, s, i, f);
	if (fs->examined)
		return ENGINE_E_NO_CHANGE;
	cmd_begin(e);
	pend_add(e, NULL, text_printf("examine:%s", fs->observed->key.text), NO_PART, (long)s,
	         (int)i, -1, 0);
	if ((st = cmd_commit(e)) != ENGINE_OK)
		return st;
	fs->examined = true;
	cmd_done(e);
	return ENGINE_OK;
}

static enum engine_status set_cited(engine *e, size_t s, size_t i, size_t f, bool on)
{
	enum engine_status st = enter(e, ENGINE_STAGE_EXAMINATION);
	if (st == ENGINE_OK && f == SIZE_MAX)
		st = ENGINE_E_UNKNOWN_ID;
	if (st == ENGINE_OK)
		st = check_item(e, s, i, f);
	if (st != ENGINE_OK)
		return st;
	engine_item_state *is = item_mut(e, s, i);
	engine_feature_state *fs = feat_mut(e, s, i, f);
	if (is->verdict != PACK_VERDICT_NONE)
		return ENGINE_E_ALREADY_ANSWERED;
	if (on && !fs->examined)
		return ENGINE_E_NOT_SEEN;
	if (fs->cited == on)
		return ENGINE_E_NO_CHANGE;
	cmd_begin(e);
	pend_add(e, NULL, text_printf("evidence%c:%s", on ? '+' : '-', fs->observed->key.text),
	         NO_PART, (long)s, (int)i, -1, 0);
	if ((st = cmd_commit(e)) != ENGINE_OK)
		return st;
	fs->cited = on;
	if (on)
		is->cited_count++;
	else
		is->cited_count--;
	cmd_done(e);
	return ENGINE_OK;
}

enum engine_status engine_cite(engine *e, size_t s, size_t i, size_t f)
{
	return set_cited(e, s, i, f, true);
}

enum engine_status engine_uncite(engine *e, size_t s, size_t i, size_t f)
{
	return set_cited(e, s, i, f, false);
}

static size_t cited_ids(engine *e, const engine_item_state *is)
{
	size_t n = 0;
	for (size_t f = 0; f < is->feature_count; f++)
		if (is->features[f].cited)
			e->tmp_ids[n++] = is->features[f].observed->key.text;
	return n;
}

/* The key's evidence as a joined list. */
static char *evidence_key(const pack_item *it)
{
	size_t n = it->verdict == PACK_VERDICT_COUNTERFEIT ? it->evidence.count : 0;
	const char **ids = n ? calloc(n, sizeof(*ids)) : NULL;
	if (n && !ids)
		return NULL;
	for (size_t k = 0; k < n; k++)
		ids[k] = it->evidence.items[k].text ? it->evidence.items[k].text : "";
	char *s = join(ids, n, ", ");
	free(ids);
	return s;
}

enum engine_status engine_verdict(engine *e, size_t s, size_t i, enum pack_verdict v)
{
	enum engine_status st = enter(e, ENGINE_STAGE_EXAMINATION);
	if (st == ENGINE_OK)
		st = check_item(e, s, i, SIZE_MAX);
	if (st != ENGINE_OK)
		return st;
	if (v != PACK_VERDICT_GENUINE && v != PACK_VERDICT_COUNTERFEIT)
		return ENGINE_E_INVALID;
	engine_item_state *is = item_mut(e, s, i);
	if (is->verdict != PACK_VERDICT_NONE)
		return ENGINE_E_ALREADY_ANSWERED;
	const pack_scoring *sc = &e->p->scoring;
	const pack_item *it = is->item;
	long long vp = engine_score_verdict(sc, it, v);
	size_t nc = cited_ids(e, is);
	long long ep = engine_score_evidence(sc, it, e->tmp_ids, nc);
	cmd_begin(e);
	pend_add(e, NULL, text_printf("verdict:%s", pack_verdict_name(v)), ENGINE_PART_VERDICTS,
	         (long)s, (int)i, -1, vp);
	pend_decision(e, ENGINE_PART_VERDICTS, (long)s, (long)i, -1,
	              text_printf("%s", pack_verdict_name(v)),
	              text_printf("%s", pack_verdict_name(it->verdict)), it->explain.text, vp,
	              v == it->verdict);
	if (nc > 0) {
		char *list = join(e->tmp_ids, nc, ",");
		pend_add(e, NULL, list ? text_printf("evidence:%s", list) : NULL,
		         ENGINE_PART_EVIDENCE, (long)s, (int)i, -1, ep);
		free(list);
	}
	if (nc > 0 || it->verdict == PACK_VERDICT_COUNTERFEIT) {
		/* Exact when the cited set equals the key's evidence. */
		bool exact = true;
		size_t hits = 0;
		for (size_t k = 0; k < nc; k++) {
			bool in = false;
			for (size_t j = 0; j < it->evidence.count && !in; j++)
				in = it->verdict == PACK_VERDICT_COUNTERFEIT &&
				     str_eq(it->evidence.items[j].text, e->tmp_ids[k]);
			exact = exact && in;
			hits += in;
		}
		if (it->verdict == PACK_VERDICT_COUNTERFEIT && hits != it->evidence.count)
			exact = false;
		pend_decision(e, ENGINE_PART_EVIDENCE, (long)s, (long)i, -1,
		              join(e->tmp_ids, nc, ", "), evidence_key(it), it->explain.text, ep,
		              exact);
	}
	if ((st = cmd_commit(e)) != ENGINE_OK)
		return st;
	is->verdict = v;
	is->verdict_points = vp;
	is->evidence_points = ep;
	e->part_score[ENGINE_PART_VERDICTS] += vp;
	e->part_score[ENGINE_PART_EVIDENCE] += ep;
	cmd_done(e);
	return ENGINE_OK;
}

enum engine_status engine_act(engine *e, size_t s, const char *action_id)
{
	enum engine_status st = enter(e, ENGINE_STAGE_EXAMINATION);
	if (st != ENGINE_OK)
		return st;
	if (s >= e->p->shipment_count)
		return ENGINE_E_UNKNOWN_ID;
	if (!e->ships[s].examined)
		return ENGINE_E_NOT_EXAMINED;
	const pack_action *a = NULL;
	for (size_t k = 0; k < e->act_count && !a; k++)
		if (str_eq(e->acts[k]->id.text, action_id))
			a = e->acts[k];
	if (!a)
		return ENGINE_E_UNKNOWN_ID;
	engine_shipment_state *ss = &e->ships[s];
	if (ss->action)
		return ENGINE_E_ALREADY_ANSWERED;
	for (size_t i = 0; i < ss->shipment->item_count; i++)
		if (ss->items[i].verdict == PACK_VERDICT_NONE)
			return ENGINE_E_INCOMPLETE;
	const pack_shipment *sh = ss->shipment;
	long long ap = engine_score_action(&e->p->scoring, sh, a->id.text);
	cmd_begin(e);
	pend_add(e, NULL, text_printf("action:%s", a->id.text), ENGINE_PART_ACTIONS, (long)s, -1,
	         -1, ap);
	pend_decision(e, ENGINE_PART_ACTIONS, (long)s, -1, -1, text_printf("%s", a->id.text),
	              text_printf("%s", sh->action.text ? sh->action.text : ""), sh->explain.text,
	              ap, str_eq(a->id.text, sh->action.text));
	if ((st = cmd_commit(e)) != ENGINE_OK)
		return st;
	ss->action = a;
	ss->action_points = ap;
	e->part_score[ENGINE_PART_ACTIONS] += ap;
	cmd_done(e);
	return ENGINE_OK;
}

enum engine_status engine_end_examination(engine *e)
{
	enum engine_status st = enter(e, ENGINE_STAGE_EXAMINATION);
	if (st != ENGINE_OK)
		return st;
	for (size_t s = 0; s < e->p->shipment_count; s++)
		if (e->ships[s].examined && !e->ships[s].action)
			return ENGINE_E_INCOMPLETE;
	cmd_begin(e);
	pend_add(e, "done", NULL, NO_PART, -1, -1, -1, 0);
	if ((st = cmd_commit(e)) != ENGINE_OK)
		return st;
	e->stage = after_examination(e);
	cmd_done(e);
	return ENGINE_OK;
}

/* Answers question q with chosen[] in pack order (already validated). */
static enum engine_status answer_pack(engine *e, size_t q, const bool *chosen)
{
	const pack_question *pq = &e->p->questions[q];
	long long qp = engine_score_question(&e->p->scoring, pq, chosen);
	bool *correct = calloc(pq->choice_count, sizeof(bool));
	if (!correct)
		return ENGINE_E_NOMEM;
	for (size_t k = 0; k < pq->choice_count; k++)
		correct[k] = pq->choices[k].correct.value;
	bool exact = memcmp(correct, chosen, pq->choice_count * sizeof(bool)) == 0;
	cmd_begin(e);
	char *list = join_indexes(chosen, pq->choice_count, 0, ",");
	pend_add(e, NULL, list ? text_printf("answer:%s", list) : NULL, ENGINE_PART_QUESTIONS, -1,
	         -1, (long)q, qp);
	free(list);
	pend_decision(e, ENGINE_PART_QUESTIONS, -1, -1, (long)q,
	              join_indexes(chosen, pq->choice_count, 1, ", "),
	              join_indexes(correct, pq->choice_count, 1, ", "), pq->explain.text, qp,
	              exact);
	free(correct);
	enum engine_status st = cmd_commit(e);
	if (st != ENGINE_OK)
		return st;
	engine_question_state *qs = &e->qs[q];
	memcpy((bool *)qs->chosen, chosen, pq->choice_count * sizeof(bool));
	qs->answered = true;
	qs->points = qp;
	e->part_score[ENGINE_PART_QUESTIONS] += qp;
	cmd_done(e);
	return ENGINE_OK;
}

enum engine_status engine_answer(engine *e, size_t q, const size_t *choices, size_t n)
{
	enum engine_status st = enter(e, ENGINE_STAGE_QUESTIONS);
	if (st != ENGINE_OK)
		return st;
	if (q >= e->p->question_count)
		return ENGINE_E_UNKNOWN_ID;
	if (e->qs[q].answered)
		return ENGINE_E_ALREADY_ANSWERED;
	if (n == 0 || !choices)
		return ENGINE_E_INVALID;
	size_t count = e->p->questions[q].choice_count;
	bool *chosen = calloc(count ? count : 1, sizeof(bool));
	if (!chosen)
		return ENGINE_E_NOMEM;
	for (size_t k = 0; k < n && st == ENGINE_OK; k++) {
		if (choices[k] >= count)
			st = ENGINE_E_UNKNOWN_ID;
		else if (chosen[e->qs[q].order[choices[k]]])
			st = ENGINE_E_INVALID;
		else
			chosen[e->qs[q].order[choices[k]]] = true;
	}
	if (st == ENGINE_OK)
		st = answer_pack(e, q, chosen);
	free(chosen);
	return st;
}

static enum engine_status do_finish(engine *e, bool timeout)
{
	cmd_begin(e);
	if (timeout && !e->replaying) {
		/* Account exactly up to the limit. */
		int64_t left = e->limit_ms - e->used_ms;
		e->cmd_dt = left > 0 ? left : 0;
	}
	pend_add(e, timeout ? "timeout" : "finish", NULL, NO_PART, -1, -1, -1, 0);
	bool settle = !e->targeting_settled && e->p->shipment_count > 0;
	if (settle)
		pend_settlement(e, false);
	enum engine_status st = cmd_commit(e);
	if (st != ENGINE_OK)
		return st;
	if (settle)
		apply_settlement(e, false);
	e->stage = ENGINE_STAGE_DEBRIEF;
	e->timed_out = timeout;
	cmd_done(e);
	return ENGINE_OK;
}

enum engine_status engine_finish(engine *e)
{
	if (!e)
		return ENGINE_E_INVALID;
	enum engine_status st = engine_tick(e);
	if (st != ENGINE_OK)
		return st;
	if (e->stage == ENGINE_STAGE_DEBRIEF)
		return ENGINE_E_FINISHED;
	return do_finish(e, false);
}

/* ---- replay ---- */

bool engine_record_is_settlement(const engine_record *rec)
{
	return rec && rec->raw &&
	       (starts_with(rec->raw, "target:") || starts_with(rec->raw, "indicators:") ||
	        starts_with(rec->raw, "evidence:"));
}

static long find_shipment(const engine *e, const char *id)
{
	if (!id)
		return -1;
	size_t lo = 0, hi = e->p->shipment_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(e->ship_by_id[mid].id, id);
		if (c == 0)
			return (long)e->ship_by_id[mid].index;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static long find_question(const engine *e, const char *id)
{
	for (size_t q = 0; id && q < e->p->question_count; q++)
		if (str_eq(e->p->questions[q].id.text, id))
			return (long)q;
	return -1;
}

static long find_feature(const engine *e, size_t s, long item, const char *id)
{
	if (item < 0 || (size_t)item >= e->p->shipments[s].item_count)
		return -1;
	const pack_item *it = &e->p->shipments[s].contents[item];
	for (size_t f = 0; f < it->observed_count; f++)
		if (str_eq(it->observed[f].key.text, id))
			return (long)f;
	return -1;
}

/* Parses "0,2" into chosen[count]; false when malformed, out of range or
 * repeated. */
static bool parse_choices(const char *s, bool *chosen, size_t count)
{
	if (!*s)
		return false;
	while (*s) {
		if (*s < '0' || *s > '9')
			return false;
		size_t v = 0;
		while (*s >= '0' && *s <= '9') {
			if (v > (SIZE_MAX - 9) / 10)
				return false;
			v = v * 10 + (size_t)(*s++ - '0');
		}
		if (v >= count || chosen[v])
			return false;
		chosen[v] = true;
		if (*s == ',')
			s++;
		else if (*s)
			return false;
	}
	return true;
}

static enum engine_status replay_answer(engine *e, const engine_record *rec, const char *list)
{
	long q = find_question(e, rec->question_id);
	if (q < 0)
		return ENGINE_E_BAD_RECORD;
	enum engine_status st = enter(e, ENGINE_STAGE_QUESTIONS);
	if (st != ENGINE_OK)
		return st;
	if (e->qs[q].answered)
		return ENGINE_E_ALREADY_ANSWERED;
	size_t count = e->p->questions[q].choice_count;
	bool *chosen = calloc(count ? count : 1, sizeof(bool));
	if (!chosen)
		return ENGINE_E_NOMEM;
	st = parse_choices(list, chosen, count) ? answer_pack(e, (size_t)q, chosen)
	                                        : ENGINE_E_BAD_RECORD;
	free(chosen);
	return st;
}

/* Commands naming a feature of an item: examine / evidence+ / evidence-. */
static enum engine_status replay_feature(engine *e, const engine_record *rec, long s,
                                         const char *fid, int kind)
{
	if (s < 0)
		return ENGINE_E_BAD_RECORD;
	long f = find_feature(e, (size_t)s, rec->item, fid);
	if (f < 0)
		return ENGINE_E_BAD_RECORD;
	if (kind == 0)
		return engine_examine(e, (size_t)s, (size_t)rec->item, (size_t)f);
	if (kind == 1)
		return engine_cite(e, (size_t)s, (size_t)rec->item, (size_t)f);
	return engine_uncite(e, (size_t)s, (size_t)rec->item, (size_t)f);
}

static enum engine_status replay_dispatch(engine *e, const engine_record *rec)
{
	const char *r = rec->raw;
	long s = find_shipment(e, rec->shipment_id);
	bool has_s = s >= 0;
	if (!strcmp(r, "begin"))
		return engine_begin(e);
	if (!strcmp(r, "confirm"))
		return engine_confirm(e);
	if (!strcmp(r, "done"))
		return engine_end_examination(e);
	if (!strcmp(r, "finish"))
		return engine_finish(e);
	if (!strcmp(r, "timeout")) {
		if (e->stage == ENGINE_STAGE_DEBRIEF)
			return ENGINE_E_FINISHED;
		return do_finish(e, true);
	}
	if (starts_with(r, "answer:"))
		return replay_answer(e, rec, r + 7);
	if (!has_s)
		return ENGINE_E_BAD_RECORD;
	if (starts_with(r, "flag:"))
		return engine_flag(e, (size_t)s, r + 5);
	if (starts_with(r, "unflag:"))
		return engine_unflag(e, (size_t)s, r + 7);
	if (!strcmp(r, "select"))
		return engine_select(e, (size_t)s);
	if (!strcmp(r, "deselect"))
		return engine_deselect(e, (size_t)s);
	if (starts_with(r, "examine:"))
		return replay_feature(e, rec, s, r + 8, 0);
	if (starts_with(r, "evidence+:"))
		return replay_feature(e, rec, s, r + 10, 1);
	if (starts_with(r, "evidence-:"))
		return replay_feature(e, rec, s, r + 10, 2);
	if (starts_with(r, "verdict:")) {
		enum pack_verdict v = !strcmp(r + 8, "genuine")       ? PACK_VERDICT_GENUINE
		                      : !strcmp(r + 8, "counterfeit") ? PACK_VERDICT_COUNTERFEIT
		                                                      : PACK_VERDICT_NONE;
		if (v == PACK_VERDICT_NONE || rec->item < 0)
			return ENGINE_E_BAD_RECORD;
		return engine_verdict(e, (size_t)s, (size_t)rec->item, v);
	}
	if (starts_with(r, "action:"))
		return engine_act(e, (size_t)s, r + 7);
	return ENGINE_E_BAD_RECORD;
}

enum engine_status engine_replay(engine *e, const engine_record *rec)
{
	if (!e || !rec || !rec->raw)
		return ENGINE_E_BAD_RECORD;
	if (engine_record_is_settlement(rec))
		return ENGINE_OK;
	e->replaying = true;
	e->replay_ms = rec->time_ms;
	enum engine_status st = replay_dispatch(e, rec);
	e->replaying = false;
	return st;
}

/* ---- read-only state ---- */

enum engine_stage engine_stage(const engine *e)
{
	return e->stage;
}

const pack *engine_pack(const engine *e)
{
	return e->p;
}

bool engine_is_exam(const engine *e)
{
	return e->exam;
}

uint64_t engine_seed(const engine *e)
{
	return e->seed;
}

const size_t *engine_shipment_order(const engine *e)
{
	return e->ship_order;
}

const engine_shipment_state *engine_shipment(const engine *e, size_t s)
{
	return s < e->p->shipment_count ? &e->ships[s] : NULL;
}

const engine_question_state *engine_question(const engine *e, size_t q)
{
	return q < e->p->question_count ? &e->qs[q] : NULL;
}

const pack_indicator *const *engine_indicators(const engine *e, size_t *count)
{
	if (count)
		*count = e->ind_count;
	return e->inds;
}

const pack_action *const *engine_actions(const engine *e, size_t *count)
{
	if (count)
		*count = e->act_count;
	return e->acts;
}

size_t engine_budget_used(const engine *e)
{
	return e->budget_used;
}

long long engine_budget(const engine *e)
{
	return e->p->settings.inspections;
}

void engine_scores_get(const engine *e, engine_scores *out)
{
	*out = e->max;
	out->total = 0;
	for (int k = 0; k < ENGINE_PART_COUNT; k++) {
		out->score[k] = e->part_score[k];
		out->total += e->part_score[k];
	}
}

long long engine_total(const engine *e)
{
	long long t = 0;
	for (int k = 0; k < ENGINE_PART_COUNT; k++)
		t += e->part_score[k];
	return t;
}

int64_t engine_elapsed_ms(const engine *e)
{
	if (e->stage == ENGINE_STAGE_DEBRIEF)
		return e->used_ms;
	int64_t dt = now_ms(e) - e->mark_ms;
	return e->used_ms + (dt > 0 ? dt : 0);
}

int64_t engine_remaining_ms(const engine *e)
{
	if (e->limit_ms == 0)
		return -1;
	int64_t left = e->limit_ms - engine_elapsed_ms(e);
	return left > 0 ? left : 0;
}

bool engine_timed_out(const engine *e)
{
	return e->timed_out;
}

const engine_decision *engine_decisions(const engine *e, size_t *count)
{
	if (count)
		*count = e->dec_n;
	return e->decs;
}

/* ---- messages ---- */

static const char *const messages[ENGINE_STATUS_COUNT] = {
        [ENGINE_OK] = "Done.",
        [ENGINE_E_STAGE] = "That is not possible at this stage of the exercise.",
        [ENGINE_E_FINISHED] = "The exercise is over: see the debrief.",
        [ENGINE_E_BUDGET] = "Every examination is used: deselect a shipment first.",
        [ENGINE_E_UNKNOWN_ID] = "There is no such entry in this pack.",
        [ENGINE_E_ALREADY_ANSWERED] = "That decision is already made and cannot be changed.",
        [ENGINE_E_NO_CHANGE] = "Nothing to change: it is already so.",
        [ENGINE_E_NOT_EXAMINED] =
                "This shipment was not selected for examination: it was released.",
        [ENGINE_E_NOT_SEEN] = "Examine this feature before citing it as evidence.",
        [ENGINE_E_INCOMPLETE] = "Some decisions are still open: finish them first.",
        [ENGINE_E_INVALID] = "That answer is not complete: choose at least one option, once.",
        [ENGINE_E_TIME_UP] = "Time is up: the exercise has ended and your answers so far count.",
        [ENGINE_E_RECORD] =
                "Your answer could not be saved, so it was not taken: check the results "
                "database and try again.",
        [ENGINE_E_NOMEM] = "Out of memory: the answer was not taken.",
        [ENGINE_E_BAD_RECORD] =
                "A stored answer does not fit this pack: the attempt cannot be resumed.",
};

const char *engine_status_message(enum engine_status status)
{
	if ((unsigned)status >= ENGINE_STATUS_COUNT || !messages[status])
		return "Unknown error.";
	return messages[status];
}

char *engine_status_text(const engine *e, enum engine_status status, char *buf, size_t size)
{
	if (!buf || size == 0)
		return buf;
	if (e && status == ENGINE_E_BUDGET) {
		long long b = e->p->settings.inspections;
		if (b == 0)
			snprintf(buf, size, "This exercise allows no examinations.");
		else if (b == 1)
			snprintf(buf, size,
			         "The one examination is used: deselect the selected shipment "
			         "first.");
		else
			snprintf(buf, size,
			         "All %lld examinations are used: deselect a shipment first.", b);
		return buf;
	}
	if (e && status == ENGINE_E_STAGE) {
		snprintf(buf, size, "That is not possible during %s.", engine_stage_name(e->stage));
		return buf;
	}
	if (e && status == ENGINE_E_INCOMPLETE && e->stage == ENGINE_STAGE_EXAMINATION) {
		snprintf(buf, size,
		         "Give a verdict on every item, then an action for every examined "
		         "shipment, first.");
		return buf;
	}
	snprintf(buf, size, "%s", engine_status_message(status));
	return buf;
}
