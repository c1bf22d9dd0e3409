/* report_views.c - each view as one SQL statement over the report's
 * temporary tables, and the generic table the formatters print.
 *
 * Statistics follow Moodle's quiz statistics (see docs/instructor-guide.md):
 *   item score x (per attempt, 0 when the attempt has no record for it),
 *   range [xmin, xmax] from the pack's scoring (else the scores seen);
 *   facility F = 100 (mean(x) - xmin) / (xmax - xmin);
 *   SD = 100 sqrt(V(x)) / (xmax - xmin), V the sample variance (n - 1);
 *   discrimination D = 100 r(x, T - x), T the attempt's total, r Pearson's
 *   correlation (undefined when either side has no variance);
 *   Cronbach's alpha (Moodle's CIC) = 100 k/(k-1) (1 - sum V(x_i) / V(T)).
 * Sums run in REAL: points are small integers, so the sums are exact. */
#include "report_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const names[REPORT_VIEW_COUNT] = {
        [REPORT_VIEW_TRAINEE] = "trainee",     [REPORT_VIEW_PACK] = "pack",
        [REPORT_VIEW_ITEM] = "item",           [REPORT_VIEW_TARGETING] = "targeting",
        [REPORT_VIEW_INDICATOR] = "indicator", [REPORT_VIEW_FEATURE] = "feature",
        [REPORT_VIEW_GROUP] = "group",         [REPORT_VIEW_COUNTRY] = "country",
};

static const char *const titles[REPORT_VIEW_COUNT] = {
        [REPORT_VIEW_TRAINEE] = "Trainees",
        [REPORT_VIEW_PACK] = "Packs: test statistics",
        [REPORT_VIEW_ITEM] = "Pack item analysis",
        [REPORT_VIEW_TARGETING] = "Targeting: examined or released, against the key",
        [REPORT_VIEW_INDICATOR] = "Risk indicators: recall and precision",
        [REPORT_VIEW_FEATURE] = "Product features: cited as evidence, counterfeits passed",
        [REPORT_VIEW_GROUP] = "Groups",
        [REPORT_VIEW_COUNTRY] = "Countries",
};

const char *report_view_name(enum report_view v)
{
	return (unsigned)v < REPORT_VIEW_COUNT ? names[v] : "?";
}

const char *report_view_title(enum report_view v)
{
	return (unsigned)v < REPORT_VIEW_COUNT ? titles[v] : "?";
}

bool report_view_parse(const char *name, enum report_view *out)
{
	for (int v = 0; v < REPORT_VIEW_COUNT; v++)
		if (name && !strcmp(name, names[v])) {
			*out = (enum report_view)v;
			return true;
		}
	return false;
}

/* A part's share of its maximum over the attempts, from stage_scores. */
#define PART_PCT(p)                                                                                \
	"max(CASE WHEN part = '" p "' AND mx > 0 THEN round(100.0 * sc / mx, 1) END) AS " p

