/* gen-results.c - fills a results database with N synthetic finished
 * attempts over the bundled packs, for bench/report-bench.sh.
 *
 *   gen-results DB N [SCENARIOS_DIR] [SEED]   write N attempts into DB
 *   gen-results --sql VIEW                    print the bare SQL that the
 *                                             benchmark compares VIEW with
 *   gen-results --raw-sql VIEW                the same aggregate over the
 *                                             raw responses, for comparison
 *
 * Each attempt is played by the real engine (so every record, point and
 * score is what the trainer would store) with a simulated trainee whose
 * skill decides how often they pick the key.  Rows go in through the
 * store's SQLite connection in one transaction per 10,000 responses: the
 * store's own API commits every response (durability for trainees), which
 * would take hours here.  Not installed; a benchmark tool only. */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "ipr-drill/engine.h"
#include "ipr-drill/pack.h"
#include "ipr-drill/report.h"
#include "ipr-drill/store.h"

#define BATCH_ROWS 10000

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
	/* splitmix64: deterministic for a seed, good enough for a generator. */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static double unif(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

static bool chance(double p)
{
	return unif() < p;
}

struct gen {
	sqlite3 *db;
	sqlite3_stmt *ins_resp, *ins_attempt, *upd_attempt;
	char uuid[STORE_UUID_SIZE];
	int64_t seq;
	int64_t clock_ms;
	int64_t base_s; /* the attempt's start, seconds since the epoch */
	long pending;
};

static void die(const char *what, sqlite3 *db)
{
	fprintf(stderr, "gen-results: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
	exit(1);
}

static void iso_time(int64_t ms, char out[80])
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	snprintf(out, 80, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000 + 1000) % 1000);
}

