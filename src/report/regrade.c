/* regrade.c - re-scoring stored attempts after a pack's key was corrected.
 *
 * Each attempt's command records are replayed into a fresh engine over the
 * corrected pack; the engine recomputes every settlement.  Its decisions
 * then give each scoring response its new points (matched by the answer's
 * kind and the shipment, item or question it is about), so the responses
 * keep summing to the attempt's score and the item reports agree with it.
 * Everything happens in one transaction: all attempts or none. */
#include "ipr-drill/report.h"

#include "ipr-drill/text.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum rg_stmt {
	Q_ATTEMPTS,
	Q_RESPONSES,
	Q_SET_POINTS,
	Q_SET_FINISHED,
	Q_SET_PACK,
	Q_ADD_REGRADE,
	Q_SET_COUNTS,
	Q_ADD_ATTEMPT,
	Q_COUNT
};

static const char *const rg_sql[Q_COUNT] = {
        [Q_ATTEMPTS] = "SELECT a.uuid, t.name, a.seed, a.mode, a.status, a.score, a.max_score,"
                       " (SELECT coalesce(sum(r.points), 0) FROM response r"
                       "  WHERE r.attempt_uuid = a.uuid), a.pack_sha256"
                       " FROM attempt a JOIN trainee t ON t.id = a.trainee_id"
                       " WHERE a.pack_id = ?1 ORDER BY a.started_at, a.uuid",
        [Q_RESPONSES] = "SELECT id, stage, shipment_id, item_index, question_id, answer, points,"
                        " time_ms FROM response WHERE attempt_uuid = ?1 ORDER BY seq",
        [Q_SET_POINTS] = "UPDATE response SET points = ?2 WHERE id = ?1",
        [Q_SET_FINISHED] = "UPDATE attempt SET score = ?2, max_score = ?3, stage_scores = ?4"
                           " WHERE uuid = ?1 AND status = 'finished'",
        [Q_SET_PACK] = "UPDATE attempt SET pack_version = ?2, pack_sha256 = ?3 WHERE uuid = ?1",
        [Q_ADD_REGRADE] = "INSERT INTO regrade(pack_id, pack_version, pack_sha256, regraded_at,"
                          " attempts, changed, failed)"
                          " VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 0, 0, 0)",
        [Q_SET_COUNTS] =
                "UPDATE regrade SET attempts = ?2, changed = ?3, failed = ?4 WHERE id = ?1",
        [Q_ADD_ATTEMPT] = "INSERT INTO regrade_attempt(regrade_id, attempt_uuid, old_pack_sha256,"
                          " old_score, old_max_score, new_score, new_max_score,"
                          " responses_changed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
};

/* What replaying an attempt needs besides its change row. */
struct pending {
	uint64_t seed;
	bool exam;
	char sha[STORE_SHA256_HEX_SIZE];
};

struct resp {
	int64_t id;
	char *stage, *shipment, *question, *answer;
	int64_t item, points, time_ms, new_points;
};

struct rg {
	store *s;
	sqlite3 *db;
	const pack *p;
	const char *sha;
	bool dry_run;
	sqlite3_stmt *q[Q_COUNT];
	struct pending *pend; /* one per out->items entry */
	struct resp *resp;
	size_t resp_count, resp_cap;
	char old_sha[STORE_SHA256_HEX_SIZE];
	char *err;
	size_t errlen;
};