/* clang-format off */
static const char trainee_sql[] =
        "WITH per AS MATERIALIZED (SELECT a.*,"
        " first_value(a.score) OVER (PARTITION BY a.trainee, a.pack_id ORDER BY a.pct DESC,"
        "  a.started_at DESC, a.n) AS best_score,"
        " first_value(a.pct) OVER (PARTITION BY a.trainee, a.pack_id ORDER BY a.pct DESC,"
        "  a.started_at DESC, a.n) AS best_pct,"
        " row_number() OVER (PARTITION BY a.trainee, a.pack_id ORDER BY a.started_at DESC,"
        "  a.n DESC) AS lr,"
        " count(*) OVER (PARTITION BY a.trainee, a.pack_id) AS cnt,"
        " avg(a.time_ms) OVER (PARTITION BY a.trainee, a.pack_id) AS mean_ms,"
        " group_concat(CAST(round(a.pct) AS INTEGER), ' ') OVER (PARTITION BY a.trainee,"
        "  a.pack_id ORDER BY a.started_at, a.n ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED"
        "  FOLLOWING) AS trend"
        " FROM temp.rep_attempt a),"
        "parts AS MATERIALIZED (SELECT a.trainee, a.pack_id, j.key AS part,"
        " sum(json_extract(j.value, '$.score')) AS sc, sum(json_extract(j.value, '$.max')) AS mx"
        " FROM temp.rep_attempt a, json_each(CASE WHEN json_valid(a.stage_scores)"
        "  THEN a.stage_scores ELSE '{}' END) j WHERE j.type = 'object' GROUP BY 1, 2, 3),"
        "pv AS MATERIALIZED (SELECT trainee, pack_id, "
        PART_PCT("targeting") ", " PART_PCT("indicators") ", " PART_PCT("verdicts") ", "
        PART_PCT("evidence") ", " PART_PCT("actions") ", " PART_PCT("questions")
        " FROM parts GROUP BY 1, 2)"
        "SELECT p.trainee AS trainee, p.organisation AS organisation, p.country AS country,"
        " p.pack_id AS pack, p.cnt AS attempts, p.best_score AS best,"
        " round(p.best_pct, 1) AS best_pct,"
        " p.score AS last, round(p.pct, 1) AS last_pct, p.max_score AS max,"
        " CASE WHEN p.mean_ms IS NOT NULL THEN printf('%d:%02d',"
        "  CAST(p.mean_ms / 60000 AS INTEGER), CAST(p.mean_ms / 1000 AS INTEGER) % 60) END"
        "  AS mean_time,"
        " pv.targeting, pv.indicators, pv.verdicts, pv.evidence, pv.actions, pv.questions,"
        " wi1.weak AS weakest_indicator, wf1.weak AS weakest_feature, p.trend AS trend"
        " FROM per p"
        " LEFT JOIN pv ON pv.trainee = p.trainee AND pv.pack_id = p.pack_id"
        " LEFT JOIN temp.rep_weak wi1 ON wi1.trainee = p.trainee AND wi1.pack_id = p.pack_id"
        "  AND wi1.kind = 'indicator'"
        " LEFT JOIN temp.rep_weak wf1 ON wf1.trainee = p.trainee AND wf1.pack_id = p.pack_id"
        "  AND wf1.kind = 'feature'"
        " WHERE p.lr = 1 ORDER BY p.trainee, p.pack_id";
/* clang-format on */

/* rep_score holds the scores an attempt has a record for; every other
 * item of its pack scored 0, so the sums over all of a pack's attempts
 * are those over the records, and the counts the pack's attempts (issue
 * 5: the zeros are never written out).  Points are integers, so the sums
 * are exact whichever way they are added up. */
#define PACK_N "pn AS (SELECT pack_id, count(*) AS n FROM temp.rep_attempt GROUP BY pack_id),"

static const char pack_sql[] =
        "WITH tot AS (SELECT s.a, sum(s.x) AS t FROM temp.rep_score s GROUP BY s.a)," PACK_N
        "pres AS (SELECT a.pack_id, s.ik, sum(s.x) AS sx, sum(s.x * s.x) AS sxx"
        " FROM temp.rep_score s JOIN temp.rep_attempt a ON a.n = s.a GROUP BY a.pack_id, s.ik),"
        "items AS (SELECT it.pack_id, it.ik, pn.n, coalesce(p.sx, 0.0) AS sx,"
        " coalesce(p.sxx, 0.0) AS sxx FROM temp.rep_item it JOIN pn ON pn.pack_id = it.pack_id"
        " LEFT JOIN pres p ON p.pack_id = it.pack_id AND p.ik = it.ik),"
        "iv AS (SELECT pack_id, count(*) AS k,"
        " sum(CASE WHEN n > 1 THEN (sxx - sx * sx / n) / (n - 1) END) AS sv"
        " FROM items GROUP BY pack_id),"
        "tv AS (SELECT a.pack_id, count(*) AS n, avg(a.score) AS mean, avg(a.pct) AS mean_pct,"
        " avg(a.max_score) AS mx, sum(coalesce(t.t, 0)) AS st,"
        " sum(coalesce(t.t, 0) * coalesce(t.t, 0)) AS stt, min(a.pct) AS lo, max(a.pct) AS hi"
        " FROM temp.rep_attempt a LEFT JOIN tot t ON t.a = a.n GROUP BY a.pack_id),"
        "st AS (SELECT tv.*, coalesce(iv.k, 0) AS k, iv.sv,"
        " CASE WHEN tv.n > 1 THEN max((stt - st * st / n) / (n - 1), 0) END AS vt"
        " FROM tv LEFT JOIN iv ON iv.pack_id = tv.pack_id),"
        "al AS (SELECT st.*, CASE WHEN k > 1 AND vt > 0 THEN 100.0 * k / (k - 1) * (1 - sv / vt)"
        " END AS cic FROM st)"
        "SELECT pack_id AS pack, n AS attempts, k AS items, round(mean, 2) AS mean,"
        " round(mx, 1) AS max, round(mean_pct, 1) AS mean_pct,"
        " CASE WHEN vt IS NOT NULL AND mx > 0 THEN round(100.0 * sqrt(vt) / mx, 1) END"
        "  AS sd_pct,"
        " round(lo, 1) AS lowest_pct, round(hi, 1) AS highest_pct, round(cic, 1) AS alpha,"
        " CASE WHEN cic <= 100 THEN round(100.0 * sqrt(1 - cic / 100), 1) END AS error_ratio,"
        " CASE WHEN cic <= 100 AND mx > 0 THEN round(sqrt(1 - cic / 100) * 100.0 * sqrt(vt) / mx,"
        "  1) END AS standard_error"
        " FROM al ORDER BY pack_id";

