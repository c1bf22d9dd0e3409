/* export.c - results out of ipr-drill: CSV, JSON and xAPI statements.
 *
 * JSON and xAPI are built by SQLite's JSON functions (json_object escapes
 * every string); C only streams the rows and writes CSV.  Two small SQL
 * functions are registered on the connection for xAPI: stable statement
 * ids and IRI path segments. */
#include "ipr-drill/report.h"
#include "ipr-drill/text.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <string.h>

/* Attempts chosen by the filters, bound as ?1 pack, ?2 trainee, ?3 group,
 * ?4 since, ?5 until (NULL: any).  A date alone means the whole day. */
#define FROM_FILTERED                                                                              \
	" FROM attempt a JOIN trainee t ON t.id = a.trainee_id"                                    \
	" WHERE (?1 IS NULL OR a.pack_id = ?1) AND (?2 IS NULL OR t.name = ?2)"                    \
	" AND (?3 IS NULL OR a.group_tag = ?3) AND (?4 IS NULL OR a.started_at >= ?4)"             \
	" AND (?5 IS NULL OR a.started_at < CASE WHEN length(?5) = 10"                             \
	" THEN date(?5, '+1 day') ELSE ?5 END)"

/* The part of the score a response's points count in (NULL for answers
 * that score nothing). */
#define PART_OF_R "r.part"

static const char *const CSV_RESPONSES_SQL =
        "SELECT a.uuid, t.name, t.organisation, t.country, a.group_tag, a.pack_id,"
        " a.pack_version, a.mode, a.status, a.started_at, a.ended_at, a.score, a.max_score,"
        " r.seq, r.stage, r.shipment_id, r.item_index, r.question_id, r.answer, r.points,"
        " r.time_ms, r.answered_at"
        " FROM attempt a JOIN trainee t ON t.id = a.trainee_id"
        " JOIN response r ON r.attempt_uuid = a.uuid"
        " WHERE a.uuid IN (SELECT a.uuid" FROM_FILTERED ")"
        " ORDER BY a.started_at, a.uuid, r.seq";

static const char *const CSV_RESPONSES_HEADER[] = {
        "attempt",   "trainee", "organisation", "country",     "group", "pack",
        "version",   "mode",    "status",       "started",     "ended", "score",
        "max_score", "seq",     "stage",        "shipment",    "item",  "question",
        "answer",    "points",  "time_ms",      "answered_at", NULL};

static const char *const CSV_ATTEMPTS_SQL =
        "SELECT a.uuid, t.name, t.organisation, t.country, a.group_tag, a.pack_id,"
        " a.pack_version, a.mode, a.status, a.started_at, a.ended_at, a.score, a.max_score,"
        " a.stage_scores,"
        " (SELECT count(*) FROM response r WHERE r.attempt_uuid = a.uuid),"
        " (SELECT coalesce(sum(r.time_ms), 0) FROM response r WHERE r.attempt_uuid = "
        "a.uuid)" FROM_FILTERED " ORDER BY a.started_at, a.uuid";

static const char *const CSV_ATTEMPTS_HEADER[] = {
        "attempt",   "trainee",      "organisation", "country",   "group", "pack",
        "version",   "mode",         "status",       "started",   "ended", "score",
        "max_score", "stage_scores", "responses",    "active_ms", NULL};

static const char *const JSON_SQL =
        "SELECT json_object('uuid', a.uuid,"
        " 'trainee', json_object('name', t.name, 'organisation', t.organisation,"
        "  'country', t.country),"
        " 'group', a.group_tag,"
        " 'pack', json_object('id', a.pack_id, 'version', a.pack_version,"
        "  'sha256', a.pack_sha256),"
        " 'mode', a.mode, 'seed', CAST(a.seed AS TEXT), 'status', a.status,"
        " 'started_at', a.started_at, 'ended_at', a.ended_at,"
        " 'score', a.score, 'max_score', a.max_score,"
        " 'stage_scores', CASE WHEN json_valid(a.stage_scores) THEN json(a.stage_scores) END,"
        " 'responses', (SELECT json_group_array(json_object('seq', r.seq, 'stage', r.stage,"
        "   'shipment', r.shipment_id, 'item', r.item_index, 'question', r.question_id,"
        "   'answer', r.answer, 'points', r.points, 'time_ms', r.time_ms,"
        "   'answered_at', r.answered_at))"
        "  FROM (SELECT * FROM response WHERE attempt_uuid = a.uuid ORDER BY seq) r))" FROM_FILTERED
        " ORDER BY a.started_at, a.uuid";

/* ?6 is the base IRI, ?7 the pass mark in percent (NULL: none).
 */
#define XAPI_PACK_IRI "?6 || 'packs/' || ipr_iri_segment(a.pack_id)"
#define XAPI_ACTOR                                                                                 \
	"json_object('objectType', 'Agent', 'name', t.name,"                                       \
	" 'account', json_object('homePage', ?6, 'name', t.name))"