static int fail(struct rg *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct rg *g, const char *fmt, ...)
{
	if (g->err && g->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(g->err, g->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int db_fail(struct rg *g, const char *what)
{
	return fail(g, "cannot regrade (%s): %s", what, sqlite3_errmsg(g->db));
}

static char *dup_col(sqlite3_stmt *st, int c)
{
	const char *s = (const char *)sqlite3_column_text(st, c);
	return s ? strdup(s) : NULL;
}

static void resp_clear(struct rg *g)
{
	for (size_t i = 0; i < g->resp_count; i++) {
		free(g->resp[i].stage);
		free(g->resp[i].shipment);
		free(g->resp[i].question);
		free(g->resp[i].answer);
	}
	g->resp_count = 0;
}

/* Reads the attempt's responses into g->resp. */
static int load_responses(struct rg *g, const char *uuid)
{
	resp_clear(g);
	sqlite3_stmt *st = g->q[Q_RESPONSES];
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (g->resp_count == g->resp_cap) {
			size_t cap = g->resp_cap ? g->resp_cap * 2 : 64;
			struct resp *n = cap <= SIZE_MAX / sizeof *n
			                         ? realloc(g->resp, cap * sizeof *n)
			                         : NULL;
			if (!n) {
				sqlite3_reset(st);
				return fail(g, "out of memory");
			}
			g->resp = n;
			g->resp_cap = cap;
		}
		struct resp *r = &g->resp[g->resp_count];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(st, 0);
		r->stage = dup_col(st, 1);
		r->shipment = dup_col(st, 2);
		r->item = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1
		                                                    : sqlite3_column_int64(st, 3);
		r->question = dup_col(st, 4);
		r->answer = dup_col(st, 5);
		r->points = sqlite3_column_int64(st, 6);
		r->time_ms = sqlite3_column_int64(st, 7);
		g->resp_count++;
		if (!r->stage || !r->answer) {
			sqlite3_reset(st);
			return fail(g, "out of memory");
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(g, "reading responses");
}

static const char *const part_prefix[ENGINE_PART_COUNT] = {
        [ENGINE_PART_TARGETING] = "target:", [ENGINE_PART_INDICATORS] = "indicators:",
        [ENGINE_PART_VERDICTS] = "verdict:", [ENGINE_PART_EVIDENCE] = "evidence:",
        [ENGINE_PART_ACTIONS] = "action:",   [ENGINE_PART_QUESTIONS] = "answer:",
};

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The response that recorded decision d; NULL when none did. */
static struct resp *record_of(struct rg *g, const engine_decision *d)
{
	if ((unsigned)d->part >= ENGINE_PART_COUNT)
		return NULL;
	const char *prefix = part_prefix[d->part];
	const char *ship = d->shipment >= 0 && (size_t)d->shipment < g->p->shipment_count
	                           ? g->p->shipments[d->shipment].id.text
	                           : NULL;
	const char *question = d->question >= 0 && (size_t)d->question < g->p->question_count
	                               ? g->p->questions[d->question].id.text
	                               : NULL;
	int64_t item = d->item >= 0 ? d->item : -1;
	/* The last one: a record is never repeated, but be safe. */
	for (size_t k = g->resp_count; k-- > 0;) {
		struct resp *r = &g->resp[k];
		if (strncmp(r->answer, prefix, strlen(prefix)) == 0 && same(r->shipment, ship) &&
		    same(r->question, question) && r->item == item)
			return r;
	}
	return NULL;
}

static int64_t zero_clock(void *ctx)
{
	(void)ctx;
	return 0;
}

/* Replays the loaded responses; fills the change's new score (and each
 * response's new_points) or its error.  Returns -1 only when memory runs
 * out. */
static int rescore(struct rg *g, report_regrade_change *c, uint64_t seed, bool exam,
                   engine_scores *sc)
{
	engine_options opts = {.seed = seed,
	                       .mode = exam ? ENGINE_MODE_EXAM : ENGINE_MODE_PRACTICE,
	                       .clock = zero_clock};
	engine *e = engine_new(g->p, &opts);
	if (!e)
		return fail(g, "out of memory");
	for (size_t k = 0; k < g->resp_count; k++) {
		struct resp *r = &g->resp[k];
		engine_record rec = {.stage = r->stage,
		                     .shipment_id = r->shipment,
		                     .item = (int)r->item,
		                     .question_id = r->question,
		                     .raw = r->answer,
		                     .points = r->points,
		                     .time_ms = r->time_ms,
		                     .batch_count = 1};
		r->new_points = 0;
		enum engine_status st = engine_replay(e, &rec);
		if (st != ENGINE_OK) {
			char *safe = text_sanitize(r->answer, false);
			c->error = text_printf("response %zu (%s) no longer fits the pack: %s",
			                       k + 1, safe ? safe : "?", engine_status_message(st));
			free(safe);
			engine_free(e);
			return c->error ? 0 : fail(g, "out of memory");
		}
	}
	size_t n = 0;
	const engine_decision *d = engine_decisions(e, &n);
	long long sum = 0;
	for (size_t i = 0; i < n; i++) {
		struct resp *r = record_of(g, &d[i]);
		if (r) {
			r->new_points = d[i].points;
			sum += d[i].points;
		} else if (d[i].points != 0) {
			sum = LLONG_MIN;
			break;
		}
	}
	engine_scores_get(e, sc);
	engine_free(e);
	if (sum != sc->total) {
		c->error =
		        text_printf("its records do not account for the new score; left as it was");
		return c->error ? 0 : fail(g, "out of memory");
	}
	c->new_score = sc->total;
	for (size_t k = 0; k < g->resp_count; k++)
		if (g->resp[k].new_points != g->resp[k].points)
			c->responses_changed++;
	return 0;
}

static int write_attempt(struct rg *g, const report_regrade_change *c, const engine_scores *sc,
                         int64_t regrade_id)
{
	sqlite3_stmt *st = g->q[Q_SET_POINTS];
	for (size_t k = 0; k < g->resp_count; k++) {
		if (g->resp[k].new_points == g->resp[k].points)
			continue;
		sqlite3_bind_int64(st, 1, g->resp[k].id);
		sqlite3_bind_int64(st, 2, g->resp[k].new_points);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(g, "writing points");
	}
	if (strcmp(c->status, "finished") == 0) {
		char json[512];
		size_t o = 0;
		for (int i = 0; i < ENGINE_PART_COUNT && o < sizeof json; i++)
			o += (size_t)snprintf(json + o, sizeof json - o,
			                      "%s\"%s\":{\"score\":%lld,\"max\":%lld}",
			                      i ? "," : "{", engine_part_name((enum engine_part)i),
			                      sc->score[i], sc->max[i]);
		if (o + 2 > sizeof json)
			return fail(g, "stage scores too long");
		json[o++] = '}';
		json[o] = '\0';
		st = g->q[Q_SET_FINISHED];
		sqlite3_bind_text(st, 1, c->uuid, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, c->new_score);
		sqlite3_bind_int64(st, 3, c->new_max);
		sqlite3_bind_text(st, 4, json, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(g, "writing scores");
	}
	/* The reports read the points from the attempt's summary (issue 5). */
	if (c->responses_changed > 0 && store_summary_refresh(g->s, c->uuid) != SQLITE_OK)
		return db_fail(g, "writing the attempt's summary");
	st = g->q[Q_SET_PACK];
	sqlite3_bind_text(st, 1, c->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, g->p->version.text ? g->p->version.text : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, g->sha, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(g, "writing the pack version");

	st = g->q[Q_ADD_ATTEMPT];
	sqlite3_bind_int64(st, 1, regrade_id);
	sqlite3_bind_text(st, 2, c->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, g->old_sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, c->old_score);
	if (c->old_max >= 0)
		sqlite3_bind_int64(st, 5, c->old_max);
	else
		sqlite3_bind_null(st, 5);
	sqlite3_bind_int64(st, 6, c->new_score);
	if (c->new_max >= 0)
		sqlite3_bind_int64(st, 7, c->new_max);
	else
		sqlite3_bind_null(st, 7);
	sqlite3_bind_int64(st, 8, c->responses_changed);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(g, "recording the regrade");
}

static int grow(report_regrade_result *out, struct pending **pend, size_t *cap)
{
	if (out->count < *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 16;
	if (n > SIZE_MAX / sizeof(report_regrade_change))
		return -1;
	report_regrade_change *items = realloc(out->items, n * sizeof *items);
	if (!items)
		return -1;
	out->items = items;
	struct pending *p = realloc(*pend, n * sizeof *p);
	if (!p)
		return -1;
	*pend = p;
	*cap = n;
	return 0;
}

static int regrade_all(struct rg *g, report_regrade_result *out)
{
	int64_t regrade_id = 0;
	for (int i = 0; i < Q_COUNT; i++) {
		if (g->dry_run && i >= Q_SET_POINTS)
			break;
		if (sqlite3_prepare_v2(g->db, rg_sql[i], -1, &g->q[i], NULL) != SQLITE_OK)
			return db_fail(g, "preparing");
	}
	if (!g->dry_run) {
		sqlite3_stmt *st = g->q[Q_ADD_REGRADE];
		sqlite3_bind_text(st, 1, g->p->id.text, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, g->p->version.text ? g->p->version.text : "", -1,
		                  SQLITE_STATIC);
		sqlite3_bind_text(st, 3, g->sha, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(g, "recording the regrade");
		regrade_id = sqlite3_last_insert_rowid(g->db);
	}

	sqlite3_stmt *a = g->q[Q_ATTEMPTS];
	sqlite3_bind_text(a, 1, g->p->id.text, -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	/* The attempt list is read first: the responses' statement must not
	 * run while writes change the rows the list walks. */
	while ((rc = sqlite3_step(a)) == SQLITE_ROW) {
		if (grow(out, &g->pend, &cap) != 0) {
			sqlite3_reset(a);
			return fail(g, "out of memory");
		}
		report_regrade_change *c = &out->items[out->count];
		memset(c, 0, sizeof *c);
		out->count++;
		snprintf(c->uuid, sizeof c->uuid, "%s", (const char *)sqlite3_column_text(a, 0));
		c->trainee = dup_col(a, 1);
		c->status = dup_col(a, 4);
		bool finished = c->status && strcmp(c->status, "finished") == 0;
		c->old_score = finished ? sqlite3_column_int64(a, 5) : sqlite3_column_int64(a, 7);
		c->old_max = finished && sqlite3_column_type(a, 6) != SQLITE_NULL
		                     ? sqlite3_column_int64(a, 6)
		                     : -1;
		struct pending *pd = &g->pend[out->count - 1];
		pd->seed = (uint64_t)sqlite3_column_int64(a, 2);
		const char *mode = (const char *)sqlite3_column_text(a, 3);
		pd->exam = mode && strcmp(mode, "exam") == 0;
		const char *sha = (const char *)sqlite3_column_text(a, 8);
		snprintf(pd->sha, sizeof pd->sha, "%s", sha ? sha : "");
		if (!c->trainee || !c->status) {
			sqlite3_reset(a);
			return fail(g, "out of memory");
		}
	}
	sqlite3_reset(a);
	if (rc != SQLITE_DONE)
		return db_fail(g, "reading attempts");

	for (size_t i = 0; i < out->count; i++) {
		report_regrade_change *c = &out->items[i];
		snprintf(g->old_sha, sizeof g->old_sha, "%s", g->pend[i].sha);
		c->new_score = c->old_score;
		c->new_max = c->old_max;
		if (load_responses(g, c->uuid) != 0)
			return -1;
		engine_scores sc;
		if (rescore(g, c, g->pend[i].seed, g->pend[i].exam, &sc) != 0)
			return -1;
		if (c->error) {
			out->failed++;
			continue;
		}
		c->new_max = c->old_max >= 0 ? sc.total_max : -1;
		if (c->new_score != c->old_score || c->new_max != c->old_max ||
		    c->responses_changed > 0)
			out->changed++;
		if (!g->dry_run && write_attempt(g, c, &sc, regrade_id) != 0)
			return -1;
	}
	if (!g->dry_run) {
		sqlite3_stmt *st = g->q[Q_SET_COUNTS];
		sqlite3_bind_int64(st, 1, regrade_id);
		sqlite3_bind_int64(st, 2, (int64_t)out->count);
		sqlite3_bind_int64(st, 3, (int64_t)out->changed);
		sqlite3_bind_int64(st, 4, (int64_t)out->failed);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(g, "recording the regrade");
	}
	out->regrade_id = regrade_id;
	return 0;
}

int report_regrade(store *s, const pack *p, const char *pack_sha256, bool dry_run,
                   report_regrade_result *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	struct rg g = {.s = s,
	               .db = store_handle(s),
	               .p = p,
	               .sha = pack_sha256,
	               .dry_run = dry_run,
	               .err = err,
	               .errlen = errlen};
	if (!p || !p->id.text || p->is_library || !pack_sha256 || strlen(pack_sha256) != 64) {
		fail(&g, "regrade needs a loaded pack and its SHA-256");
		return -1;
	}
	/* IMMEDIATE: the scores read are the scores rewritten. */
	int rc = sqlite3_exec(g.db, dry_run ? "BEGIN" : "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		fail(&g, "cannot regrade %s: %s", store_path(s), sqlite3_errmsg(g.db));
		return -1;
	}
	int result = regrade_all(&g, out);
	for (int i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(g.q[i]);
	resp_clear(&g);
	free(g.resp);
	free(g.pend);
	if (result == 0 && !dry_run && sqlite3_exec(g.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		result = fail(&g, "cannot commit the regrade: %s", sqlite3_errmsg(g.db));
	if (!sqlite3_get_autocommit(g.db))
		sqlite3_exec(g.db, "ROLLBACK", NULL, NULL, NULL);
	if (result != 0)
		report_regrade_result_free(out);
	return result;
}

void report_regrade_result_free(report_regrade_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->count; i++) {
		free(r->items[i].trainee);
		free(r->items[i].status);
		free(r->items[i].error);
	}
	free(r->items);
	memset(r, 0, sizeof *r);
}
