/* report_open.c - reading the filtered attempts and the packs' answer keys
 * into temporary tables that every view then queries.
 *
 * The database is read by a handful of INSERT ... SELECT statements inside
 * one read transaction, so every view sees the same moment and trainees'
 * writes wait only for that read, not for the formatting.  Temporary tables
 * live in the connection's own temp database: they work on a read-only
 * connection and vanish with it. */
#include "report_internal.h"

#include "ipr-drill/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* No statement here reads the response table: the store keeps a summary
 * of each finished attempt (table scored: each scored unit's points and
 * each settlement and verdict decision that counts, lists split), written
 * once when the attempt finishes, so a report reads tens of rows per
 * attempt rather than every keystroke's record (issue 5).  Those rows are
 * added up per trainee, pack and decision into small tables by hashing
 * (report_aggregate()), and the views' SQL reads those. */

/* Every temporary table a report builds; dropped before building them
 * again and when the report is done. */
#define DROP_TEMP_TABLES                                                                           \
	"DROP TABLE IF EXISTS temp.rep_attempt;"                                                   \
	"DROP TABLE IF EXISTS temp.rep_tgt;"                                                       \
	"DROP TABLE IF EXISTS temp.rep_ind_tc;"                                                    \
	"DROP TABLE IF EXISTS temp.rep_ind_fc;"                                                    \
	"DROP TABLE IF EXISTS temp.rep_feat_vc;"                                                   \
	"DROP TABLE IF EXISTS temp.rep_feat_cc;"                                                   \
	"DROP TABLE IF EXISTS temp.rep_by_tg;"                                                     \
	"DROP TABLE IF EXISTS temp.rep_by_vd;"                                                     \
	"DROP TABLE IF EXISTS temp.rep_weak;"                                                      \
	"DROP TABLE IF EXISTS temp.rep_item;"                                                      \
	"DROP TABLE IF EXISTS temp.rep_isum;"                                                      \
	"DROP TABLE IF EXISTS temp.key_ship;"                                                      \
	"DROP TABLE IF EXISTS temp.key_ind;"                                                       \
	"DROP TABLE IF EXISTS temp.key_item;"                                                      \
	"DROP TABLE IF EXISTS temp.key_ev;"                                                        \
	"DROP TABLE IF EXISTS temp.key_name;"

/* The tables the passes over the summaries fill (report_aggregate()):
 * each group's key, n its rows, then the figures added up. */
