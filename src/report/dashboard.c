/* dashboard.c - the live dashboard's data: each trainee's latest attempt,
 * rebuilt by replaying its records into an engine over its pack.
 *
 * The database is shared with trainers that are writing, in rollback-
 * journal mode, where a reader holding its lock blocks every writer.  So
 * a poll first asks PRAGMA data_version (no lock kept) whether anything
 * changed, and only then reads every row it needs inside one short read
 * transaction, committed before any replaying or drawing is done.  A busy
 * database is skipped until the next poll rather than waited for. */
#include "ipr-drill/report.h"
#include "ipr-drill/text.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* How long a poll waits for a writer's lock before giving up until the
 * next poll: short, so the screen stays responsive. */
#define DASH_BUSY_MS 200

static const char *const DASH_ATTEMPTS_SQL =
        "SELECT a.uuid, t.name, a.pack_id, a.group_tag, a.status, a.seed, a.mode"
        " FROM trainee t JOIN attempt a ON a.uuid = ("
        "  SELECT a2.uuid FROM attempt a2 WHERE a2.trainee_id = t.id"
        "  AND (?1 IS NULL OR a2.group_tag = ?1)"
        "  ORDER BY a2.started_at DESC, a2.uuid DESC LIMIT 1)"
        " ORDER BY t.name";

static const char *const DASH_RESPONSES_SQL =
        "SELECT stage, shipment_id, item_index, question_id, answer, points, time_ms"
        " FROM response WHERE attempt_uuid = ?1 ORDER BY seq";

struct drec {
	char *stage, *shipment, *question, *answer;
	int64_t item, points, time_ms;
};

struct dattempt {
	char uuid[STORE_UUID_SIZE];
	char *name, *pack_id, *group, *status;
	uint64_t seed;
	bool exam;
	struct drec *recs;
	size_t count, cap;
};

struct report_dash {
	store *s;
	char *group;
	report_pack_lookup lookup;
	void *lookup_ctx;
	report_dash_snapshot snap;
	bool have_version;
	int64_t data_version;
	char err[512];
};

static int dash_fail(report_dash *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int dash_fail(report_dash *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->err, sizeof d->err, fmt, ap);
	va_end(ap);
	return -1;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static char *dup_col(sqlite3_stmt *st, int c)
{
	return dup_or_null((const char *)sqlite3_column_text(st, c));
}

/* ---- freeing ---- */

static void free_attempts(struct dattempt *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < a[i].count; k++) {
			free(a[i].recs[k].stage);
			free(a[i].recs[k].shipment);
			free(a[i].recs[k].question);
			free(a[i].recs[k].answer);
		}
		free(a[i].recs);
		free(a[i].name);
		free(a[i].pack_id);
		free(a[i].group);
		free(a[i].status);
	}
	free(a);
}

static void free_rows(report_dash_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		report_dash_row *r = &rows[i];
		for (size_t k = 0; k < r->decision_count; k++) {
			free(r->decisions[k].what);
			free(r->decisions[k].given);
			free(r->decisions[k].key);
		}
		free(r->decisions);
		free(r->trainee);
		free(r->pack_id);
		free(r->group_tag);
		free(r->status);
	}
	free(rows);
}

/* ---- reading (inside the short read transaction) ---- */