#define XAPI_VERB(id)                                                                              \
	"json_object('id', 'http://adlnet.gov/expapi/verbs/' || " id ","                           \
	" 'display', json_object('en-US', " id "))"
#define XAPI_DURATION(ms) "printf('PT%d.%03dS', (" ms ") / 1000, (" ms ") % 1000)"

/* One statement per response. */
static const char *const XAPI_RESPONSES_SQL =
        " SELECT a.started_at AS k1, a.uuid AS k2, r.seq AS k3, json_object("
        "  'id', ipr_xapi_id(a.uuid || '/' || r.seq),"
        "  'actor', " XAPI_ACTOR ","
        "  'verb', " XAPI_VERB(
                "'answered'") ","
                              "  'object', json_object('objectType', 'Activity',"
                              "   'id', " XAPI_PACK_IRI " || CASE"
                              "    WHEN r.question_id IS NOT NULL THEN '/questions/' || "
                              "ipr_iri_segment(r.question_id)"
                              "    WHEN r.shipment_id IS NOT NULL THEN '/shipments/' || "
                              "ipr_iri_segment(r.shipment_id)"
                              "     || CASE WHEN r.item_index IS NOT NULL THEN '/items/' || "
                              "(r.item_index + 1)"
                              "        ELSE '' END"
                              "    ELSE '' END,"
                              "   'definition', json_object("
                              "    'type', 'http://adlnet.gov/expapi/activities/cmi.interaction',"
                              "    'name', json_object('en-US', a.pack_id || CASE"
                              "     WHEN r.question_id IS NOT NULL THEN ' question ' || "
                              "r.question_id"
                              "     WHEN r.shipment_id IS NOT NULL THEN ' shipment ' || "
                              "r.shipment_id"
                              "      || CASE WHEN r.item_index IS NOT NULL THEN ' item ' || "
                              "(r.item_index + 1)"
                              "         ELSE '' END"
                              "     ELSE '' END))),"
                              "  'result', json_object('score', json_object('raw', r.points),"
                              "   'success', CASE WHEN " PART_OF_R " IS NOT NULL THEN"
                              "    json(CASE WHEN r.points > 0 THEN 'true' ELSE 'false' END) END,"
                              "   'response', r.answer,"
                              "   'duration', " XAPI_DURATION(
                                      "r.time_ms") "),"
                                                   "  'context', json_object('registration', "
                                                   "a.uuid,"
                                                   "   'contextActivities', json_object('parent', "
                                                   "json_array(json_object("
                                                   "    'objectType', 'Activity', "
                                                   "'id', " XAPI_PACK_IRI "))),"
                                                   "   'extensions', json_object(?6 || 'xapi/seq', "
                                                   "r.seq, ?6 || 'xapi/stage', r.stage,"
                                                   "    ?6 || 'xapi/part', " PART_OF_R ")),"
                                                   "  'timestamp', r.answered_at) AS stmt"
                                                   " FROM attempt a JOIN trainee t ON t.id = "
                                                   "a.trainee_id"
                                                   " JOIN response r ON r.attempt_uuid = a.uuid"
                                                   " WHERE a.uuid IN (SELECT a.uuid" FROM_FILTERED
                                                   ")";