static const char schema_sql[] = DROP_TEMP_TABLES
        /* One row per finished attempt that passes the filter, keyed by
         * uuid: the passes over the summaries look each row's attempt up
         * by it.  total: its score over the items of its pack as given. */
        "CREATE TEMP TABLE rep_attempt(uuid TEXT PRIMARY KEY, trainee TEXT NOT NULL,"
        " organisation TEXT, country TEXT, pack_id TEXT NOT NULL, group_tag TEXT,"
        " started_at TEXT NOT NULL, score INTEGER, max_score INTEGER, pct REAL,"
        " total REAL NOT NULL DEFAULT 0) WITHOUT ROWID;"
        /* Settlements per trainee and pack against the key. */
        "CREATE TEMP TABLE rep_tgt(trainee TEXT, pack_id TEXT, hits INTEGER, misses INTEGER,"
        " false_alarms INTEGER, clear_releases INTEGER);"
        /* Settlements per shipment; flags per shipment and indicator. */
        "CREATE TEMP TABLE rep_ind_tc(pack_id TEXT, sid TEXT, examined INTEGER, n INTEGER);"
        "CREATE TEMP TABLE rep_ind_fc(pack_id TEXT, sid TEXT, ind TEXT, n INTEGER);"
        /* Verdicts per item; citations per item and feature. */
        "CREATE TEMP TABLE rep_feat_vc(pack_id TEXT, sid TEXT, idx INTEGER, v TEXT,"
        " n INTEGER);"
        "CREATE TEMP TABLE rep_feat_cc(pack_id TEXT, sid TEXT, idx INTEGER, feature TEXT,"
        " n INTEGER);"
        /* Per group or country (dim): settlements per shipment and
         * examined or not; verdicts per item and verdict. */
        "CREATE TEMP TABLE rep_by_tg(dim TEXT, g TEXT, pack_id TEXT, sid TEXT,"
        " examined INTEGER, n INTEGER);"
        "CREATE TEMP TABLE rep_by_vd(dim TEXT, g TEXT, pack_id TEXT, sid TEXT, idx INTEGER,"
        " v TEXT, n INTEGER);"
        /* Each trainee's weakest indicator and feature per pack. */
        "CREATE TEMP TABLE rep_weak(trainee TEXT, pack_id TEXT, kind TEXT, weak TEXT,"
        " PRIMARY KEY (trainee, pack_id, kind)) WITHOUT ROWID;"
        /* The items of the item analysis and their score range: a
         * shipment's targeting and action (idx -1, qid ''), an item
         * (qid ''), a question (sid '', idx -1). */
        "CREATE TEMP TABLE rep_item(pack_id TEXT, sid TEXT, idx INTEGER, qid TEXT, label TEXT,"
        " xmin REAL, xmax REAL, ord INTEGER, PRIMARY KEY (pack_id, sid, idx, qid))"
        " WITHOUT ROWID;"
        /* Per pack and item, over the attempts with points for it: their
         * number, sum x, sum x^2, sum x T (T the attempt's total), min and
         * max.  REAL: the views' arithmetic must not divide integers. */
        "CREATE TEMP TABLE rep_isum(pack_id TEXT, sid TEXT, idx INTEGER, qid TEXT, c INTEGER,"
        " sx REAL, sxx REAL, sxt REAL, lo REAL, hi REAL);"
        /* The answer keys of the packs given. */
        "CREATE TEMP TABLE key_ship(pack_id TEXT, sid TEXT, fake INTEGER,"
        " PRIMARY KEY (pack_id, sid)) WITHOUT ROWID;"
        "CREATE TEMP TABLE key_ind(pack_id TEXT, sid TEXT, ind TEXT,"
        " PRIMARY KEY (pack_id, sid, ind)) WITHOUT ROWID;"
        "CREATE TEMP TABLE key_item(pack_id TEXT, sid TEXT, idx INTEGER, fake INTEGER,"
        " product TEXT, PRIMARY KEY (pack_id, sid, idx)) WITHOUT ROWID;"
        "CREATE TEMP TABLE key_ev(pack_id TEXT, sid TEXT, idx INTEGER, feature TEXT,"
        " product TEXT, PRIMARY KEY (pack_id, sid, idx, feature)) WITHOUT ROWID;"
        "CREATE TEMP TABLE key_name(kind TEXT, id TEXT, name TEXT, PRIMARY KEY (kind, id))"
        " WITHOUT ROWID;";

static const char drop_sql[] = DROP_TEMP_TABLES;

/* ?1 pack, ?2 trainee, ?3 group, ?4 since (inclusive), ?5 until
 * (exclusive), ?6 0 all / 1 best / 2 last.  Best and last are ranked
 * from the few columns they need, and only when asked for.  Rows go in in
 * uuid order (the attempt table's own index), so the key's B-tree is
 * appended to.  The trainee view, the only one to need the time taken and
 * the part scores, reads them from the attempt table itself. */
static const char attempts_sql[] =
        "WITH f AS (SELECT a.uuid, a.trainee_id, a.pack_id, a.started_at, a.score, a.max_score"
        "  FROM attempt a JOIN trainee t ON t.id = a.trainee_id"
        "  WHERE a.status = 'finished' AND a.score IS NOT NULL"
        "  AND (?1 IS NULL OR a.pack_id = ?1) AND (?2 IS NULL OR t.name = ?2)"
        "  AND (?3 IS NULL OR a.group_tag = ?3) AND (?4 IS NULL OR a.started_at >= ?4)"
        "  AND (?5 IS NULL OR a.started_at < ?5)),"
        " keep AS (SELECT uuid FROM (SELECT uuid, row_number() OVER (PARTITION BY trainee_id,"
        "  pack_id ORDER BY CASE WHEN ?6 = 1 THEN CASE WHEN max_score > 0"
        "  THEN 1.0 * score / max_score ELSE 0 END END DESC, started_at DESC, uuid) AS rk"
        "  FROM f) WHERE rk = 1)"
        " INSERT INTO temp.rep_attempt(uuid, trainee, organisation, country, pack_id,"
        " group_tag, started_at, score, max_score, pct)"
        " SELECT a.uuid, t.name, t.organisation, t.country, a.pack_id, a.group_tag,"
        " a.started_at, a.score, a.max_score,"
        " CASE WHEN a.max_score > 0 THEN 100.0 * a.score / a.max_score END"
        " FROM attempt a JOIN trainee t ON t.id = a.trainee_id"
        " WHERE a.status = 'finished' AND a.score IS NOT NULL"
        " AND (?1 IS NULL OR a.pack_id = ?1) AND (?2 IS NULL OR t.name = ?2)"
        " AND (?3 IS NULL OR a.group_tag = ?3) AND (?4 IS NULL OR a.started_at >= ?4)"
        " AND (?5 IS NULL OR a.started_at < ?5) AND (?6 = 0 OR a.uuid IN keep)"
        " ORDER BY a.uuid";