/* SQLITE_OK, SQLITE_NOMEM, or the step's error code. */
static int read_all(report_dash *d, struct dattempt **out, size_t *out_n)
{
	sqlite3 *db = store_handle(d->s);
	sqlite3_stmt *a = NULL, *r = NULL;
	struct dattempt *list = NULL;
	size_t n = 0, cap = 0;
	int rc = sqlite3_prepare_v2(db, DASH_ATTEMPTS_SQL, -1, &a, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, DASH_RESPONSES_SQL, -1, &r, NULL);
	if (rc == SQLITE_OK && d->group)
		rc = sqlite3_bind_text(a, 1, d->group, -1, SQLITE_STATIC);
	while (rc == SQLITE_OK && (rc = sqlite3_step(a)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		if (n == cap) {
			size_t c = cap ? cap * 2 : 16;
			struct dattempt *g =
			        c <= SIZE_MAX / sizeof *g ? realloc(list, c * sizeof *g) : NULL;
			if (!g) {
				rc = SQLITE_NOMEM;
				break;
			}
			list = g;
			cap = c;
		}
		struct dattempt *t = &list[n++];
		memset(t, 0, sizeof *t);
		snprintf(t->uuid, sizeof t->uuid, "%s", (const char *)sqlite3_column_text(a, 0));
		t->name = dup_col(a, 1);
		t->pack_id = dup_col(a, 2);
		t->group = dup_col(a, 3);
		t->status = dup_col(a, 4);
		t->seed = (uint64_t)sqlite3_column_int64(a, 5);
		const char *mode = (const char *)sqlite3_column_text(a, 6);
		t->exam = mode && strcmp(mode, "exam") == 0;
		if (!t->name || !t->pack_id || !t->status)
			rc = SQLITE_NOMEM;
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
		struct dattempt *t = &list[i];
		sqlite3_reset(r);
		sqlite3_bind_text(r, 1, t->uuid, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(r)) == SQLITE_ROW) {
			rc = SQLITE_OK;
			if (t->count == t->cap) {
				size_t c = t->cap ? t->cap * 2 : 32;
				struct drec *g = c <= SIZE_MAX / sizeof *g
				                         ? realloc(t->recs, c * sizeof *g)
				                         : NULL;
				if (!g) {
					rc = SQLITE_NOMEM;
					break;
				}
				t->recs = g;
				t->cap = c;
			}
			struct drec *x = &t->recs[t->count++];
			x->stage = dup_col(r, 0);
			x->shipment = dup_col(r, 1);
			x->item = sqlite3_column_type(r, 2) == SQLITE_NULL
			                  ? -1
			                  : sqlite3_column_int64(r, 2);
			x->question = dup_col(r, 3);
			x->answer = dup_col(r, 4);
			x->points = sqlite3_column_int64(r, 5);
			x->time_ms = sqlite3_column_int64(r, 6);
			if (!x->stage || !x->answer) {
				rc = SQLITE_NOMEM;
				break;
			}
		}
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(a);
	sqlite3_finalize(r);
	*out = list;
	*out_n = n;
	return rc;
}

/* ---- building rows (no lock held) ---- */

/* The most decision d could have earned: the key's own answer. */
static long long best_of(const pack *p, const engine_decision *d)
{
	const pack_scoring *sc = &p->scoring;
	const pack_shipment *s = d->shipment >= 0 && (size_t)d->shipment < p->shipment_count
	                                 ? &p->shipments[d->shipment]
	                                 : NULL;
	const pack_item *it =
	        s && d->item >= 0 && (size_t)d->item < s->item_count ? &s->contents[d->item] : NULL;
	const char *ids[64];
	size_t n = 0;
	long long a, b;
	switch (d->part) {
	case ENGINE_PART_TARGETING:
		if (!s)
			return d->points;
		a = engine_score_targeting(sc, s, true);
		b = engine_score_targeting(sc, s, false);
		return a > b ? a : b;
	case ENGINE_PART_INDICATORS:
		if (!s)
			return d->points;
		for (size_t i = 0; i < s->indicator_count && n < 64; i++)
			ids[n++] = s->indicators[i].key.text;
		return engine_score_indicators(sc, s, ids, n);
	case ENGINE_PART_VERDICTS:
		return it ? engine_score_verdict(sc, it, it->verdict) : d->points;
	case ENGINE_PART_EVIDENCE:
		if (!it)
			return d->points;
		for (size_t i = 0; i < it->evidence.count && n < 64; i++)
			ids[n++] = it->evidence.items[i].text;
		return engine_score_evidence(sc, it, ids, n);
	case ENGINE_PART_ACTIONS:
		return s ? engine_score_action(sc, s, s->action.text) : d->points;
	case ENGINE_PART_QUESTIONS:
		return sc->question_correct;
	default:
		return d->points;
	}
}

static char *what_of(const pack *p, const engine_decision *d)
{
	const char *part = engine_part_name(d->part);
	if (d->question >= 0 && (size_t)d->question < p->question_count)
		return text_printf("%s %s", part, p->questions[d->question].id.text);
	if (d->shipment >= 0 && (size_t)d->shipment < p->shipment_count) {
		const char *sid = p->shipments[d->shipment].id.text;
		if (d->item >= 0)
			return text_printf("%s %s item %ld", part, sid, d->item + 1);
		return text_printf("%s %s", part, sid);
	}
	return text_printf("%s", part);
}

static int64_t zero_clock(void *ctx)
{
	(void)ctx;
	return 0;
}

static void progress_of(const engine *e, const pack *p, report_dash_row *row)
{
	switch (engine_stage(e)) {
	case ENGINE_STAGE_TARGETING: {
		long long budget = engine_budget(e);
		row->done = (int64_t)engine_budget_used(e);
		row->todo = budget >= 0 ? budget : (int64_t)p->shipment_count;
		break;
	}
	case ENGINE_STAGE_EXAMINATION:
		for (size_t s = 0; s < p->shipment_count; s++) {
			const engine_shipment_state *st = engine_shipment(e, s);
			if (!st || !st->examined)
				continue;
			row->todo += (int64_t)p->shipments[s].item_count + 1;
			for (size_t i = 0; i < p->shipments[s].item_count; i++)
				row->done += st->items[i].verdict != PACK_VERDICT_NONE;
			row->done += st->action != NULL;
		}
		break;
	case ENGINE_STAGE_QUESTIONS:
		row->todo = (int64_t)p->question_count;
		for (size_t q = 0; q < p->question_count; q++)
			row->done += engine_question(e, q)->answered;
		break;
	case ENGINE_STAGE_DEBRIEF:
		row->done = row->todo = 1;
		break;
	default:
		break;
	}
}

/* Replays t into an engine over p and fills the row's stage, progress,
 * score and decisions.  Returns -1 only when memory runs out. */
static int replay_row(const pack *p, const struct dattempt *t, report_dash_row *row)
{
	engine_options o = {.seed = t->seed,
	                    .mode = t->exam ? ENGINE_MODE_EXAM : ENGINE_MODE_PRACTICE,
	                    .clock = zero_clock};
	engine *e = engine_new(p, &o);
	if (!e)
		return -1;
	for (size_t k = 0; k < t->count; k++) {
		const struct drec *x = &t->recs[k];
		engine_record rec = {.stage = x->stage,
		                     .shipment_id = x->shipment,
		                     .item = (int)x->item,
		                     .question_id = x->question,
		                     .raw = x->answer,
		                     .points = x->points,
		                     .time_ms = x->time_ms,
		                     .batch_count = 1};
		/* A record that does not apply (a changed pack) ends the replay:
		 * the row shows what came before it. */
		if (engine_replay(e, &rec) != ENGINE_OK)
			break;
	}
	row->stage = engine_stage_name(engine_stage(e));
	row->score = engine_total(e);
	progress_of(e, p, row);
	size_t n = 0;
	const engine_decision *d = engine_decisions(e, &n);
	int rc = 0;
	if (n > 0) {
		row->decisions = calloc(n, sizeof *row->decisions);
		if (!row->decisions)
			rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		report_dash_decision *x = &row->decisions[row->decision_count++];
		x->what = what_of(p, &d[i]);
		x->given = dup_or_null(d[i].given ? d[i].given : "");
		x->key = dup_or_null(d[i].key ? d[i].key : "");
		x->points = d[i].points;
		x->best = best_of(p, &d[i]);
		x->correct = d[i].correct;
		row->best += x->best;
		if (!x->what || !x->given || !x->key)
			rc = -1;
	}
	engine_free(e);
	return rc;
}

static int build_rows(report_dash *d, const struct dattempt *list, size_t n, report_dash_row **out)
{
	*out = NULL;
	if (n == 0)
		return 0;
	report_dash_row *rows = calloc(n, sizeof *rows);
	if (!rows)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct dattempt *t = &list[i];
		report_dash_row *row = &rows[i];
		memcpy(row->uuid, t->uuid, sizeof row->uuid);
		row->trainee = strdup(t->name);
		row->pack_id = strdup(t->pack_id);
		row->group_tag = dup_or_null(t->group);
		row->status = strdup(t->status);
		row->responses = (int64_t)t->count;
		row->stage = "?";
		/* Without the pack, the stage of the last answer still says where
		 * the trainee is (names from the engine: static storage). */
		for (int s = 0; t->count && s < ENGINE_STAGE_COUNT; s++)
			if (t->recs[t->count - 1].stage &&
			    !strcmp(t->recs[t->count - 1].stage,
			            engine_stage_name((enum engine_stage)s)))
				row->stage = engine_stage_name((enum engine_stage)s);
		for (size_t k = 0; k < t->count; k++) {
			row->elapsed_ms += t->recs[k].time_ms;
			row->score += t->recs[k].points;
		}
		if (!row->trainee || !row->pack_id || !row->status ||
		    (t->group && !row->group_tag)) {
			free_rows(rows, n);
			return -1;
		}
		const pack *p = d->lookup ? d->lookup(d->lookup_ctx, t->pack_id) : NULL;
		if (p && !p->is_library) {
			row->score = 0;
			if (replay_row(p, t, row) != 0) {
				free_rows(rows, n);
				return -1;
			}
		}
	}
	*out = rows;
	return 0;
}