/* One statement per attempt, sorted after its responses. */
static const char *const XAPI_ATTEMPTS_SQL =
        " SELECT a.started_at, a.uuid, "
        "9223372036854775807, json_object("
        "  'id', ipr_xapi_id(a.uuid),"
        "  'actor', " XAPI_ACTOR ","
        "  'verb', " XAPI_VERB(
                "CASE WHEN a.status = 'in-progress' "
                "THEN 'attempted'"
                " WHEN a.status = 'abandoned' THEN "
                "'terminated'"
                " WHEN ?7 IS NULL OR a.max_score IS "
                "NULL OR a.max_score <= 0"
                " THEN 'completed'"
                " WHEN a.score * 100.0 / a.max_score >= "
                "?7 THEN 'passed'"
                " ELSE 'failed' END") ","
                                      "  'object', "
                                      "json_object('"
                                      "objectType', "
                                      "'Activity', "
                                      "'id',"
                                      " " XAPI_PACK_IRI ","
                                      "   'definition', "
                                      "json_object("
                                      "    'type', "
                                      "'http://"
                                      "adlnet.gov/"
                                      "expapi/"
                                      "activities/"
                                      "assessment',"
                                      "    'name', "
                                      "json_object('en-"
                                      "US', "
                                      "a.pack_id))),"
                                      "  'result', "
                                      "json_object("
                                      "   'score', CASE "
                                      "WHEN a.status = "
                                      "'finished' AND "
                                      "a.max_score > 0 "
                                      "THEN json_object("
                                      "    'raw', "
                                      "a.score, 'min', "
                                      "min(0, a.score), "
                                      "'max', "
                                      "a.max_score,"
                                      "    'scaled', "
                                      "round(max(-1.0, "
                                      "min(1.0, "
                                      "CAST(a.score AS "
                                      "REAL) / "
                                      "a.max_score)), "
                                      "4)) END,"
                                      "   'success', "
                                      "CASE WHEN "
                                      "a.status = "
                                      "'finished' AND "
                                      "?7 IS NOT NULL"
                                      "    AND "
                                      "a.max_score > 0 "
                                      "THEN json(CASE "
                                      "WHEN a.score * "
                                      "100.0 / "
                                      "a.max_score >= ?7"
                                      "    THEN 'true' "
                                      "ELSE 'false' "
                                      "END) END,"
                                      "   'completion', "
                                      "json(CASE WHEN "
                                      "a.status = "
                                      "'finished' THEN "
                                      "'true' ELSE "
                                      "'false' END),"
                                      "   "
                                      "'duration',"
                                      " " XAPI_DURATION(
                                              "(SELECT "
                                              "coalesce("
                                              "sum(r."
                                              "time_ms),"
                                              " 0) FROM "
                                              "response "
                                              "r"
                                              " WHERE "
                                              "r."
                                              "attempt_"
                                              "uuid = "
                                              "a.uuid)") "),"
                                                         "  'context', json_object('registration', "
                                                         "a.uuid,"
                                                         "   'extensions', json_object(?6 || "
                                                         "'xapi/mode', a.mode,"
                                                         "    ?6 || 'xapi/group', a.group_tag, ?6 "
                                                         "|| 'xapi/pack-version', a.pack_version,"
                                                         "    ?6 || 'xapi/pack-sha256', "
                                                         "a.pack_sha256,"
                                                         "    ?6 || 'xapi/organisation', "
                                                         "t.organisation, ?6 || 'xapi/country', "
                                                         "t.country)),"
                                                         "  'timestamp', coalesce(a.ended_at, "
                                                         "(SELECT max(r.answered_at) FROM response "
                                                         "r"
                                                         "   WHERE r.attempt_uuid = a.uuid), "
                                                         "a.started_at))" FROM_FILTERED;

/* ---- SQL functions for xAPI ---- */

/* A statement id that is the same at every export of the same response
 * (an LRS then recognises a re-export): a UUID version 8 (RFC 9562) made
 * of the SHA-256 of the key. */
static void fn_xapi_id(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *key = sqlite3_value_text(argv[0]);
	int len = sqlite3_value_bytes(argv[0]);
	if (!key) {
		sqlite3_result_null(ctx);
		return;
	}
	store_sha256_ctx c;
	unsigned char d[32];
	static const char salt[] = "ipr-drill xAPI statement ";
	store_sha256_init(&c);
	store_sha256_update(&c, salt, sizeof salt - 1);
	store_sha256_update(&c, key, (size_t)len);
	store_sha256_final(&c, d);
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x80);
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
	char out[37];
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[d[i] >> 4];
		out[o++] = hex[d[i] & 15];
	}
	out[o] = '\0';
	sqlite3_result_text(ctx, out, 36, SQLITE_TRANSIENT);
}

/* Percent-encodes everything but RFC 3986 unreserved characters, so any
 * id (from any database) makes a valid IRI path segment. */