/* The passes over the summaries, each added up by report_aggregate() when
 * a view first needs it.  They all cover the attempts of rep_attempt,
 * fixed at report_open(): finished attempts, whose summaries change only
 * when a regrade rewrites them, so reading them at different moments
 * gives the same rows.  The summary holds only the decisions that count
 * (the first of each, lists without repeats), so every row is counted.
 * FROM (each "%s") is one of two: through the summary's key (kind,
 * attempt) when the filter keeps few attempts, or the whole range of the
 * kind read when it keeps many.  A pass that starts with the attempt's
 * uuid gets the attempt's columns from report_aggregate() (by hashing,
 * cheaper than a join per row, and rows of other attempts are passed
 * over); the answer key is met afterwards, by the views, in the groups. */
static const char from_by_index[] =
        " FROM temp.rep_attempt a JOIN scored s ON s.attempt_uuid = a.uuid";
static const char from_by_scan[] =
        " FROM scored s CROSS JOIN temp.rep_attempt a ON a.uuid = s.attempt_uuid";
/* For a statement that reads only the summary and meets rep_attempt
 * itself or through report_aggregate(): the pass without the join. */
static const char from_scan_only[] = " FROM scored s";

/* clang-format off */
/* Settlements per group or country (with attempt_cols "group_tag,
 * pack_id", "country, pack_id") or pack ("pack_id"), shipment and
 * examined or not. */
static const char target_sql[] =
        "SELECT s.attempt_uuid, s.shipment_id, s.value = 'examined'%s WHERE s.kind = 'target'";
static const char ind_target_put[] = "INSERT INTO temp.rep_ind_tc VALUES (?1, ?2, ?3, ?4)";

static const char ind_flag_sql[] =
        "SELECT s.attempt_uuid, s.shipment_id, s.value%s WHERE s.kind = 'indicator'";
static const char ind_flag_put[] = "INSERT INTO temp.rep_ind_fc VALUES (?1, ?2, ?3, ?4)";

/* Verdicts per pack (or group, country), item and verdict. */
static const char verdict_sql[] =
        "SELECT s.attempt_uuid, s.shipment_id, s.item_index, s.value%s WHERE s.kind = 'verdict'";
static const char feat_verdict_put[] = "INSERT INTO temp.rep_feat_vc VALUES (?1, ?2, ?3, ?4, ?5)";
static const char feat_cite_sql[] =
        "SELECT s.attempt_uuid, s.shipment_id, s.item_index, s.value%s"
        " WHERE s.kind = 'evidence'";
static const char feat_cite_put[] = "INSERT INTO temp.rep_feat_cc VALUES (?1, ?2, ?3, ?4, ?5)";

/* Groups and countries: DIM names the grouping. */
#define BY_TARGET_PUT(DIM) "INSERT INTO temp.rep_by_tg VALUES ('" DIM "', ?1, ?2, ?3, ?4, ?5)"
#define BY_VERDICT_PUT(DIM)                                                                        \
	"INSERT INTO temp.rep_by_vd VALUES ('" DIM "', ?1, ?2, ?3, ?4, ?5, ?6)"
/* clang-format on */

/* Each attempt's total T: the sum of its points.  The summary's rows of
 * an attempt are adjacent, so this groups without sorting; the UPDATE
 * meets rep_attempt, so the pass needs no join (FROM from_scan_only). */
static const char total_sql[] =
        "UPDATE temp.rep_attempt SET total = t.t FROM (SELECT s.attempt_uuid AS u,"
        " sum(s.points) AS t%s WHERE s.kind = 'points' GROUP BY s.attempt_uuid) t"
        " WHERE rep_attempt.uuid = t.u";

/* T over only the items the attempt's pack (as given) has, for when some
 * attempt has points for an item it lacks (another version of the pack);
 * every item of a pack without a key counts. */
