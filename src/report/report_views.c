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

#include <stdio.h>
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

/* A part's points and maximum summed over the attempts, from
 * stage_scores, and its share of the maximum.  Twelve json_extract() calls
 * on a short text cost less than json_each()'s rows and a second parse of
 * each part (0.1 s against 0.26 s for 10,000 attempts). */
#define PART_SUMS(p)                                                                               \
	"sum(json_extract(ss, '$." p ".score')) OVER wa AS " p "_sc,"                              \
	" sum(json_extract(ss, '$." p ".max')) OVER wa AS " p "_mx"
#define PART_PCT(p)                                                                                \
	"CASE WHEN p." p "_mx > 0 THEN round(100.0 * p." p "_sc / p." p "_mx, 1) END AS " p

/* One pass over the attempts in the order of rep_attempt_by_trainee
 * (trainee, pack, start), so the windows do not sort; a trainee's
 * attempts at a pack are a handful, so summing each window over the whole
 * partition costs little.  The time taken (as Moodle's quiz reports count
 * it: from the start of the attempt to its end, a resumed attempt
 * including the pause) and the part scores come from the attempt table
 * itself.  per numbers each trainee's attempts at a pack by start: the
 * last is the one whose number is the count.  The best is the highest
 * share, then the latest, as the store's "best" filter ranks: looked up
 * per trainee and pack through the same index. */
/* clang-format off */
static const char trainee_sql[] =
        "WITH per AS MATERIALIZED (SELECT a.trainee, a.organisation, a.country, a.pack_id,"
        " a.score, a.pct, a.max_score, row_number() OVER w AS rn, count(*) OVER wa AS cnt,"
        " avg(a.time_ms) OVER wa AS mean_ms,"
        " group_concat(CAST(round(a.pct) AS INTEGER), ' ') OVER wa AS trend, "
        PART_SUMS("targeting") ", " PART_SUMS("indicators") ", " PART_SUMS("verdicts") ", "
        PART_SUMS("evidence") ", " PART_SUMS("actions") ", " PART_SUMS("questions")
        " FROM (SELECT a.*, CAST(round((julianday(x.ended_at) - julianday(x.started_at))"
        "  * 86400000) AS INTEGER) AS time_ms, CASE WHEN json_valid(x.stage_scores)"
        "  THEN x.stage_scores ELSE '{}' END AS ss"
        "  FROM temp.rep_attempt a JOIN attempt x ON x.uuid = a.uuid) a"
        " WINDOW w AS (PARTITION BY a.trainee, a.pack_id ORDER BY a.started_at, a.uuid),"
        " wa AS (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))"
        "SELECT p.trainee AS trainee, p.organisation AS organisation, p.country AS country,"
        " p.pack_id AS pack, p.cnt AS attempts, b.score AS best,"
        " round(b.pct, 1) AS best_pct,"
        " p.score AS last, round(p.pct, 1) AS last_pct, p.max_score AS max,"
        " CASE WHEN p.mean_ms IS NOT NULL THEN printf('%d:%02d',"
        "  CAST(p.mean_ms / 60000 AS INTEGER), CAST(p.mean_ms / 1000 AS INTEGER) % 60) END"
        "  AS mean_time, "
        PART_PCT("targeting") ", " PART_PCT("indicators") ", " PART_PCT("verdicts") ", "
        PART_PCT("evidence") ", " PART_PCT("actions") ", " PART_PCT("questions") ","
        " wi1.weak AS weakest_indicator, wf1.weak AS weakest_feature, p.trend AS trend"
        " FROM per p"
        " JOIN temp.rep_attempt b ON b.uuid = (SELECT c.uuid FROM temp.rep_attempt c"
        "  WHERE c.trainee = p.trainee AND c.pack_id = p.pack_id"
        "  ORDER BY c.pct DESC, c.started_at DESC, c.uuid LIMIT 1)"
        " LEFT JOIN temp.rep_weak wi1 ON wi1.trainee = p.trainee AND wi1.pack_id = p.pack_id"
        "  AND wi1.kind = 'indicator'"
        " LEFT JOIN temp.rep_weak wf1 ON wf1.trainee = p.trainee AND wf1.pack_id = p.pack_id"
        "  AND wf1.kind = 'feature'"
        " WHERE p.rn = p.cnt ORDER BY p.trainee, p.pack_id";
/* clang-format on */

/* rep_isum adds up the scores attempts have a record for; every other
 * item of its pack scored 0, so the sums over all of a pack's attempts
 * are those over the records, and the counts the pack's attempts (issue
 * 5: the zeros are never written out).  Points are integers, so the sums
 * are exact whichever way they are added up.  Items a pack (as given)
 * does not have, from another version of it, fall out in the join with
 * rep_item. */