/* With y = T - x: sum y = sum T - sum x, sum y^2 = sum T^2 - 2 sum xT +
 * sum x^2, sum xy = sum xT - sum x^2, over the pack's attempts. */
static const char item_sql[] =
        "WITH tot AS (SELECT s.a, sum(s.x) AS t FROM temp.rep_score s GROUP BY s.a),"
        "pt AS (SELECT a.pack_id, count(*) AS n, sum(coalesce(tot.t, 0.0)) AS st,"
        " sum(coalesce(tot.t, 0.0) * coalesce(tot.t, 0.0)) AS stt"
        " FROM temp.rep_attempt a LEFT JOIN tot ON tot.a = a.n GROUP BY a.pack_id),"
        "pres AS (SELECT a.pack_id, s.ik, count(*) AS c, sum(s.x) AS sx, sum(s.x * s.x) AS sxx,"
        " sum(s.x * tot.t) AS sxt, min(s.x) AS lo, max(s.x) AS hi"
        " FROM temp.rep_score s JOIN tot ON tot.a = s.a JOIN temp.rep_attempt a ON a.n = s.a"
        " GROUP BY a.pack_id, s.ik),"
        "agg AS (SELECT it.pack_id, it.ik, pt.n, coalesce(p.sx, 0.0) AS sx,"
        " coalesce(p.sxx, 0.0) AS sxx, pt.st - coalesce(p.sx, 0.0) AS sy,"
        " pt.stt - 2 * coalesce(p.sxt, 0.0) + coalesce(p.sxx, 0.0) AS syy,"
        " coalesce(p.sxt, 0.0) - coalesce(p.sxx, 0.0) AS sxy,"
        " CASE WHEN coalesce(p.c, 0) < pt.n THEN min(coalesce(p.lo, 0.0), 0.0) ELSE p.lo END"
        "  AS lo,"
        " CASE WHEN coalesce(p.c, 0) < pt.n THEN max(coalesce(p.hi, 0.0), 0.0) ELSE p.hi END"
        "  AS hi"
        " FROM temp.rep_item it JOIN pt ON pt.pack_id = it.pack_id"
        " LEFT JOIN pres p ON p.pack_id = it.pack_id AND p.ik = it.ik),"
        "st AS (SELECT agg.*, it.label, it.ord, coalesce(it.xmin, lo) AS xmin,"
        " coalesce(it.xmax, hi) AS xmax,"
        " CASE WHEN n > 1 THEN max((sxx - sx * sx / n) / (n - 1), 0) END AS vx,"
        " n * sxx - sx * sx AS dx, n * syy - sy * sy AS dy, n * sxy - sx * sy AS cxy"
        " FROM agg JOIN temp.rep_item it ON it.pack_id = agg.pack_id AND it.ik = agg.ik),"
        "fd AS (SELECT st.*,"
        " CASE WHEN xmax > xmin THEN 100.0 * (sx / n - xmin) / (xmax - xmin) END AS f,"
        " CASE WHEN n > 1 AND dx > 0 AND dy > 0 THEN 100.0 * cxy / sqrt(dx * dy) END AS d"
        " FROM st)"
        "SELECT pack_id AS pack, label AS item, n AS attempts, round(sx / n, 2) AS mean,"
        " xmin AS min, xmax AS max, round(f, 1) AS facility,"
        " CASE WHEN xmax > xmin AND vx IS NOT NULL THEN round(100.0 * sqrt(vx) / (xmax - xmin),"
        "  1) END AS sd,"
        " round(d, 1) AS discrimination,"
        " CASE WHEN n < 2 THEN 'too few attempts'"
        "  WHEN dx <= 0 THEN 'no variance: everyone scored the same'"
        "  WHEN d IS NULL THEN 'rest of the test has no variance'"
        "  WHEN d < 0 THEN 'REVIEW: negative discrimination'"
        "  WHEN d < 20 THEN 'review: low discrimination'"
        "  WHEN f >= 95 THEN 'very easy' WHEN f <= 5 THEN 'very hard' ELSE '' END AS review"
        " FROM fd ORDER BY pack_id, ord, ik";