static const char total_kept_sql[] =
        "UPDATE temp.rep_attempt SET total = t.t FROM (SELECT s.attempt_uuid AS u,"
        " sum(s.points) AS t%s"
        " LEFT JOIN temp.rep_item it ON it.pack_id = a.pack_id"
        "  AND it.sid = coalesce(s.shipment_id, '') AND it.idx = coalesce(s.item_index, -1)"
        "  AND it.qid = coalesce(s.question_id, '')"
        " WHERE s.kind = 'points' AND (it.pack_id IS NOT NULL"
        "  OR a.pack_id NOT IN (SELECT pack_id FROM temp.rep_item))"
        " GROUP BY s.attempt_uuid) t WHERE rep_attempt.uuid = t.u";

/* True when some item scored is not an item of its pack as given. */
static const char stray_items_sql[] =
        "SELECT EXISTS (SELECT 1 FROM temp.rep_isum i WHERE NOT EXISTS (SELECT 1"
        " FROM temp.rep_item it WHERE it.pack_id = i.pack_id AND it.sid = i.sid"
        " AND it.idx = i.idx AND it.qid = i.qid))";

/* The summary holds one row per item an attempt has non-zero points for;
 * every other item of its pack scored 0 (the views count them in). */
static const char score_sql[] =
        "SELECT a.pack_id, coalesce(s.shipment_id, ''), coalesce(s.item_index, -1),"
        " coalesce(s.question_id, ''), s.points, s.points * s.points, s.points * a.total,"
        " s.points, s.points%s WHERE s.kind = 'points'";
static const char score_put[] =
        "INSERT INTO temp.rep_isum VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

/* Items of packs without a key: those seen, ranged by the scores seen. */
static const char observed_items_sql[] =
        "INSERT OR IGNORE INTO temp.rep_item(pack_id, sid, idx, qid, label, xmin, xmax, ord)"
        " SELECT pack_id, sid, idx, qid, CASE WHEN qid <> '' THEN 'question ' || qid"
        "  WHEN idx >= 0 THEN sid || ' item ' || (idx + 1)"
        "  ELSE sid || ' (targeting, action)' END, NULL, NULL, 1000000"
        " FROM temp.rep_isum WHERE pack_id NOT IN (SELECT pack_id FROM temp.rep_item)";
/* clang-format on */

int report_fail(report *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
	return -1;
}

int report_sql_fail(report *r, const char *what)
{
	return report_fail(r, "%s: %s: %s", what, store_path(r->s), sqlite3_errmsg(r->db));
}

const char *report_errmsg(const report *r)
{
	return r ? r->err : "no report";
}

int64_t report_attempt_count(const report *r)
{
	return r->attempts;
}

/* ---- the packs' keys ---- */

enum key_stmt { K_SHIP, K_IND, K_ITEM, K_EV, K_NAME, K_RANGE, K_COUNT };

static const char *const key_sql[K_COUNT] = {
        [K_SHIP] = "INSERT OR IGNORE INTO temp.key_ship VALUES (?1, ?2, ?3)",
        [K_IND] = "INSERT OR IGNORE INTO temp.key_ind VALUES (?1, ?2, ?3)",
        [K_ITEM] = "INSERT OR IGNORE INTO temp.key_item VALUES (?1, ?2, ?3, ?4, ?5)",
        [K_EV] = "INSERT OR IGNORE INTO temp.key_ev VALUES (?1, ?2, ?3, ?4, ?5)",
        [K_NAME] = "INSERT OR IGNORE INTO temp.key_name VALUES (?1, ?2, ?3)",
        [K_RANGE] = "INSERT OR IGNORE INTO temp.rep_item VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
};

struct keys {
	sqlite3_stmt *st[K_COUNT];
	int rc;
};

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Binds the values (a NULL-terminated list of "t" text / "i" integer /
 * "r" real specs) and steps st once. */
static void key_put(struct keys *k, enum key_stmt which, const char *types, ...)
{
	if (k->rc != SQLITE_OK)
		return;
	sqlite3_stmt *st = k->st[which];
	va_list ap;
	va_start(ap, types);
	for (int i = 0; types[i]; i++) {
		if (types[i] == 't')
			bind_text(st, i + 1, va_arg(ap, const char *));
		else if (types[i] == 'i')
			sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
		else
			sqlite3_bind_double(st, i + 1, va_arg(ap, double));
	}
	va_end(ap);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		k->rc = rc;
}

static long long min_ll(long long a, long long b)
{
	return a < b ? a : b;
}