#define ITEM_SUMS                                                                                  \
	"items AS (SELECT it.pack_id, it.sid, it.idx, it.qid, it.label, it.ord, it.xmin, it.xmax," \
	" p.c, coalesce(p.sx, 0.0) AS sx, coalesce(p.sxx, 0.0) AS sxx,"                            \
	" coalesce(p.sxt, 0.0) AS sxt, p.lo, p.hi FROM temp.rep_item it"                           \
	" LEFT JOIN temp.rep_isum p ON p.pack_id = it.pack_id AND p.sid = it.sid"                  \
	"  AND p.idx = it.idx AND p.qid = it.qid),"                                                \
	"pt AS (SELECT pack_id, count(*) AS n, avg(score) AS mean, avg(pct) AS mean_pct,"          \
	" avg(max_score) AS mx, sum(total) AS st, sum(total * total) AS stt, min(pct) AS lo,"      \
	" max(pct) AS hi FROM temp.rep_attempt GROUP BY pack_id),"

static const char pack_sql[] =
        "WITH " ITEM_SUMS "iv AS (SELECT i.pack_id, count(*) AS k,"
        " sum(CASE WHEN pt.n > 1 THEN (i.sxx - i.sx * i.sx / pt.n) / (pt.n - 1) END) AS sv"
        " FROM items i JOIN pt ON pt.pack_id = i.pack_id GROUP BY i.pack_id),"
        "st AS (SELECT pt.*, coalesce(iv.k, 0) AS k, iv.sv,"
        " CASE WHEN pt.n > 1 THEN max((stt - st * st / n) / (n - 1), 0) END AS vt"
        " FROM pt LEFT JOIN iv ON iv.pack_id = pt.pack_id),"
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
        "WITH " ITEM_SUMS
        "agg AS (SELECT i.*, pt.n, pt.st - i.sx AS sy, pt.stt - 2 * i.sxt + i.sxx AS syy,"
        " i.sxt - i.sxx AS sxy,"
        " CASE WHEN coalesce(i.c, 0) < pt.n THEN min(coalesce(i.lo, 0.0), 0.0) ELSE i.lo END"
        "  AS lo0,"
        " CASE WHEN coalesce(i.c, 0) < pt.n THEN max(coalesce(i.hi, 0.0), 0.0) ELSE i.hi END"
        "  AS hi0"
        " FROM items i JOIN pt ON pt.pack_id = i.pack_id),"
        "st AS (SELECT agg.*, coalesce(xmin, lo0) AS xlo, coalesce(xmax, hi0) AS xhi,"
        " CASE WHEN n > 1 THEN max((sxx - sx * sx / n) / (n - 1), 0) END AS vx,"
        " n * sxx - sx * sx AS dx, n * syy - sy * sy AS dy, n * sxy - sx * sy AS cxy"
        " FROM agg),"
        "fd AS (SELECT st.*,"
        " CASE WHEN xhi > xlo THEN 100.0 * (sx / n - xlo) / (xhi - xlo) END AS f,"
        " CASE WHEN n > 1 AND dx > 0 AND dy > 0 THEN 100.0 * cxy / sqrt(dx * dy) END AS d"
        " FROM st)"
        "SELECT pack_id AS pack, label AS item, n AS attempts, round(sx / n, 2) AS mean,"
        " xlo AS min, xhi AS max, round(f, 1) AS facility,"
        " CASE WHEN xhi > xlo AND vx IS NOT NULL THEN round(100.0 * sqrt(vx) / (xhi - xlo),"
        "  1) END AS sd,"
        " round(d, 1) AS discrimination,"
        " CASE WHEN n < 2 THEN 'too few attempts'"
        "  WHEN dx <= 0 THEN 'no variance: everyone scored the same'"
        "  WHEN d IS NULL THEN 'rest of the test has no variance'"
        "  WHEN d < 0 THEN 'REVIEW: negative discrimination'"
        "  WHEN d < 20 THEN 'review: low discrimination'"
        "  WHEN f >= 95 THEN 'very easy' WHEN f <= 5 THEN 'very hard' ELSE '' END AS review"
        " FROM fd ORDER BY pack_id, ord, sid, idx, qid";

static const char targeting_sql[] =
        "WITH m AS (SELECT trainee, sum(hits) AS hits, sum(misses) AS misses,"
        " sum(false_alarms) AS false_alarms, sum(clear_releases) AS clear_releases"
        " FROM temp.rep_tgt GROUP BY trainee),"
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

/* The indicator and feature views meet the key with decisions counted per
 * shipment or item: tens of rows per pack rather than one per decision. */