static const char targeting_sql[] =
        "WITH m AS (SELECT a.trainee AS trainee,"
        " sum(t.examined AND k.fake) AS hits, sum(NOT t.examined AND k.fake) AS misses,"
        " sum(t.examined AND NOT k.fake) AS false_alarms,"
        " sum(NOT t.examined AND NOT k.fake) AS clear_releases"
        " FROM temp.rep_target t JOIN temp.rep_attempt a ON a.n = t.a"
        " JOIN temp.key_ship k ON k.pack_id = a.pack_id AND k.sid = t.sid GROUP BY a.trainee),"
        "u AS (SELECT 0 AS o, * FROM m UNION ALL"
        " SELECT 1, '(all)', sum(hits), sum(misses), sum(false_alarms), sum(clear_releases)"
        " FROM m HAVING count(*) > 0)"
        "SELECT trainee, hits, misses, false_alarms, clear_releases,"
        " hits + misses + false_alarms + clear_releases AS shipments,"
        " CASE WHEN hits + misses > 0 THEN round(100.0 * hits / (hits + misses), 1) END"
        "  AS hit_rate,"
        " CASE WHEN hits + false_alarms > 0 THEN round(100.0 * hits / (hits + false_alarms), 1)"
        "  END AS precision,"
        " CASE WHEN hits + misses + false_alarms + clear_releases > 0 THEN round(100.0 * (hits"
        "  + clear_releases) / (hits + misses + false_alarms + clear_releases), 1) END"
        "  AS accuracy"
        " FROM u ORDER BY o, trainee";

/* The indicator and feature views count decisions per shipment or item
 * first and meet the key with those counts: tens of rows per pack rather
 * than one per decision. */
static const char indicator_sql[] =
        "WITH tc AS (SELECT a.pack_id, t.sid, count(*) AS n FROM temp.rep_target t"
        " JOIN temp.rep_attempt a ON a.n = t.a GROUP BY 1, 2),"
        "fc AS (SELECT a.pack_id, f.sid, f.ind, count(*) AS n FROM temp.rep_flag f"
        " JOIN temp.rep_attempt a ON a.n = f.a WHERE EXISTS (SELECT 1 FROM temp.rep_target t"
        "  WHERE t.a = f.a AND t.sid = f.sid) GROUP BY 1, 2, 3),"
        "c AS (SELECT k.ind AS ind, sum(tc.n) AS in_key, 0 AS flagged, 0 AS hits FROM tc"
        " JOIN temp.key_ship s ON s.pack_id = tc.pack_id AND s.sid = tc.sid"
        " JOIN temp.key_ind k ON k.pack_id = tc.pack_id AND k.sid = tc.sid GROUP BY k.ind"
        " UNION ALL SELECT fc.ind, 0, sum(fc.n), sum(CASE WHEN k.ind IS NOT NULL THEN fc.n"
        "  ELSE 0 END) FROM fc JOIN temp.key_ship s ON s.pack_id = fc.pack_id AND s.sid = fc.sid"
        " LEFT JOIN temp.key_ind k ON k.pack_id = fc.pack_id AND k.sid = fc.sid AND k.ind = fc.ind"
        " GROUP BY fc.ind),"
        "g AS (SELECT ind, sum(in_key) AS in_key, sum(flagged) AS flagged, sum(hits) AS hits"
        " FROM c GROUP BY ind)"
        "SELECT g.ind AS indicator, coalesce(nm.name, '') AS name, in_key, flagged, hits,"
        " in_key - hits AS missed, flagged - hits AS false_flags,"
        " CASE WHEN in_key > 0 THEN round(100.0 * hits / in_key, 1) END AS recall,"
        " CASE WHEN flagged > 0 THEN round(100.0 * hits / flagged, 1) END AS precision"
        " FROM g LEFT JOIN temp.key_name nm ON nm.kind = 'indicator' AND nm.id = g.ind"
        " ORDER BY g.ind";