/* ---- the public functions ---- */

int report_dash_open(const char *path, const char *group_tag, report_pack_lookup lookup,
                     void *lookup_ctx, report_dash **out, char *err, size_t errlen)
{
	*out = NULL;
	report_dash *d = calloc(1, sizeof *d);
	if (!d || (group_tag && !(d->group = strdup(group_tag)))) {
		free(d);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (store_open(path, STORE_OPEN_READONLY, &d->s, err, errlen) != 0) {
		free(d->group);
		free(d);
		return -1;
	}
	sqlite3_busy_timeout(store_handle(d->s), DASH_BUSY_MS);
	d->lookup = lookup;
	d->lookup_ctx = lookup_ctx;
	*out = d;
	return 0;
}

static bool busy(int rc)
{
	return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

int report_dash_poll(report_dash *d, bool *changed)
{
	*changed = false;
	sqlite3 *db = store_handle(d->s);
	sqlite3_stmt *st = NULL;
	int64_t version = 0;
	int rc = sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		version = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (busy(rc))
		return 0;
	if (rc != SQLITE_OK)
		return dash_fail(d, "cannot read %s: %s", store_path(d->s), sqlite3_errmsg(db));
	if (d->have_version && version == d->data_version)
		return 0;

	struct dattempt *list = NULL;
	size_t n = 0;
	rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		rc = read_all(d, &list, &n);
		/* The lock goes before any replaying. */
		int end =
		        sqlite3_exec(db, rc == SQLITE_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = end;
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	if (busy(rc)) {
		free_attempts(list, n);
		return 0;
	}
	if (rc != SQLITE_OK) {
		free_attempts(list, n);
		return rc == SQLITE_NOMEM ? dash_fail(d, "out of memory")
		                          : dash_fail(d, "cannot read %s: %s", store_path(d->s),
		                                      sqlite3_errmsg(db));
	}
	report_dash_row *rows = NULL;
	int built = build_rows(d, list, n, &rows);
	free_attempts(list, n);
	if (built != 0)
		return dash_fail(d, "out of memory");
	free_rows(d->snap.rows, d->snap.count);
	d->snap.rows = rows;
	d->snap.count = n;
	d->snap.generation++;
	d->have_version = true;
	d->data_version = version;
	*changed = true;
	return 0;
}

const report_dash_snapshot *report_dash_snapshot_get(const report_dash *d)
{
	return &d->snap;
}

const char *report_dash_errmsg(const report_dash *d)
{
	return d ? d->err : "out of memory";
}

void report_dash_close(report_dash *d)
{
	if (!d)
		return;
	free_rows(d->snap.rows, d->snap.count);
	store_close(d->s);
	free(d->group);
	free(d);
}