static const char indicator_sql[] =
        "WITH c AS (SELECT k.ind AS ind, sum(tc.n) AS in_key, 0 AS flagged, 0 AS hits"
        " FROM (SELECT pack_id, sid, sum(n) AS n FROM temp.rep_ind_tc GROUP BY 1, 2) tc"
        " JOIN temp.key_ship s ON s.pack_id = tc.pack_id AND s.sid = tc.sid"
        " JOIN temp.key_ind k ON k.pack_id = tc.pack_id AND k.sid = tc.sid GROUP BY k.ind"
        " UNION ALL SELECT fc.ind, 0, sum(fc.n), sum(CASE WHEN k.ind IS NOT NULL THEN fc.n"
        "  ELSE 0 END) FROM temp.rep_ind_fc fc"
        " JOIN temp.key_ship s ON s.pack_id = fc.pack_id AND s.sid = fc.sid"
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

/* vc: verdicts per item; cc: citations per item and feature (the summary
 * keeps citations only of items that got a verdict). */
static const char feature_sql[] =
        "WITH c AS (SELECT e.product || '/' || e.feature AS id, sum(vc.n) AS evidence,"
        " sum(coalesce(cc.n, 0)) AS cited, sum(vc.genuine) AS passed_genuine, 0 AS false_cites"
        " FROM temp.key_ev e JOIN (SELECT pack_id, sid, idx, sum(n) AS n,"
        "  sum(n * (v = 'genuine')) AS genuine FROM temp.rep_feat_vc GROUP BY 1, 2, 3) vc"
        "  ON vc.pack_id = e.pack_id"
        "  AND vc.sid = e.sid AND vc.idx = e.idx"
        " LEFT JOIN temp.rep_feat_cc cc ON cc.pack_id = e.pack_id AND cc.sid = e.sid"
        "  AND cc.idx = e.idx AND cc.feature = e.feature GROUP BY 1"
        " UNION ALL SELECT k.product || '/' || cc.feature, 0, 0, 0, sum(cc.n)"
        " FROM temp.rep_feat_cc cc"
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

/* Groups and countries share one statement; DIM names the grouping (as
 * in rep_by_tg and rep_by_vd), KEY is rep_attempt's column, LABEL the
 * output column's name. */
#define BY_SQL(DIM, KEY, LABEL)                                                                    \
	"WITH s AS (SELECT a." KEY " AS g, count(DISTINCT a.trainee) AS trainees,"                 \
	" count(*) AS n, avg(a.pct) AS m, sum(a.pct) AS sp, sum(a.pct * a.pct) AS spp,"            \
	" count(a.pct) AS np, max(a.pct) AS best FROM temp.rep_attempt a GROUP BY 1),"             \
	"tg AS (SELECT t.g, sum(t.n * (t.examined AND k.fake)) AS hits, sum(t.n * k.fake) AS "     \
	"fakes"                                                                                    \
	" FROM temp.rep_by_tg t JOIN temp.key_ship k ON k.pack_id = t.pack_id AND k.sid = t.sid"   \
	" WHERE t.dim = '" DIM "' GROUP BY t.g),"                                                  \
	"vd AS (SELECT v.g, sum(v.n * ((v.v = 'counterfeit') = (k.fake = 1))) AS good,"            \
	" sum(v.n) AS given FROM temp.rep_by_vd v JOIN temp.key_item k ON k.pack_id = v.pack_id"   \
	" AND k.sid = v.sid AND k.idx = v.idx WHERE v.dim = '" DIM "' GROUP BY v.g)"               \
	"SELECT coalesce(s.g, '(none)') AS " LABEL ", s.trainees, s.n AS attempts,"                \
	" round(s.m, 1) AS mean_pct,"                                                              \
	" CASE WHEN np > 1 THEN round(sqrt(max((spp - sp * sp / np) / (np - 1), 0)), 1) END"       \
	"  AS sd_pct,"                                                                             \
	" round(s.best, 1) AS best_pct,"                                                           \
	" CASE WHEN tg.fakes > 0 THEN round(100.0 * tg.hits / tg.fakes, 1) END AS hit_rate,"       \
	" CASE WHEN vd.given > 0 THEN round(100.0 * vd.good / vd.given, 1) END AS verdicts_right"  \
	" FROM s LEFT JOIN tg ON tg.g IS s.g LEFT JOIN vd ON vd.g IS s.g"                          \
	" ORDER BY s.g IS NULL, s.g"

static const char group_sql[] = BY_SQL("group", "group_tag", "\"group\"");
static const char country_sql[] = BY_SQL("country", "country", "country");