/* vc: verdicts per item; cc: citations per item and feature, nv of them
 * on an item that got a verdict. */
static const char feature_sql[] =
        "WITH vc AS (SELECT a.pack_id, v.sid, v.idx, count(*) AS n,"
        " sum(v.v = 'genuine') AS genuine FROM temp.rep_verdict v"
        " JOIN temp.rep_attempt a ON a.n = v.a GROUP BY 1, 2, 3),"
        "cc AS (SELECT a.pack_id, c.sid, c.idx, c.feature, count(*) AS n,"
        " sum(EXISTS (SELECT 1 FROM temp.rep_verdict v WHERE v.a = c.a AND v.sid = c.sid"
        "  AND v.idx = c.idx)) AS nv FROM temp.rep_cite c JOIN temp.rep_attempt a ON a.n = c.a"
        " GROUP BY 1, 2, 3, 4),"
        "c AS (SELECT e.product || '/' || e.feature AS id, sum(vc.n) AS evidence,"
        " sum(coalesce(cc.nv, 0)) AS cited, sum(vc.genuine) AS passed_genuine, 0 AS false_cites"
        " FROM temp.key_ev e JOIN vc ON vc.pack_id = e.pack_id AND vc.sid = e.sid"
        "  AND vc.idx = e.idx"
        " LEFT JOIN cc ON cc.pack_id = e.pack_id AND cc.sid = e.sid AND cc.idx = e.idx"
        "  AND cc.feature = e.feature GROUP BY 1"
        " UNION ALL SELECT k.product || '/' || cc.feature, 0, 0, 0, sum(cc.n) FROM cc"
        " JOIN temp.key_item k ON k.pack_id = cc.pack_id AND k.sid = cc.sid AND k.idx = cc.idx"
        " WHERE NOT EXISTS (SELECT 1 FROM temp.key_ev e WHERE e.pack_id = cc.pack_id"
        "  AND e.sid = cc.sid AND e.idx = cc.idx AND e.feature = cc.feature)"
        " GROUP BY 1),"
        "g AS (SELECT id, sum(evidence) AS evidence, sum(cited) AS cited,"
        " sum(passed_genuine) AS passed_genuine, sum(false_cites) AS false_cites"
        " FROM c GROUP BY id)"
        "SELECT g.id AS feature, coalesce(nm.name, '') AS name, evidence, cited,"
        " CASE WHEN evidence > 0 THEN round(100.0 * cited / evidence, 1) END AS cited_pct,"
        " passed_genuine,"
        " CASE WHEN evidence > 0 THEN round(100.0 * passed_genuine / evidence, 1) END"
        "  AS passed_pct, false_cites"
        " FROM g LEFT JOIN temp.key_name nm ON nm.kind = 'feature' AND nm.id = g.id"
        " ORDER BY g.id";

/* Groups and countries share one statement; KEY is the grouping column,
 * LABEL the output column's name. */
#define BY_SQL(KEY, LABEL)                                                                         \
	"WITH s AS (SELECT " KEY " AS g, count(DISTINCT a.trainee) AS trainees,"                   \
	" count(*) AS n, avg(a.pct) AS m, sum(a.pct) AS sp, sum(a.pct * a.pct) AS spp,"            \
	" count(a.pct) AS np, max(a.pct) AS best FROM temp.rep_attempt a GROUP BY 1),"             \
	"tg AS (SELECT " KEY " AS g, sum(t.examined AND k.fake) AS hits, sum(k.fake) AS fakes"     \
	" FROM temp.rep_target t JOIN temp.rep_attempt a ON a.n = t.a"                             \
	" JOIN temp.key_ship k ON k.pack_id = a.pack_id AND k.sid = t.sid GROUP BY 1),"            \
	"vd AS (SELECT " KEY " AS g, sum((v.v = 'counterfeit') = (k.fake = 1)) AS good,"           \
	" count(*) AS given FROM temp.rep_verdict v JOIN temp.rep_attempt a ON a.n = v.a"          \
	" JOIN temp.key_item k ON k.pack_id = a.pack_id AND k.sid = v.sid AND k.idx = v.idx"       \
	" GROUP BY 1)"                                                                             \
	"SELECT coalesce(s.g, '(none)') AS " LABEL ", s.trainees, s.n AS attempts,"                \
	" round(s.m, 1) AS mean_pct,"                                                              \
	" CASE WHEN np > 1 THEN round(sqrt(max((spp - sp * sp / np) / (np - 1), 0)), 1) END"       \
	"  AS sd_pct,"                                                                             \
	" round(s.best, 1) AS best_pct,"                                                           \
	" CASE WHEN tg.fakes > 0 THEN round(100.0 * tg.hits / tg.fakes, 1) END AS hit_rate,"       \
	" CASE WHEN vd.given > 0 THEN round(100.0 * vd.good / vd.given, 1) END AS verdicts_right"  \
	" FROM s LEFT JOIN tg ON tg.g IS s.g LEFT JOIN vd ON vd.g IS s.g"                          \
	" ORDER BY s.g IS NULL, s.g"