static long long max_ll(long long a, long long b)
{
	return a > b ? a : b;
}

static bool item_has_evidence(const pack_item *it, const char *id)
{
	if (it->verdict != PACK_VERDICT_COUNTERFEIT)
		return false;
	for (size_t e = 0; e < it->evidence.count; e++)
		if (it->evidence.items[e].text && !strcmp(it->evidence.items[e].text, id))
			return true;
	return false;
}

/* A shipment's item score (targeting + indicators + action) ranges from
 * its worst targeting with every non-key indicator flagged to its best
 * targeting (plus the action when examining) with every key indicator. */
static void shipment_range(const pack *p, const pack_shipment *sh, long long *lo, long long *hi)
{
	const pack_scoring *sc = &p->scoring;
	size_t builtin_count;
	pack_builtin_indicators(&builtin_count);
	long long ex = engine_score_targeting(sc, sh, true);
	long long no = engine_score_targeting(sc, sh, false);
	long long action = max_ll(0, sc->action_correct);
	long long others =
	        (long long)(builtin_count + p->indicator_count) - (long long)sh->indicator_count;
	if (others < 0)
		others = 0;
	*hi = max_ll(ex + action, no) +
	      max_ll(0, sc->indicator_hit) * (long long)sh->indicator_count;
	*lo = min_ll(ex, no) + min_ll(0, sc->indicator_false) * others;
}

/* An item's score (verdict + evidence) ranges from the wrong verdict with
 * every non-evidence feature cited to the right one with all evidence. */
static void item_range(const pack *p, const pack_item *it, long long *lo, long long *hi)
{
	const pack_scoring *sc = &p->scoring;
	enum pack_verdict wrong = it->verdict == PACK_VERDICT_COUNTERFEIT
	                                  ? PACK_VERDICT_GENUINE
	                                  : PACK_VERDICT_COUNTERFEIT;
	long long right = engine_score_verdict(sc, it, it->verdict);
	long long bad = engine_score_verdict(sc, it, wrong);
	long long keyed = 0, other = 0;
	for (size_t f = 0; f < it->observed_count; f++) {
		const char *id = it->observed[f].key.text;
		if (id && item_has_evidence(it, id))
			keyed++;
		else
			other++;
	}
	*hi = max_ll(right, 0) + max_ll(0, sc->evidence_hit) * keyed;
	*lo = min_ll(bad, 0) + min_ll(0, sc->evidence_false) * other;
}

static void put_pack(struct keys *k, const pack *p, long long *ord)
{
	const char *pid = p->id.text;
	size_t nb;
	const pack_indicator *bi = pack_builtin_indicators(&nb);
	for (size_t i = 0; i < nb; i++)
		key_put(k, K_NAME, "ttt", "indicator", bi[i].id.text, bi[i].name.text);
	for (size_t i = 0; i < p->indicator_count; i++)
		key_put(k, K_NAME, "ttt", "indicator", p->indicators[i].id.text,
		        p->indicators[i].name.text);
	for (size_t b = 0; b < p->brand_count; b++) {
		const pack_brand *br = &p->brands[b];
		for (size_t q = 0; q < br->product_count; q++) {
			const pack_product *pr = &br->products[q];
			for (size_t f = 0; f < pr->feature_count; f++) {
				char id[3 * PACK_SLUG_MAX + 4];
				snprintf(id, sizeof id, "%s/%s/%s", br->id.text ? br->id.text : "",
				         pr->id.text ? pr->id.text : "",
				         pr->features[f].id.text ? pr->features[f].id.text : "");
				key_put(k, K_NAME, "ttt", "feature", id, pr->features[f].name.text);
			}
		}
	}
	for (size_t s = 0; s < p->shipment_count; s++) {
		const pack_shipment *sh = &p->shipments[s];
		const char *sid = sh->id.text;
		key_put(k, K_SHIP, "tti", pid, sid, (long long)pack_shipment_holds_counterfeit(sh));
		for (size_t i = 0; i < sh->indicator_count; i++)
			key_put(k, K_IND, "ttt", pid, sid, sh->indicators[i].key.text);
		long long lo, hi;
		shipment_range(p, sh, &lo, &hi);
		char label[PACK_SLUG_MAX * 2 + 64];
		snprintf(label, sizeof label, "%s (targeting, action)", sid);
		key_put(k, K_RANGE, "ttittrri", pid, sid, -1LL, "", label, (double)lo, (double)hi,
		        (*ord)++);
		for (size_t i = 0; i < sh->item_count; i++) {
			const pack_item *it = &sh->contents[i];
			bool fake = it->verdict == PACK_VERDICT_COUNTERFEIT;
			key_put(k, K_ITEM, "ttiit", pid, sid, (long long)i, (long long)fake,
			        it->product.text);
			for (size_t e = 0; fake && e < it->evidence.count; e++)
				key_put(k, K_EV, "ttitt", pid, sid, (long long)i,
				        it->evidence.items[e].text, it->product.text);
			item_range(p, it, &lo, &hi);
			snprintf(label, sizeof label, "%s item %zu", sid, i + 1);
			key_put(k, K_RANGE, "ttittrri", pid, sid, (long long)i, "", label,
			        (double)lo, (double)hi, (*ord)++);
		}
	}
	for (size_t q = 0; q < p->question_count; q++) {
		const pack_question *qu = &p->questions[q];
		char label[PACK_SLUG_MAX + 16];
		snprintf(label, sizeof label, "question %s", qu->id.text);
		long long hi = max_ll(0, p->scoring.question_correct);
		long long lo = min_ll(0, p->scoring.question_correct);
		key_put(k, K_RANGE, "ttittrri", pid, "", -1LL, qu->id.text, label, (double)lo,
		        (double)hi, (*ord)++);
	}
}