static const char *const view_sql[REPORT_VIEW_COUNT] = {
        [REPORT_VIEW_TRAINEE] = trainee_sql,     [REPORT_VIEW_PACK] = pack_sql,
        [REPORT_VIEW_ITEM] = item_sql,           [REPORT_VIEW_TARGETING] = targeting_sql,
        [REPORT_VIEW_INDICATOR] = indicator_sql, [REPORT_VIEW_FEATURE] = feature_sql,
        [REPORT_VIEW_GROUP] = group_sql,         [REPORT_VIEW_COUNTRY] = country_sql,
};

/* The bare aggregates over the database: what each view has to read at
 * least, from the same summary rows, for bench/report-bench.sh: every
 * kind of row the view reads (the indicator view's recall needs the
 * settlements as well as the flags, the feature view's counts the
 * verdicts as well as the citations), each counted by its value, which is
 * less than a view must do (meeting the key needs the shipment too). */
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
#define BARE_LIST(KIND1, KIND2)                                                                    \
	"SELECT s.kind, s.value, count(*)" BARE_JOIN " WHERE a.status = 'finished'"                \
	" AND s.kind IN ('" KIND1 "', '" KIND2 "') GROUP BY 1, 2;"

static const char *const bare_sql[REPORT_VIEW_COUNT] = {
        [REPORT_VIEW_TRAINEE] =
                "SELECT t.name, a.pack_id, count(*), max(100.0 * a.score / a.max_score),"
                " avg(julianday(a.ended_at) - julianday(a.started_at))"
                " FROM attempt a JOIN trainee t ON t.id = a.trainee_id"
                " WHERE a.status = 'finished' GROUP BY 1, 2;"
                "SELECT t.name, a.pack_id, s.kind, s.value, count(*)" BARE_JOIN
                " WHERE a.status = 'finished'"
                " AND s.kind IN ('target', 'indicator', 'verdict', 'evidence')"
                " GROUP BY 1, 2, 3, 4;",
        [REPORT_VIEW_PACK] = BARE_ITEMS,
        [REPORT_VIEW_ITEM] = BARE_ITEMS,
        [REPORT_VIEW_TARGETING] = "SELECT t.name, sum(s.value = 'examined'),"
                                  " sum(s.value = 'released')" BARE_JOIN
                                  " WHERE a.status = 'finished' AND s.kind = 'target'"
                                  " GROUP BY 1;",
        [REPORT_VIEW_INDICATOR] = BARE_LIST("target", "indicator"),
        [REPORT_VIEW_FEATURE] = BARE_LIST("verdict", "evidence"),
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
	        [REPORT_VIEW_TRAINEE] = REPORT_NEED_WEAK,
	        [REPORT_VIEW_PACK] = REPORT_NEED_SCORE,
	        [REPORT_VIEW_ITEM] = REPORT_NEED_SCORE,
	        [REPORT_VIEW_TARGETING] = REPORT_NEED_TARGETING,
	        [REPORT_VIEW_INDICATOR] = REPORT_NEED_INDICATOR,
	        [REPORT_VIEW_FEATURE] = REPORT_NEED_FEATURE,
	        [REPORT_VIEW_GROUP] = REPORT_NEED_GROUP,
	        [REPORT_VIEW_COUNTRY] = REPORT_NEED_COUNTRY,
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

void report_print_plan(report *r, const char *sql)
{
	if (!getenv("IPR_DRILL_REPORT_PLAN"))
		return;
	sqlite3_stmt *st = NULL;
	char *explain = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
	if (explain && sqlite3_prepare_v2(r->db, explain, -1, &st, NULL) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW)
			fprintf(stderr, "plan %d %d %s\n", sqlite3_column_int(st, 0),
			        sqlite3_column_int(st, 1),
			        (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_free(explain);
}

int report_table_get(report *r, enum report_view v, report_table *out)
{
	memset(out, 0, sizeof *out);
	if ((unsigned)v >= REPORT_VIEW_COUNT)
		return report_fail(r, "no such report view");
	if (report_need(r, report_view_needs(v)) != 0)
		return -1;
	sqlite3_stmt *st = NULL;
	report_print_plan(r, view_sql[v]);
	if (sqlite3_prepare_v2(r->db, view_sql[v], -1, &st, NULL) != SQLITE_OK) {
		report_sql_fail(r, "cannot prepare the report");
		sqlite3_finalize(st);
		return -1;
	}
	double t0 = report_timer_start();
	int rc = report_table_from_stmt(r, st, v, out);
	sqlite3_finalize(st);
	char label[32];
	snprintf(label, sizeof label, "view %s", names[v]);
	report_timer_done(t0, label);
	return rc;
}