static const char group_sql[] = BY_SQL("a.group_tag", "\"group\"");
static const char country_sql[] = BY_SQL("a.country", "country");

static const char *const view_sql[REPORT_VIEW_COUNT] = {
        [REPORT_VIEW_TRAINEE] = trainee_sql,     [REPORT_VIEW_PACK] = pack_sql,
        [REPORT_VIEW_ITEM] = item_sql,           [REPORT_VIEW_TARGETING] = targeting_sql,
        [REPORT_VIEW_INDICATOR] = indicator_sql, [REPORT_VIEW_FEATURE] = feature_sql,
        [REPORT_VIEW_GROUP] = group_sql,         [REPORT_VIEW_COUNTRY] = country_sql,
};

/* The bare aggregates over the database: what each view has to read at
 * least, from the same summary rows, for bench/report-bench.sh. */
#define BARE_JOIN                                                                                  \
	" FROM attempt a JOIN trainee t ON t.id = a.trainee_id"                                    \
	" JOIN scored s ON s.attempt_uuid = a.uuid"
#define BARE_ITEMS                                                                                 \
	"SELECT a.pack_id, s.shipment_id, s.item_index, s.question_id, count(*), sum(s.points),"   \
	" sum(s.points * s.points)" BARE_JOIN " WHERE a.status = 'finished' AND s.kind = 'points'" \
	" GROUP BY 1, 2, 3, 4;"
#define BARE_BY(KEY)                                                                               \
	"SELECT " KEY ", count(DISTINCT a.uuid), sum(s.kind = 'target' AND s.value = 'examined')," \
	" sum(s.kind = 'verdict')" BARE_JOIN " WHERE a.status = 'finished'"                        \
	" AND s.kind IN ('target', 'verdict') GROUP BY 1;"
#define BARE_LIST(KIND)                                                                            \
	"SELECT s.value, count(*)" BARE_JOIN " WHERE a.status = 'finished' AND s.kind = '" KIND    \
	"'"                                                                                        \
	" GROUP BY 1;"

static const char *const bare_sql[REPORT_VIEW_COUNT] = {
        [REPORT_VIEW_TRAINEE] =
                "SELECT t.name, a.pack_id, count(*), max(100.0 * a.score / a.max_score),"
                " avg(julianday(a.ended_at) - julianday(a.started_at))"
                " FROM attempt a JOIN trainee t ON t.id = a.trainee_id"
                " WHERE a.status = 'finished' GROUP BY 1, 2;"
                "SELECT t.name, a.pack_id, s.kind, s.value, count(*)" BARE_JOIN
                " WHERE a.status = 'finished' AND s.kind IN ('indicator', 'evidence')"
                " GROUP BY 1, 2, 3, 4;",
        [REPORT_VIEW_PACK] = BARE_ITEMS,
        [REPORT_VIEW_ITEM] = BARE_ITEMS,
        [REPORT_VIEW_TARGETING] = "SELECT t.name, sum(s.value = 'examined'),"
                                  " sum(s.value = 'released')" BARE_JOIN
                                  " WHERE a.status = 'finished' AND s.kind = 'target'"
                                  " GROUP BY 1;",
        [REPORT_VIEW_INDICATOR] = BARE_LIST("indicator"),
        [REPORT_VIEW_FEATURE] = BARE_LIST("evidence"),
        [REPORT_VIEW_GROUP] = BARE_BY("a.group_tag"),
        [REPORT_VIEW_COUNTRY] = BARE_BY("t.country"),
};

/* The bare aggregates over the responses, as the views read them before
 * the summary table (issue 5): bench/report-bench.sh shows them for
 * comparison. */
