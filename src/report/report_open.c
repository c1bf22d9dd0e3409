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
 * each settlement and verdict decision, lists split), written once when
 * the attempt finishes, so a report reads tens of rows per attempt rather
 * than every keystroke's record (issue 5). */

/* Every temporary table a report builds; dropped before building them
 * again and when the report is done. */
#define DROP_TEMP_TABLES                                                                           \
	"DROP TABLE IF EXISTS temp.rep_attempt;"                                                   \
	"DROP TABLE IF EXISTS temp.rep_target;"                                                    \
	"DROP TABLE IF EXISTS temp.rep_flag;"                                                      \
	"DROP TABLE IF EXISTS temp.rep_verdict;"                                                   \
	"DROP TABLE IF EXISTS temp.rep_cite;"                                                      \
	"DROP TABLE IF EXISTS temp.rep_item;"                                                      \
	"DROP TABLE IF EXISTS temp.rep_score;"                                                     \
	"DROP TABLE IF EXISTS temp.key_ship;"                                                      \
	"DROP TABLE IF EXISTS temp.key_ind;"                                                       \
	"DROP TABLE IF EXISTS temp.key_item;"                                                      \
	"DROP TABLE IF EXISTS temp.key_ev;"                                                        \
	"DROP TABLE IF EXISTS temp.key_name;"                                                      \
	"DROP TABLE IF EXISTS temp.rep_weak;"

static const char schema_sql[] = DROP_TEMP_TABLES
        /* One row per finished attempt that passes the filter. */
        "CREATE TEMP TABLE rep_attempt(n INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
        " trainee TEXT NOT NULL, organisation TEXT, country TEXT, pack_id TEXT NOT NULL,"
        " group_tag TEXT, started_at TEXT NOT NULL, score INTEGER, max_score INTEGER,"
        " pct REAL, stage_scores TEXT, time_ms INTEGER);"
        "CREATE TEMP TABLE rep_target(a INTEGER, sid TEXT, examined INTEGER,"
        " PRIMARY KEY (a, sid)) WITHOUT ROWID;"
        "CREATE TEMP TABLE rep_flag(a INTEGER, sid TEXT, ind TEXT,"
        " PRIMARY KEY (a, sid, ind)) WITHOUT ROWID;"
        "CREATE TEMP TABLE rep_verdict(a INTEGER, sid TEXT, idx INTEGER, v TEXT,"
        " PRIMARY KEY (a, sid, idx)) WITHOUT ROWID;"
        "CREATE TEMP TABLE rep_cite(a INTEGER, sid TEXT, idx INTEGER, feature TEXT,"
        " PRIMARY KEY (a, sid, idx, feature)) WITHOUT ROWID;"
        /* The items of the item analysis and their score range. */
        "CREATE TEMP TABLE rep_item(pack_id TEXT, ik TEXT, label TEXT, xmin REAL, xmax REAL,"
        " ord INTEGER, PRIMARY KEY (pack_id, ik)) WITHOUT ROWID;"
        /* Without a key: the summary holds one row per attempt and item,
         * and appending is twice as fast as keeping an index. */
        "CREATE TEMP TABLE rep_score(a INTEGER, ik TEXT, x REAL);"
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
        " WITHOUT ROWID;"
        /* Each trainee's weakest indicator and feature per pack. */
        "CREATE TEMP TABLE rep_weak(trainee TEXT, pack_id TEXT, kind TEXT, weak TEXT,"
        " PRIMARY KEY (trainee, pack_id, kind)) WITHOUT ROWID;";

static const char drop_sql[] = DROP_TEMP_TABLES;

/* ?1 pack, ?2 trainee, ?3 group, ?4 since (inclusive), ?5 until
 * (exclusive), ?6 0 all / 1 best / 2 last. */