static void fn_iri_segment(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *s = sqlite3_value_text(argv[0]);
	int len = sqlite3_value_bytes(argv[0]);
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	char *out = sqlite3_malloc64((sqlite3_uint64)len * 3 + 1);
	if (!out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (int i = 0; i < len; i++) {
		unsigned char ch = s[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
			out[o++] = (char)ch;
		} else {
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
	sqlite3_result_text(ctx, out, (int)o, sqlite3_free);
}

static int register_functions(sqlite3 *db)
{
	/* DIRECTONLY: callable from our statements, never from a schema. */
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY;
	int rc = sqlite3_create_function_v2(db, "ipr_xapi_id", 1, flags, NULL, fn_xapi_id, NULL,
	                                    NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(db, "ipr_iri_segment", 1, flags, NULL,
		                                fn_iri_segment, NULL, NULL, NULL);
	return rc;
}

/* ---- CSV (RFC 4180) ---- */

static void csv_field(FILE *out, const char *s, size_t len)
{
	bool quote = false;
	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (!quote) {
		fwrite(s, 1, len, out);
		return;
	}
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			fputc('"', out);
		fputc(s[i], out);
	}
	fputc('"', out);
}

static void csv_header(FILE *out, const char *const *names)
{
	for (size_t i = 0; names[i]; i++) {
		if (i)
			fputc(',', out);
		csv_field(out, names[i], strlen(names[i]));
	}
	fputs("\r\n", out);
}

/* ---- running ---- */

static bool valid_time(sqlite3 *db, const char *t)
{
	if (!t)
		return true;
	size_t n = strlen(t);
	if (n != 10 && (n < 11 || t[10] != 'T'))
		return false;
	sqlite3_stmt *st = NULL;
	bool ok = false;
	if (sqlite3_prepare_v2(db, "SELECT julianday(?1) IS NOT NULL", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	return ok;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
	if (v && v[0])
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

int report_export(store *s, const report_export_options *o, FILE *out, char *err, size_t errlen)
{
	sqlite3 *db = store_handle(s);
	const char *base = o->activity_base && o->activity_base[0] ? o->activity_base
	                                                           : REPORT_XAPI_DEFAULT_BASE;
	if (!valid_time(db, o->since) || !valid_time(db, o->until)) {
		text_errf(err, errlen, "dates are written YYYY-MM-DD (or YYYY-MM-DDTHH:MM:SSZ)");
		return -1;
	}
	if (o->format == REPORT_EXPORT_XAPI) {
		size_t n = strlen(base);
		bool scheme = strncmp(base, "https://", 8) == 0 || strncmp(base, "http://", 7) == 0;
		bool clean = true;
		for (size_t i = 0; i < n; i++)
			clean = clean && base[i] > ' ' && base[i] < 0x7f && base[i] != '"';
		if (!scheme || !clean || base[n - 1] != '/') {
			text_errf(err, errlen,
			          "the activity base must be an http(s) IRI ending in '/', e.g. %s",
			          REPORT_XAPI_DEFAULT_BASE);
			return -1;
		}
		if (register_functions(db) != SQLITE_OK) {
			text_errf(err, errlen, "cannot prepare the export: %s", sqlite3_errmsg(db));
			return -1;
		}
	}

	const char *sql;
	char *owned = NULL;
	const char *const *header = NULL;
	switch (o->format) {
	case REPORT_EXPORT_CSV:
		sql = o->attempts_only ? CSV_ATTEMPTS_SQL : CSV_RESPONSES_SQL;
		header = o->attempts_only ? CSV_ATTEMPTS_HEADER : CSV_RESPONSES_HEADER;
		break;
	case REPORT_EXPORT_JSON:
		sql = JSON_SQL;
		break;
	default:
		/* json_patch('{}', x) drops every null member: xAPI forbids
		 * nulls.  Two pieces: C17 only promises 4095-byte literals. */
		owned = sqlite3_mprintf("SELECT json_patch('{}', stmt) FROM (%s UNION ALL %s)"
		                        " ORDER BY k1, k2, k3",
		                        XAPI_RESPONSES_SQL, XAPI_ATTEMPTS_SQL);
		if (!owned) {
			text_errf(err, errlen, "out of memory");
			return -1;
		}
		sql = owned;
		break;
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_free(owned);
	if (rc != SQLITE_OK) {
		text_errf(err, errlen, "cannot read %s: %s", store_path(s), sqlite3_errmsg(db));
		return -1;
	}
	bind_opt(st, 1, o->pack_id);
	bind_opt(st, 2, o->trainee);
	bind_opt(st, 3, o->group_tag);
	bind_opt(st, 4, o->since);
	bind_opt(st, 5, o->until);
	if (o->format == REPORT_EXPORT_XAPI) {
		sqlite3_bind_text(st, 6, base, -1, SQLITE_STATIC);
		if (o->pass_percent >= 0)
			sqlite3_bind_double(st, 7, o->pass_percent);
	}

	/* One read transaction for the whole export: a consistent picture.
	 * Rollback-journal readers block writers, so export after the
	 * workshop or from a copy (see docs/instructor-guide.md). */
	if (header)
		csv_header(out, header);
	else
		fputs("[", out);
	size_t rows = 0;
	int cols = sqlite3_column_count(st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (header) {
			for (int c = 0; c < cols; c++) {
				if (c)
					fputc(',', out);
				const char *v = (const char *)sqlite3_column_text(st, c);
				if (v)
					csv_field(out, v, (size_t)sqlite3_column_bytes(st, c));
			}
			fputs("\r\n", out);
		} else {
			fputs(rows ? ",\n" : "\n", out);
			const char *v = (const char *)sqlite3_column_text(st, 0);
			fputs(v ? v : "null", out);
		}
		rows++;
	}
	if (!header)
		fputs(rows ? "\n]\n" : "]\n", out);
	if (rc != SQLITE_DONE) {
		text_errf(err, errlen, "cannot read %s: %s", store_path(s), sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	if (fflush(out) != 0 || ferror(out)) {
		text_errf(err, errlen, "cannot write the export (disk full?)");
		return -1;
	}
	return 0;
}