#define RAW_ITEMS                                                                                  \
	"SELECT pack_id, sid, idx, qid, count(*), sum(x), sum(x * x) FROM ("                       \
	" SELECT a.pack_id, r.shipment_id AS sid, r.item_index AS idx, r.question_id AS qid,"      \
	" a.uuid, sum(r.points) AS x FROM attempt a JOIN response r ON r.attempt_uuid = a.uuid"    \
	" WHERE a.status = 'finished' GROUP BY a.uuid, sid, idx, qid) GROUP BY 1, 2, 3, 4;"
#define RAW_BY(KEY)                                                                                \
	"SELECT " KEY ", count(DISTINCT a.uuid), sum(r.answer = 'target:examined'),"               \
	" sum(r.answer GLOB 'verdict:*') FROM attempt a JOIN trainee t ON t.id = a.trainee_id"     \
	" JOIN response r ON r.attempt_uuid = a.uuid WHERE a.status = 'finished' GROUP BY 1;"
#define RAW_LIST(PREFIX, OFF)                                                                      \
	"SELECT j.value, count(*) FROM attempt a JOIN response r ON r.attempt_uuid = a.uuid,"      \
	" json_each('[\"' || replace(substr(r.answer, " OFF "), ',', '\",\"') || '\"]') j"         \
	" WHERE a.status = 'finished' AND r.answer GLOB '" PREFIX "' GROUP BY 1;"

static const char *const raw_sql[REPORT_VIEW_COUNT] = {
        [REPORT_VIEW_TRAINEE] = "SELECT t.name, a.pack_id, count(DISTINCT a.uuid),"
                                " max(100.0 * a.score / a.max_score), sum(r.time_ms)"
                                " FROM attempt a JOIN trainee t ON t.id = a.trainee_id"
                                " JOIN response r ON r.attempt_uuid = a.uuid"
                                " WHERE a.status = 'finished' GROUP BY 1, 2;",
        [REPORT_VIEW_PACK] = RAW_ITEMS,
        [REPORT_VIEW_ITEM] = RAW_ITEMS,
        [REPORT_VIEW_TARGETING] = "SELECT t.name, sum(r.answer = 'target:examined'),"
                                  " sum(r.answer = 'target:released')"
                                  " FROM attempt a JOIN trainee t ON t.id = a.trainee_id"
                                  " JOIN response r ON r.attempt_uuid = a.uuid"
                                  " WHERE a.status = 'finished' AND r.answer GLOB 'target:*'"
                                  " GROUP BY 1;",
        [REPORT_VIEW_INDICATOR] = RAW_LIST("indicators:*", "12"),
        [REPORT_VIEW_FEATURE] = RAW_LIST("evidence:*", "10"),
        [REPORT_VIEW_GROUP] = RAW_BY("a.group_tag"),
        [REPORT_VIEW_COUNTRY] = RAW_BY("t.country"),
};

unsigned report_view_needs(enum report_view v)
{
	static const unsigned needs[REPORT_VIEW_COUNT] = {
	        [REPORT_VIEW_TRAINEE] = REPORT_NEED_TIME | REPORT_NEED_TARGET | REPORT_NEED_FLAG |
	                                REPORT_NEED_VERDICT | REPORT_NEED_CITE | REPORT_NEED_WEAK,
	        [REPORT_VIEW_PACK] = REPORT_NEED_SCORE,
	        [REPORT_VIEW_ITEM] = REPORT_NEED_SCORE,
	        [REPORT_VIEW_TARGETING] = REPORT_NEED_TARGET,
	        [REPORT_VIEW_INDICATOR] = REPORT_NEED_TARGET | REPORT_NEED_FLAG,
	        [REPORT_VIEW_FEATURE] = REPORT_NEED_VERDICT | REPORT_NEED_CITE,
	        [REPORT_VIEW_GROUP] = REPORT_NEED_TARGET | REPORT_NEED_VERDICT,
	        [REPORT_VIEW_COUNTRY] = REPORT_NEED_TARGET | REPORT_NEED_VERDICT,
	};
	return (unsigned)v < REPORT_VIEW_COUNT ? needs[v] : 0;
}

const char *report_view_sql(enum report_view v)
{
	return (unsigned)v < REPORT_VIEW_COUNT ? view_sql[v] : "";
}

const char *report_bare_sql(enum report_view v)
{
	return (unsigned)v < REPORT_VIEW_COUNT ? bare_sql[v] : "";
}