static const char attempts_sql[] =
        "INSERT INTO temp.rep_attempt(uuid, trainee, organisation, country, pack_id,"
        " group_tag, started_at, score, max_score, pct, stage_scores)"
        " SELECT uuid, name, organisation, country, pack_id, group_tag, started_at, score,"
        " max_score, pct, stage_scores FROM ("
        "  SELECT a.uuid, t.name, t.organisation, t.country, a.pack_id, a.group_tag,"
        "  a.started_at, a.score, a.max_score,"
        "  CASE WHEN a.max_score > 0 THEN 100.0 * a.score / a.max_score END AS pct,"
        "  a.stage_scores,"
        "  row_number() OVER (PARTITION BY a.trainee_id, a.pack_id ORDER BY"
        "   CASE WHEN a.max_score > 0 THEN 1.0 * a.score / a.max_score ELSE 0 END DESC,"
        "   a.started_at DESC, a.uuid) AS best_rank,"
        "  row_number() OVER (PARTITION BY a.trainee_id, a.pack_id ORDER BY"
        "   a.started_at DESC, a.uuid) AS last_rank"
        "  FROM attempt a JOIN trainee t ON t.id = a.trainee_id"
        "  WHERE a.status = 'finished' AND a.score IS NOT NULL"
        "  AND (?1 IS NULL OR a.pack_id = ?1) AND (?2 IS NULL OR t.name = ?2)"
        "  AND (?3 IS NULL OR a.group_tag = ?3) AND (?4 IS NULL OR a.started_at >= ?4)"
        "  AND (?5 IS NULL OR a.started_at < ?5))"
        " WHERE ?6 = 0 OR (?6 = 1 AND best_rank = 1) OR (?6 = 2 AND last_rank = 1)"
        " ORDER BY name, pack_id, started_at, uuid";

/* The derived tables are read from the attempts' summaries, each by one
 * statement, when a view first needs them.  They all cover the attempts
 * of rep_attempt, fixed at report_open(): finished attempts, whose
 * summaries change only when a regrade rewrites them, so reading them at
 * different moments gives the same rows.  FROM (the "%s" of each
 * statement) is one of two joins: through the summary's key (kind,
 * attempt) when the filter keeps few attempts, or one pass over the range
 * of the kind read (attempts found through rep_attempt's index) when it
 * keeps many.  Either way the rows of an attempt come in the order of its
 * responses, so where a doctored file holds two records for one decision
 * the first counts, as the trainer's replay does. */
static const char from_by_index[] =
        " FROM temp.rep_attempt a JOIN scored s ON s.attempt_uuid = a.uuid";
static const char from_by_scan[] =
        " FROM scored s CROSS JOIN temp.rep_attempt a ON a.uuid = s.attempt_uuid";

/* Time taken, as Moodle's quiz reports count it: from the start of the
 * attempt to its end (a resumed attempt includes the pause). */
static const char time_sql[] =
        "UPDATE temp.rep_attempt SET time_ms = (SELECT CAST(round((julianday(x.ended_at)"
        " - julianday(x.started_at)) * 86400000) AS INTEGER) FROM attempt x"
        " WHERE x.uuid = rep_attempt.uuid)";

/* clang-format off */
static const char target_sql[] =
        "INSERT OR IGNORE INTO temp.rep_target(a, sid, examined)"
        " SELECT a.n, s.shipment_id, s.value = 'examined'%s WHERE s.kind = 'target'";

static const char flag_sql[] =
        "INSERT OR IGNORE INTO temp.rep_flag(a, sid, ind)"
        " SELECT a.n, s.shipment_id, s.value%s WHERE s.kind = 'indicator'";

static const char verdict_sql[] =
        "INSERT OR IGNORE INTO temp.rep_verdict(a, sid, idx, v)"
        " SELECT a.n, s.shipment_id, s.item_index, s.value%s WHERE s.kind = 'verdict'";

static const char cite_sql[] =
        "INSERT OR IGNORE INTO temp.rep_cite(a, sid, idx, feature)"
        " SELECT a.n, s.shipment_id, s.item_index, s.value%s WHERE s.kind = 'evidence'";

/* Each attempt's score per item: the item key ik is 's:SHIPMENT',
 * 'i:SHIPMENT#ITEM' or 'q:QUESTION'; the summary holds one row per item
 * an attempt has non-zero points for. */
static const char score_sql[] =
        "INSERT INTO temp.rep_score(a, ik, x)"
        " SELECT a.n, CASE WHEN s.question_id IS NOT NULL THEN 'q:' || s.question_id"
        "  WHEN s.item_index IS NOT NULL THEN 'i:' || s.shipment_id || '#' || s.item_index"
        "  ELSE 's:' || s.shipment_id END, s.points%s WHERE s.kind = 'points'";