static int load_keys(report *r, const pack *const *packs, size_t count)
{
	struct keys k = {.rc = SQLITE_OK};
	for (int i = 0; i < K_COUNT && k.rc == SQLITE_OK; i++)
		k.rc = sqlite3_prepare_v2(r->db, key_sql[i], -1, &k.st[i], NULL);
	long long ord = 0;
	for (size_t i = 0; i < count && k.rc == SQLITE_OK; i++)
		if (packs[i] && !packs[i]->is_library && packs[i]->id.text)
			put_pack(&k, packs[i], &ord);
	int rc = k.rc;
	for (int i = 0; i < K_COUNT; i++)
		sqlite3_finalize(k.st[i]);
	return rc == SQLITE_OK ? 0 : report_sql_fail(r, "cannot read the packs' answer keys");
}

/* ---- filters ---- */

/* Checks a date given on the command line and turns it into the bound to
 * compare started_at with: since as given, until (a day, inclusive) as the
 * next day.  Returns NULL (with r->err set) for a malformed date. */
static char *date_bound(report *r, const char *opt, const char *value, bool until)
{
	sqlite3_stmt *st = NULL;
	char *out = NULL;
	size_t len = strlen(value);
	bool day = len == 10;
	int rc = sqlite3_prepare_v2(r->db,
	                            "SELECT CASE WHEN ?2 THEN date(?1, '+1 day')"
	                            " ELSE strftime('%Y-%m-%dT%H:%M:%fZ', ?1) END,"
	                            " date(?1) IS NOT NULL AND (NOT ?2 OR date(?1) = ?1)",
	                            -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, day);
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW && sqlite3_column_int(st, 1) && sqlite3_column_text(st, 0)) {
		const char *v = until || !day ? (const char *)sqlite3_column_text(st, 0) : value;
		out = strdup(v);
		if (!out)
			report_fail(r, "out of memory");
		else if (until && !day) {
			/* A time: inclusive, so the bound moves past it. */
			char *next = realloc(out, strlen(out) + 2);
			if (!next) {
				free(out);
				out = NULL;
				report_fail(r, "out of memory");
			} else {
				out = next;
				strcat(out, "~");
			}
		}
	} else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		char *safe = text_sanitize(value, false);
		report_fail(r, "%s: '%s' is not a date; give YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
		            opt, safe ? safe : "?");
		free(safe);
	} else {
		report_sql_fail(r, "cannot check the date");
	}
	sqlite3_finalize(st);
	return out;
}