const char *report_bare_raw_sql(enum report_view v)
{
	return (unsigned)v < REPORT_VIEW_COUNT ? raw_sql[v] : "";
}

/* ---- tables ---- */

void report_table_free(report_table *t)
{
	if (!t)
		return;
	for (size_t c = 0; t->names && c < t->cols; c++)
		free(t->names[c]);
	for (size_t i = 0; t->cells && i < t->rows * t->cols; i++)
		free(t->cells[i].text);
	free(t->names);
	free(t->cells);
	memset(t, 0, sizeof *t);
}

const report_cell *report_cell_at(const report_table *t, size_t row, const char *col)
{
	if (!t || row >= t->rows || !col)
		return NULL;
	for (size_t c = 0; c < t->cols; c++)
		if (!strcmp(t->names[c], col))
			return &t->cells[row * t->cols + c];
	return NULL;
}

static int grow(report *r, report_table *t, size_t *cap)
{
	if (t->rows < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / sizeof(report_cell) / (t->cols ? t->cols : 1))
		return report_fail(r, "the report is too large");
	report_cell *cells = realloc(t->cells, ncap * t->cols * sizeof *cells);
	if (!cells)
		return report_fail(r, "out of memory");
	t->cells = cells;
	*cap = ncap;
	return 0;
}

int report_table_from_stmt(report *r, sqlite3_stmt *st, enum report_view v, report_table *out)
{
	memset(out, 0, sizeof *out);
	out->view = v;
	out->cols = (size_t)sqlite3_column_count(st);
	out->names = calloc(out->cols ? out->cols : 1, sizeof *out->names);
	if (!out->names)
		return report_fail(r, "out of memory");
	for (size_t c = 0; c < out->cols; c++) {
		const char *n = sqlite3_column_name(st, (int)c);
		if (!(out->names[c] = strdup(n ? n : ""))) {
			report_table_free(out);
			return report_fail(r, "out of memory");
		}
	}
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (grow(r, out, &cap) != 0) {
			report_table_free(out);
			return -1;
		}
		report_cell *row = &out->cells[out->rows * out->cols];
		memset(row, 0, out->cols * sizeof *row);
		out->rows++;
		for (size_t c = 0; c < out->cols; c++) {
			switch (sqlite3_column_type(st, (int)c)) {
			case SQLITE_INTEGER:
				row[c].type = REPORT_INT;
				row[c].i = sqlite3_column_int64(st, (int)c);
				break;
			case SQLITE_FLOAT:
				row[c].type = REPORT_REAL;
				row[c].d = sqlite3_column_double(st, (int)c);
				break;
			case SQLITE_NULL:
				row[c].type = REPORT_NULL;
				break;
			default: {
				const unsigned char *s = sqlite3_column_text(st, (int)c);
				row[c].type = REPORT_TEXT;
				row[c].text = strdup(s ? (const char *)s : "");
				if (!row[c].text) {
					report_table_free(out);
					return report_fail(r, "out of memory");
				}
			}
			}
		}
	}
	if (rc != SQLITE_DONE) {
		report_table_free(out);
		return report_sql_fail(r, "cannot compute the report");
	}
	return 0;
}

int report_table_get(report *r, enum report_view v, report_table *out)
{
	memset(out, 0, sizeof *out);
	if ((unsigned)v >= REPORT_VIEW_COUNT)
		return report_fail(r, "no such report view");
	if (report_need(r, report_view_needs(v)) != 0)
		return -1;
	sqlite3_stmt *st = NULL;
	if (getenv("IPR_DRILL_REPORT_PLAN")) {
		/* The query plan on stderr, for finding a slow view. */
		char *sql = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", view_sql[v]);
		if (sql && sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) == SQLITE_OK)
			while (sqlite3_step(st) == SQLITE_ROW)
				fprintf(stderr, "plan %d %d %s\n", sqlite3_column_int(st, 0),
				        sqlite3_column_int(st, 1),
				        (const char *)sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
		sqlite3_free(sql);
		st = NULL;
	}
	if (sqlite3_prepare_v2(r->db, view_sql[v], -1, &st, NULL) != SQLITE_OK) {
		report_sql_fail(r, "cannot prepare the report");
		sqlite3_finalize(st);
		return -1;
	}
	int rc = report_table_from_stmt(r, st, v, out);
	sqlite3_finalize(st);
	return rc;
}