static void maybe_commit(struct gen *g)
{
	if (++g->pending < BATCH_ROWS)
		return;
	if (sqlite3_exec(g->db, "COMMIT; BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		die("commit", g->db);
	g->pending = 0;
}

static int sink(void *ctx, const engine_record *rec)
{
	struct gen *g = ctx;
	size_t n = rec[0].batch_count ? rec[0].batch_count : 1;
	for (size_t i = 0; i < n; i++) {
		const engine_record *r = &rec[i];
		sqlite3_stmt *st = g->ins_resp;
		char at[80];
		iso_time(g->base_s * 1000 + g->clock_ms, at);
		sqlite3_bind_text(st, 1, g->uuid, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, ++g->seq);
		sqlite3_bind_text(st, 3, r->part ? r->part : r->stage, -1, SQLITE_STATIC);
		if (r->shipment_id)
			sqlite3_bind_text(st, 4, r->shipment_id, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 4);
		if (r->item >= 0)
			sqlite3_bind_int(st, 5, r->item);
		else
			sqlite3_bind_null(st, 5);
		if (r->question_id)
			sqlite3_bind_text(st, 6, r->question_id, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 6);
		sqlite3_bind_text(st, 7, r->raw, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 8, r->points);
		sqlite3_bind_int64(st, 9, r->time_ms);
		sqlite3_bind_text(st, 10, at, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			die("insert response", g->db);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		maybe_commit(g);
	}
	return 0;
}

static int64_t fake_clock(void *ctx)
{
	struct gen *g = ctx;
	g->clock_ms += 800 + (int64_t)(rnd() % 9000);
	return g->clock_ms;
}

static bool in_key(const pack_shipment *s, const char *id)
{
	for (size_t k = 0; k < s->indicator_count; k++)
		if (!strcmp(s->indicators[k].key.text, id))
			return true;
	return false;
}

static bool is_evidence(const pack_item *it, const char *id)
{
	for (size_t k = 0; k < it->evidence.count; k++)
		if (!strcmp(it->evidence.items[k].text, id))
			return true;
	return false;
}

/* A trainee of the given skill plays one attempt to the end. */
static void play(engine *e, const pack *p, double skill)
{
	engine_begin(e);
	size_t ni;
	const pack_indicator *const *inds = engine_indicators(e, &ni);
	for (size_t s = 0; s < p->shipment_count; s++) {
		const pack_shipment *sh = &p->shipments[s];
		for (size_t k = 0; k < sh->indicator_count; k++)
			if (chance(skill))
				engine_flag(e, s, sh->indicators[k].key.text);
		if (ni && chance(0.5 * (1 - skill))) {
			const pack_indicator *w = inds[rnd() % ni];
			if (!in_key(sh, w->id.text))
				engine_flag(e, s, w->id.text);
		}
		bool fake = pack_shipment_holds_counterfeit(sh);
		if (chance(fake ? skill : 1 - skill))
			engine_select(e, s);
	}
	engine_confirm(e);
	for (size_t s = 0; s < p->shipment_count; s++) {
		const engine_shipment_state *ss = engine_shipment(e, s);
		if (!ss || !ss->examined)
			continue;
		const pack_shipment *sh = ss->shipment;
		for (size_t i = 0; i < sh->item_count; i++) {
			const pack_item *it = &sh->contents[i];
			for (size_t f = 0; f < it->observed_count; f++) {
				if (!chance(0.4 + 0.5 * skill))
					continue;
				engine_examine(e, s, i, f);
				bool ev = is_evidence(it, it->observed[f].key.text);
				if (chance(ev ? skill : (1 - skill) / 3))
					engine_cite(e, s, i, f);
			}
			enum pack_verdict v = it->verdict;
			if (!chance(skill))
				v = v == PACK_VERDICT_COUNTERFEIT ? PACK_VERDICT_GENUINE
				                                  : PACK_VERDICT_COUNTERFEIT;
			engine_verdict(e, s, i, v);
		}
		const char *action = chance(skill) && sh->action.text ? sh->action.text
		                     : chance(0.5)                    ? "release"
		                                                      : "detain";
		if (engine_act(e, s, action) != ENGINE_OK)
			engine_act(e, s, sh->action.text ? sh->action.text : "release");
	}
	engine_end_examination(e);
	for (size_t q = 0; q < p->question_count; q++) {
		const engine_question_state *qs = engine_question(e, q);
		const pack_question *qu = &p->questions[q];
		size_t pos[64], n = 0;
		if (chance(skill)) {
			for (size_t d = 0; d < qu->choice_count && n < 64; d++)
				if (qu->choices[qs->order[d]].correct.value)
					pos[n++] = d;
		}
		if (n == 0)
			pos[n++] = (size_t)(rnd() % qu->choice_count);
		engine_answer(e, q, pos, n);
	}
	if (engine_stage(e) != ENGINE_STAGE_DEBRIEF)
		engine_finish(e);
}

static void make_uuid(char out[STORE_UUID_SIZE])
{
	uint64_t a = rnd(), b = rnd();
	snprintf(out, STORE_UUID_SIZE, "%08x-%04x-4%03x-%04x-%012" PRIx64, (unsigned)(a >> 32),
	         (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
	         0x8000 | ((unsigned)(b >> 48) & 0x3fff), b & 0xffffffffffffu);
}

static size_t load_packs(const char *dir, pack ***out)
{
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		exit(1);
	}
	pack **packs = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml"))
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		pack_diags diags;
		pack_diags_init(&diags);
		pack_load_options lo = {0};
		pack *p = pack_load_file(path, &lo, &diags);
		pack_diags_free(&diags);
		if (!p || p->is_library || p->shipment_count + p->question_count == 0) {
			pack_free(p);
			continue;
		}
		pack **np = realloc(packs, (n + 1) * sizeof *np);
		if (!np)
			exit(1);
		packs = np;
		packs[n++] = p;
	}
	closedir(d);
	*out = packs;
	return n;
}

int main(int argc, char **argv)
{
	if (argc == 3 && (!strcmp(argv[1], "--sql") || !strcmp(argv[1], "--raw-sql"))) {
		enum report_view v;
		if (!report_view_parse(argv[2], &v)) {
			fprintf(stderr, "gen-results: no view %s\n", argv[2]);
			return 2;
		}
		puts(!strcmp(argv[1], "--sql") ? report_bare_sql(v) : report_bare_raw_sql(v));
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: gen-results DB N [SCENARIOS_DIR] [SEED]\n"
		                "       gen-results --sql VIEW\n"
		                "       gen-results --raw-sql VIEW\n");
		return 2;
	}
	long n = strtol(argv[2], NULL, 10);
	const char *dir = argc > 3 ? argv[3] : "scenarios";
	if (argc > 4)
		rng_state = strtoull(argv[4], NULL, 10);
	pack **packs;
	size_t np = load_packs(dir, &packs);
	if (np == 0) {
		fprintf(stderr, "gen-results: no packs in %s\n", dir);
		return 1;
	}
	char err[STORE_ERR_SIZE];
	store *s;
	if (store_open(argv[1], 0, &s, err, sizeof err) != 0) {
		fprintf(stderr, "gen-results: %s\n", err);
		return 1;
	}
	/* Trainees go through the store's API (few); one per 20 attempts. */
	static const char *const countries[] = {"PT", "KE", "CN", "BR", "DE", "TH", "NG", "MX",
	                                        "FR", "IN", "VN", "MA", "PE", "PL", "GH"};
	long nt = n / 20 > 10 ? n / 20 : 10;
	int64_t *tids = malloc((size_t)nt * sizeof *tids);
	double *skill = malloc((size_t)nt * sizeof *skill);
	if (!tids || !skill)
		return 1;
	for (long t = 0; t < nt; t++) {
		char name[32], org[48];
		snprintf(name, sizeof name, "Trainee %05ld", t + 1);
		snprintf(org, sizeof org, "Customs administration %ld", t % 15 + 1);
		if (store_trainee_upsert(s, name, org, countries[t % 15], &tids[t]) != 0) {
			fprintf(stderr, "gen-results: %s\n", store_errmsg(s));
			return 1;
		}
		skill[t] = 0.4 + 0.55 * unif();
	}
	struct gen g = {.db = store_handle(s)};
	if (sqlite3_exec(g.db, "PRAGMA synchronous = OFF", NULL, NULL, NULL) != SQLITE_OK)
		die("pragma", g.db);
	if (sqlite3_prepare_v2(g.db,
	                       "INSERT INTO response(attempt_uuid, seq, stage, shipment_id,"
	                       " item_index, question_id, answer, points, time_ms, answered_at)"
	                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	                       -1, &g.ins_resp, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(
	            g.db,
	            "INSERT INTO attempt(uuid, trainee_id, pack_id, pack_version,"
	            " pack_sha256, mode, seed, group_tag, started_at, status)"
	            " VALUES (?1, ?2, ?3, ?4, ?5, 'practice', ?6, ?7, ?8, 'in-progress')",
	            -1, &g.ins_attempt, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(g.db,
	                       "UPDATE attempt SET status = 'finished', ended_at = ?2, score = ?3,"
	                       " max_score = ?4, stage_scores = ?5 WHERE uuid = ?1",
	                       -1, &g.upd_attempt, NULL) != SQLITE_OK)
		die("prepare", g.db);
	char sha[STORE_SHA256_HEX_SIZE];
	if (sqlite3_exec(g.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		die("begin", g.db);
	int64_t t0 = 1767571200; /* 2026-01-05 */
	for (long a = 0; a < n; a++) {
		long t = (long)(rnd() % (uint64_t)nt);
		const pack *p = packs[rnd() % np];
		store_sha256_hex(p->id.text, strlen(p->id.text), sha);
		make_uuid(g.uuid);
		g.seq = 0;
		g.clock_ms = 0;
		g.base_s = t0 + a * 60;
		char started[80], group[16];
		iso_time(g.base_s * 1000, started);
		snprintf(group, sizeof group, "wk-%02ld", t % 10 + 1);
		sqlite3_stmt *st = g.ins_attempt;
		sqlite3_bind_text(st, 1, g.uuid, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, tids[t]);
		sqlite3_bind_text(st, 3, p->id.text, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, p->version.text, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, sha, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, (int64_t)a);
		sqlite3_bind_text(st, 7, group, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, started, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			die("insert attempt", g.db);
		sqlite3_reset(st);
		engine_options eo = {.seed = (uint64_t)a,
		                     .clock = fake_clock,
		                     .clock_ctx = &g,
		                     .sink = sink,
		                     .sink_ctx = &g};
		engine *e = engine_new(p, &eo);
		if (!e)
			return 1;
		play(e, p, skill[t]);
		engine_scores sc;
		engine_scores_get(e, &sc);
		char json[512];
		size_t off = 0;
		json[off++] = '{';
		for (int k = 0; k < ENGINE_PART_COUNT; k++)
			off += (size_t)snprintf(json + off, sizeof json - off,
			                        "%s\"%s\":{\"score\":%lld,\"max\":%lld}",
			                        k ? "," : "", engine_part_name((enum engine_part)k),
			                        sc.score[k], sc.max[k]);
		snprintf(json + off, sizeof json - off, "}");
		char ended[80];
		iso_time(g.base_s * 1000 + g.clock_ms, ended);
		st = g.upd_attempt;
		sqlite3_bind_text(st, 1, g.uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, ended, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, sc.total);
		sqlite3_bind_int64(st, 4, sc.total_max);
		sqlite3_bind_text(st, 5, json, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			die("finish attempt", g.db);
		sqlite3_reset(st);
		/* The summary the reports read, as store_attempt_finish() writes it. */
		if (store_summary_refresh(s, g.uuid) != SQLITE_OK)
			die("summarise attempt", g.db);
		engine_free(e);
	}
	if (sqlite3_exec(g.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die("commit", g.db);
	sqlite3_finalize(g.ins_resp);
	sqlite3_finalize(g.ins_attempt);
	sqlite3_finalize(g.upd_attempt);
	store_close(s);
	for (size_t i = 0; i < np; i++)
		pack_free(packs[i]);
	free(packs);
	free(tids);
	free(skill);
	return 0;
}