/* Items of packs without a key: those seen, ranged by the scores seen. */
static const char observed_items_sql[] =
        "INSERT OR IGNORE INTO temp.rep_item(pack_id, ik, label, xmin, xmax, ord)"
        " SELECT a.pack_id, s.ik, substr(s.ik, 3), NULL, NULL, 1000000"
        " FROM temp.rep_attempt a JOIN temp.rep_score s ON s.a = a.n"
        " WHERE a.pack_id NOT IN (SELECT pack_id FROM temp.rep_item) GROUP BY a.pack_id, s.ik";

/* Scores for ids the pack does not have (another version of it) go.
 * Cheaper as one pass after the insert than as a lookup in it. */
static const char score_prune_sql[] =
        "DELETE FROM temp.rep_score WHERE NOT EXISTS (SELECT 1 FROM temp.rep_attempt a"
        " JOIN temp.rep_item it ON it.pack_id = a.pack_id"
        " WHERE a.n = rep_score.a AND it.ik = rep_score.ik)";

/* clang-format on */

/* A trainee's weakest indicator (or feature) on a pack: the lowest share
 * of opportunities taken, then the most opportunities, then by id; shown
 * as "id taken/opportunities".  src yields trainee, pack_id, id, opp, hits. */
#define WEAKEST(kind, src)                                                                         \
	"INSERT OR IGNORE INTO temp.rep_weak(trainee, pack_id, kind, weak)"                        \
	" SELECT trainee, pack_id, '" kind "', weak FROM (SELECT trainee, pack_id,"                \
	" id || ' ' || hits || '/' || opp AS weak,"                                                \
	" row_number() OVER (PARTITION BY trainee, pack_id ORDER BY 1.0 * hits / opp, opp DESC,"   \
	" id) AS rk FROM (" src ") WHERE hits < opp) WHERE rk = 1"

/* Opportunities: a key indicator of a shipment whose targeting settled. */
static const char weak_indicator_sql[] = WEAKEST(
        "indicator", "SELECT a.trainee, a.pack_id, k.ind AS id, count(*) AS opp, count(f.a) AS hits"
                     " FROM temp.rep_target t JOIN temp.rep_attempt a ON a.n = t.a"
                     " JOIN temp.key_ind k ON k.pack_id = a.pack_id AND k.sid = t.sid"
                     " LEFT JOIN temp.rep_flag f ON f.a = t.a AND f.sid = t.sid AND f.ind = k.ind"
                     " GROUP BY 1, 2, 3");