static const char *nonempty(const char *s)
{
	return s && s[0] ? s : NULL;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

double report_timer_start(void)
{
	return getenv("IPR_DRILL_REPORT_TIMING") ? now_ms() : -1;
}

void report_timer_done(double start, const char *what)
{
	if (start >= 0)
		fprintf(stderr, "report: %-45s %8.1f ms\n", what, now_ms() - start);
}

static int exec(report *r, const char *sql, const char *what)
{
	double t0 = report_timer_start();
	int rc = sqlite3_exec(r->db, sql, NULL, NULL, NULL);
	report_timer_done(t0, what);
	return rc == SQLITE_OK ? 0 : report_sql_fail(r, what);
}

/* The derived tables, built when a view first needs them: a report of
 * one view pays for that view only.  A step is a statement (with "%s"
 * for the FROM clause when from is set), or with keys set a pass added up
 * by report_aggregate() into put. */
enum step_from { FROM_NONE, FROM_JOIN, FROM_OWN_JOIN };

static const struct {
	unsigned need;
	enum step_from from; /* FROM_OWN_JOIN: the statement meets rep_attempt itself */
	const char *sql, *what;
	const char *attempt_cols; /* report_aggregate()'s */
	int keys;
	const char *ops, *put;
} steps[] = {
        {REPORT_NEED_SCORE, FROM_OWN_JOIN, total_sql, "cannot add up the attempts' scores", NULL, 0,
         NULL, NULL},
        {REPORT_NEED_SCORE, FROM_JOIN, score_sql, "cannot score the items", NULL, 4, "sss<>",
         score_put},
        {REPORT_NEED_SCORE, FROM_NONE, observed_items_sql, "cannot list the items", NULL, 0, NULL,
         NULL},
        {REPORT_NEED_INDICATOR, FROM_OWN_JOIN, target_sql, "cannot read the targeting", "pack_id",
         3, "", ind_target_put},
        {REPORT_NEED_INDICATOR, FROM_OWN_JOIN, ind_flag_sql, "cannot read the indicators flagged",
         "pack_id", 3, "", ind_flag_put},
        {REPORT_NEED_FEATURE, FROM_OWN_JOIN, verdict_sql, "cannot read the verdicts", "pack_id", 4,
         "", feat_verdict_put},
        {REPORT_NEED_FEATURE, FROM_OWN_JOIN, feat_cite_sql, "cannot read the evidence cited",
         "pack_id", 4, "", feat_cite_put},
        {REPORT_NEED_GROUP, FROM_OWN_JOIN, target_sql, "cannot read the groups' targeting",
         "group_tag, pack_id", 3, "", BY_TARGET_PUT("group")},
        {REPORT_NEED_GROUP, FROM_OWN_JOIN, verdict_sql, "cannot read the groups' verdicts",
         "group_tag, pack_id", 4, "", BY_VERDICT_PUT("group")},
        {REPORT_NEED_COUNTRY, FROM_OWN_JOIN, target_sql, "cannot read the countries' targeting",
         "country, pack_id", 3, "", BY_TARGET_PUT("country")},
        {REPORT_NEED_COUNTRY, FROM_OWN_JOIN, verdict_sql, "cannot read the countries' verdicts",
         "country, pack_id", 4, "", BY_VERDICT_PUT("country")},
};

static int run_step(report *r, size_t i)
{
	const char *sql = steps[i].sql;
	char *full = NULL;
	if (steps[i].from != FROM_NONE) {
		const char *from = steps[i].from == FROM_OWN_JOIN && r->from == from_by_scan
		                           ? from_scan_only
		                           : r->from;
		/* Both FROM clauses are constants of this file. */
		if (!(full = sqlite3_mprintf(sql, from)))
			return report_fail(r, "out of memory");
		sql = full;
	}
	report_print_plan(r, sql);
	int rc;
	if (steps[i].keys > 0) {
		double t0 = report_timer_start();
		rc = report_aggregate(r, sql, steps[i].attempt_cols, steps[i].keys, steps[i].ops,
		                      steps[i].put);
		report_timer_done(t0, steps[i].what);
	} else {
		rc = exec(r, sql, steps[i].what);
	}
	sqlite3_free(full);
	return rc;
}

/* The item scores are added up with each attempt's total of all its
 * points; when some attempt has points for an item its pack as given
 * lacks, the totals are taken again over the pack's items only and the
 * sums redone (rare; the figures are exact either way). */
static int redo_scores_if_stray(report *r)
{
	sqlite3_stmt *st = NULL;
	bool stray = false;
	int rc = sqlite3_prepare_v2(r->db, stray_items_sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		stray = sqlite3_column_int(st, 0) != 0;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return report_sql_fail(r, "cannot check the items");
	if (!stray)
		return 0;
	char *total = sqlite3_mprintf(total_kept_sql, r->from);
	char *score = sqlite3_mprintf(score_sql, r->from);
	int result = -1;
	if (!total || !score)
		report_fail(r, "out of memory");
	else if (exec(r, "DELETE FROM temp.rep_isum", "cannot score the items") == 0 &&
	         exec(r, total, "cannot add up the attempts' scores") == 0)
		result = report_aggregate(r, score, NULL, 4, "sss<>", score_put);
	sqlite3_free(total);
	sqlite3_free(score);
	return result;
}

/* Runs a pass counted in C (report_scan.c), timed as the steps are. */
static int timed(report *r, int (*pass)(report *), const char *what)
{
	double t0 = report_timer_start();
	int rc = pass(r);
	report_timer_done(t0, what);
	return rc;
}

int report_need(report *r, unsigned need)
{
	unsigned missing = need & ~r->built;
	for (size_t i = 0; missing && i < sizeof steps / sizeof steps[0]; i++)
		if ((steps[i].need & missing) && run_step(r, i) != 0)
			return -1;
	if ((missing & REPORT_NEED_SCORE) && redo_scores_if_stray(r) != 0)
		return -1;
	if ((missing & REPORT_NEED_TARGETING) && timed(r, report_targeting, "targeting") != 0)
		return -1;
	if (missing & REPORT_NEED_WEAK) {
		/* The trainee view reads the attempts per trainee and pack. */
		if (exec(r,
		         "CREATE INDEX temp.rep_attempt_by_trainee ON rep_attempt(trainee, pack_id,"
		         " started_at, uuid)",
		         "cannot sort the attempts") != 0)
			return -1;
		if (timed(r, report_weakest, "weakest indicators and features") != 0)
			return -1;
	}
	r->built |= need;
	return 0;
}

/* True when the filter keeps a large share of the attempts: then one pass
 * over the summary beats a key lookup per attempt. */
static int scan_whole_table(report *r, bool *scan)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(r->db, "SELECT count(*) FROM attempt", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*scan = r->attempts * 4 >= sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : report_sql_fail(r, "cannot count the attempts");
}

static int read_attempts(report *r, const report_filter *f, const char *since, const char *until)
{
	double t0 = report_timer_start();
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(r->db, attempts_sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		bind_text(st, 1, f ? nonempty(f->pack_id) : NULL);
		bind_text(st, 2, f ? nonempty(f->trainee) : NULL);
		bind_text(st, 3, f ? nonempty(f->group) : NULL);
		bind_text(st, 4, since);
		bind_text(st, 5, until);
		sqlite3_bind_int(st, 6, f ? (int)f->attempts : 0);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return report_sql_fail(r, "cannot read the attempts");
	r->attempts = sqlite3_changes64(r->db);
	report_timer_done(t0, "the attempts");
	return 0;
}

static int fill(report *r, const pack *const *packs, size_t pack_count, const report_filter *f)
{
	char *since = NULL, *until = NULL;
	int rc = -1;
	if (f && nonempty(f->since) && !(since = date_bound(r, "--since", f->since, false)))
		goto out;
	if (f && nonempty(f->until) && !(until = date_bound(r, "--until", f->until, true)))
		goto out;
	if (exec(r, schema_sql, "cannot prepare the report's tables") != 0)
		goto out;
	double t0 = report_timer_start();
	if (load_keys(r, packs, pack_count) != 0)
		goto out;
	report_timer_done(t0, "the answer keys");
	/* One read transaction: every table below comes from the same moment. */
	if (exec(r, "BEGIN", "cannot read the results database") != 0)
		goto out;
	bool scan = false;
	if (read_attempts(r, f, since, until) == 0 && scan_whole_table(r, &scan) == 0) {
		r->from = scan ? from_by_scan : from_by_index;
		r->scan = scan;
		rc = 0;
	}
	if (rc == 0)
		rc = exec(r, "COMMIT", "cannot finish reading the results database");
	else
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
out:
	free(since);
	free(until);
	return rc;
}

int report_open(store *s, const pack *const *packs, size_t pack_count, const report_filter *f,
                report **out, char *err, size_t errlen)
{
	*out = NULL;
	report *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->s = s;
	r->db = store_handle(s);
	if (report_stats_register(r->db) != SQLITE_OK || fill(r, packs, pack_count, f) != 0) {
		if (!r->err[0])
			report_sql_fail(r, "cannot prepare the report");
		snprintf(err, errlen, "%s", r->err);
		report_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

void report_close(report *r)
{
	if (!r)
		return;
	sqlite3_exec(r->db, drop_sql, NULL, NULL, NULL);
	free(r);
}
