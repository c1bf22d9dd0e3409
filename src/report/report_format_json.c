/* report_format_json.c - views as one JSON document, built by SQLite's JSON
 * functions (json_object, json_group_array do the quoting):
 *   {"attempts": N, "views": [{"view": "item", "title": "...",
 *    "rows": [{"pack": "...", "facility": 62.5, ...}, ...]}, ...]}
 * Undefined figures are null. */
#include "report_internal.h"

#include "ipr-drill/text.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Appends s to the growing buffer *buf (length *len, capacity *cap). */
static int append(report *r, char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);
	if (n > SIZE_MAX - *len - 1)
		return report_fail(r, "the report is too large");
	if (*len + n + 1 > *cap) {
		size_t ncap = *cap ? *cap : 256;
		while (ncap < *len + n + 1)
			ncap = ncap > SIZE_MAX / 2 ? *len + n + 1 : ncap * 2;
		char *nb = realloc(*buf, ncap);
		if (!nb)
			return report_fail(r, "out of memory");
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
	return 0;
}

/* The view's rows as JSON text, newly allocated. */
static char *view_json(report *r, enum report_view v)
{
	const char *view_sql = report_view_sql(v);
	sqlite3_stmt *st = NULL;
	char *sql = NULL, *json = NULL;
	size_t len = 0, cap = 0;
	if (report_need(r, report_view_needs(v)) != 0)
		return NULL;
	if (sqlite3_prepare_v2(r->db, view_sql, -1, &st, NULL) != SQLITE_OK) {
		report_sql_fail(r, "cannot prepare the report");
		goto out;
	}
	/* The column names are the view's own constant aliases; quoting them
	 * as identifiers ("" doubled) is belt and braces. */
	int rc = append(r, &sql, &len, &cap,
	                "SELECT json_object('view', ?1, 'title', ?2, 'rows',"
	                " json_group_array(json_object(");
	for (int c = 0; rc == 0 && c < sqlite3_column_count(st); c++) {
		const char *name = sqlite3_column_name(st, c);
		rc = append(r, &sql, &len, &cap, c ? ", '" : "'");
		for (const char *p = name; rc == 0 && *p; p++) {
			char q[3] = {*p, *p == '\'' ? '\'' : '\0', '\0'};
			rc = append(r, &sql, &len, &cap, q);
		}
		rc = rc ? rc : append(r, &sql, &len, &cap, "', \"");
		for (const char *p = name; rc == 0 && *p; p++) {
			char q[3] = {*p, *p == '"' ? '"' : '\0', '\0'};
			rc = append(r, &sql, &len, &cap, q);
		}
		rc = rc ? rc : append(r, &sql, &len, &cap, "\"");
	}
	rc = rc ? rc : append(r, &sql, &len, &cap, "))) FROM (");
	rc = rc ? rc : append(r, &sql, &len, &cap, view_sql);
	rc = rc ? rc : append(r, &sql, &len, &cap, ")");
	sqlite3_finalize(st);
	st = NULL;
	if (rc != 0)
		goto out;
	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
		report_sql_fail(r, "cannot prepare the report");
		goto out;
	}
	sqlite3_bind_text(st, 1, report_view_name(v), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, report_view_title(v), -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		report_sql_fail(r, "cannot compute the report");
		goto out;
	}
	const unsigned char *s = sqlite3_column_text(st, 0);
	json = strdup(s ? (const char *)s : "null");
	if (!json)
		report_fail(r, "out of memory");
out:
	sqlite3_finalize(st);
	free(sql);
	return json;
}

int report_format_json(report *r, const enum report_view *views, size_t n, FILE *out)
{
	fprintf(out, "{\"attempts\": %" PRId64 ", \"views\": [", r->attempts);
	for (size_t i = 0; i < n; i++) {
		char *json = view_json(r, views[i]);
		if (!json)
			return -1;
		/* SQLite escapes C0 controls; DEL and C1 controls would still
		 * reach a terminal raw, so they get their visible forms. */
		char *safe = text_sanitize(json, true);
		free(json);
		if (!safe)
			return report_fail(r, "out of memory");
		fprintf(out, "%s\n%s", i ? "," : "", safe);
		free(safe);
	}
	fputs("]}\n", out);
	return 0;
}