/* Opportunities: an evidence feature of an item that got a verdict. */
static const char weak_feature_sql[] =
        WEAKEST("feature",
                "SELECT a.trainee, a.pack_id, e.product || '/' || e.feature AS id,"
                " count(*) AS opp, count(c.a) AS hits"
                " FROM temp.rep_verdict v JOIN temp.rep_attempt a ON a.n = v.a"
                " JOIN temp.key_ev e ON e.pack_id = a.pack_id AND e.sid = v.sid AND e.idx = v.idx"
                " LEFT JOIN temp.rep_cite c ON c.a = v.a AND c.sid = v.sid AND c.idx = v.idx"
                "  AND c.feature = e.feature GROUP BY 1, 2, 3");

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
        [K_RANGE] = "INSERT OR IGNORE INTO temp.rep_item VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
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
		char ik[PACK_SLUG_MAX * 2 + 32], label[PACK_SLUG_MAX * 2 + 64];
		snprintf(ik, sizeof ik, "s:%s", sid);
		snprintf(label, sizeof label, "%s (targeting, action)", sid);
		key_put(k, K_RANGE, "tttrri", pid, ik, label, (double)lo, (double)hi, (*ord)++);
		for (size_t i = 0; i < sh->item_count; i++) {
			const pack_item *it = &sh->contents[i];
			bool fake = it->verdict == PACK_VERDICT_COUNTERFEIT;
			key_put(k, K_ITEM, "ttiit", pid, sid, (long long)i, (long long)fake,
			        it->product.text);
			for (size_t e = 0; fake && e < it->evidence.count; e++)
				key_put(k, K_EV, "ttitt", pid, sid, (long long)i,
				        it->evidence.items[e].text, it->product.text);
			item_range(p, it, &lo, &hi);
			snprintf(ik, sizeof ik, "i:%s#%zu", sid, i);
			snprintf(label, sizeof label, "%s item %zu", sid, i + 1);
			key_put(k, K_RANGE, "tttrri", pid, ik, label, (double)lo, (double)hi,
			        (*ord)++);
		}
	}
	for (size_t q = 0; q < p->question_count; q++) {
		const pack_question *qu = &p->questions[q];
		char ik[PACK_SLUG_MAX + 8], label[PACK_SLUG_MAX + 16];
		snprintf(ik, sizeof ik, "q:%s", qu->id.text);
		snprintf(label, sizeof label, "question %s", qu->id.text);
		long long hi = max_ll(0, p->scoring.question_correct);
		long long lo = min_ll(0, p->scoring.question_correct);
		key_put(k, K_RANGE, "tttrri", pid, ik, label, (double)lo, (double)hi, (*ord)++);
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

/* IPR_DRILL_REPORT_TIMING=1 prints each step's time on stderr (for
 * bench/report-bench.sh and for finding a slow step). */
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int exec(report *r, const char *sql, const char *what)
{
	const char *timing = getenv("IPR_DRILL_REPORT_TIMING");
	double t0 = timing ? now_ms() : 0;
	int rc = sqlite3_exec(r->db, sql, NULL, NULL, NULL);
	if (timing)
		fprintf(stderr, "report: %-45s %8.1f ms\n", what, now_ms() - t0);
	return rc == SQLITE_OK ? 0 : report_sql_fail(r, what);
}

/* The derived tables, built when a view first needs them: a report of
 * one view pays for that view only.  from: the statement has a "%s" for
 * the FROM clause. */
static const struct {
	unsigned need;
	bool from;
	const char *sql, *what;
} steps[] = {
        {REPORT_NEED_TIME, false, time_sql, "cannot read the times taken"},
        {REPORT_NEED_TARGET, true, target_sql, "cannot read the targeting"},
        {REPORT_NEED_FLAG, true, flag_sql, "cannot read the indicators flagged"},
        {REPORT_NEED_VERDICT, true, verdict_sql, "cannot read the verdicts"},
        {REPORT_NEED_CITE, true, cite_sql, "cannot read the evidence cited"},
        {REPORT_NEED_WEAK, false, weak_indicator_sql, "cannot find the weakest indicators"},
        {REPORT_NEED_WEAK, false, weak_feature_sql, "cannot find the weakest features"},
        {REPORT_NEED_SCORE, true, score_sql, "cannot score the items"},
        {REPORT_NEED_SCORE, false, observed_items_sql, "cannot list the items"},
        {REPORT_NEED_SCORE, false, score_prune_sql, "cannot score the items"},
};

static int exec_from(report *r, const char *sql, const char *what)
{
	/* Both FROM clauses are constants of this file. */
	char *full = sqlite3_mprintf(sql, r->from);
	if (!full)
		return report_fail(r, "out of memory");
	int rc = exec(r, full, what);
	sqlite3_free(full);
	return rc;
}

int report_need(report *r, unsigned need)
{
	/* The weakest indicators and features come from all four tables of
	 * decisions. */
	if (need & REPORT_NEED_WEAK)
		need |= REPORT_NEED_TARGET | REPORT_NEED_FLAG | REPORT_NEED_VERDICT |
		        REPORT_NEED_CITE;
	unsigned missing = need & ~r->built;
	for (size_t i = 0; missing && i < sizeof steps / sizeof steps[0]; i++) {
		if (!(steps[i].need & missing))
			continue;
		int rc = steps[i].from ? exec_from(r, steps[i].sql, steps[i].what)
		                       : exec(r, steps[i].sql, steps[i].what);
		if (rc != 0)
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
	if (load_keys(r, packs, pack_count) != 0)
		goto out;
	/* One read transaction: every table below comes from the same moment. */
	if (exec(r, "BEGIN", "cannot read the results database") != 0)
		goto out;
	bool scan = false;
	if (read_attempts(r, f, since, until) == 0 && scan_whole_table(r, &scan) == 0) {
		r->from = scan ? from_by_scan : from_by_index;
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
