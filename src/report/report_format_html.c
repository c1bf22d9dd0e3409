/* report_format_html.c - the report as one self-contained HTML page: inline
 * CSS, inline SVG charts, no script, nothing fetched from the network.
 * Every value from the database is sanitised and then HTML-escaped.
 *
 * Charts: the score distribution (always), facility and discrimination per
 * item (item view), the targeting confusion matrix (targeting view) and
 * each trainee's scores by part (trainee view). */
#include "report_internal.h"

#include "ipr-drill/text.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Charts stop drawing after this many items or trainees (the tables
 * still list them all). */
#define CHART_MAX_ROWS 150

static const char *const css =
        "body{font-family:system-ui,sans-serif;margin:24px;color:#1a1a1a;background:#fff}"
        "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}"
        "table{border-collapse:collapse;font-size:.85em;margin:.5em 0}"
        "th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}"
        "th{background:#eef2f7}td.n{text-align:right;font-variant-numeric:tabular-nums}"
        "tr.flag td{background:#fdecea}.chart{margin:.5em 0;overflow-x:auto}"
        "svg text{font-family:system-ui,sans-serif;font-size:11px}"
        ".note{color:#555;font-size:.85em}";

/* Writes s sanitised (control characters made visible) and escaped. */
static int put_escaped(report *r, FILE *out, const char *s)
{
	char *safe = text_sanitize(s ? s : "", false);
	if (!safe)
		return report_fail(r, "out of memory");
	for (const char *p = safe; *p; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*p, out);
		}
	}
	free(safe);
	return 0;
}

static int put_cell(report *r, FILE *out, const report_cell *c)
{
	char *s = report_cell_text(c, "-");
	if (!s)
		return report_fail(r, "out of memory");
	int rc = put_escaped(r, out, s);
	free(s);
	return rc;
}

static double cell_num(const report_cell *c, bool *ok)
{
	*ok = c && (c->type == REPORT_INT || c->type == REPORT_REAL);
	if (!*ok)
		return 0;
	return c->type == REPORT_INT ? (double)c->i : c->d;
}

static const char *cell_str(const report_cell *c)
{
	return c && c->type == REPORT_TEXT && c->text ? c->text : "";
}

/* ---- charts ---- */

static int chart_histogram(report *r, FILE *out)
{
	int64_t counts[10];
	if (report_stats_histogram(r, counts) != 0)
		return -1;
	int64_t top = 1;
	for (int i = 0; i < 10; i++)
		if (counts[i] > top)
			top = counts[i];
	const int W = 520, H = 220, left = 40, base = 180, bw = 44;
	fprintf(out,
	        "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	        "height=\"%d\" role=\"img\" aria-label=\"Score distribution\">"
	        "<title>Score distribution</title>"
	        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
	        W, H, left, base, W - 10, base);
	for (int i = 0; i < 10; i++) {
		int h = (int)(150 * counts[i] / top);
		int x = left + 4 + i * (bw + 3);
		fprintf(out,
		        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#2f6db5\">"
		        "<title>%d-%d%%: %" PRId64 "</title></rect>"
		        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%" PRId64 "</text>"
		        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d%%</text>",
		        x, base - h, bw, h, i * 10, i * 10 + 10, counts[i], x + bw / 2,
		        base - h - 3, counts[i], x + bw / 2, base + 14, i * 10);
	}
	fprintf(out,
	        "<text x=\"%d\" y=\"%d\">share of the maximum score (attempts per band)</text>"
	        "</svg></div>\n",
	        left, H - 8);
	return 0;
}

/* Facility (0..100) and discrimination (-100..100) per item, side by side
 * around a zero line. */
static int chart_items(report *r, FILE *out, const report_table *t)
{
	size_t n = t->rows < CHART_MAX_ROWS ? t->rows : CHART_MAX_ROWS;
	if (n == 0)
		return 0;
	const int left = 44, step = 26, zero = 130, scale = 1; /* 1 px per point */
	int W = left + (int)n * step + 20, H = 330;
	if (W < 460)
		W = 460; /* room for the legend */
	fprintf(out,
	        "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	        "height=\"%d\" role=\"img\" aria-label=\"Facility and discrimination per item\">"
	        "<title>Facility and discrimination per item</title>",
	        W, H);
	for (int g = -100; g <= 100; g += 50)
		fprintf(out,
		        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>"
		        "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>",
		        left, zero - g * scale, W - 10, zero - g * scale, g == 0 ? "#333" : "#ddd",
		        left - 4, zero - g * scale + 4, g);
	/* The review threshold for discrimination. */
	fprintf(out,
	        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#c0392b\" "
	        "stroke-dasharray=\"4 3\"/>",
	        left, zero - 20 * scale, W - 10, zero - 20 * scale);
	for (size_t i = 0; i < n; i++) {
		bool okf, okd;
		double f = cell_num(report_cell_at(t, i, "facility"), &okf);
		double d = cell_num(report_cell_at(t, i, "discrimination"), &okd);
		int x = left + 4 + (int)i * step;
		fputs("<g><title>", out);
		if (put_escaped(r, out, cell_str(report_cell_at(t, i, "item"))) != 0)
			return -1;
		fputs("</title>", out);
		if (okf) {
			int h = (int)(f * scale + 0.5);
			if (h < 0)
				h = 0;
			fprintf(out,
			        "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"%d\" "
			        "fill=\"#2f6db5\"/>",
			        x, zero - h, h);
		}
		if (okd) {
			int h = (int)(d * scale + (d < 0 ? -0.5 : 0.5));
			fprintf(out,
			        "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"%d\" fill=\"%s\"/>",
			        x + 11, h >= 0 ? zero - h : zero, h >= 0 ? h : -h,
			        d < 20 ? "#c0392b" : "#e08e0b");
		}
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%zu</text></g>",
		        x + 10, zero + 115, i + 1);
	}
	fprintf(out,
	        "<rect x=\"%d\" y=\"8\" width=\"10\" height=\"10\" fill=\"#2f6db5\"/>"
	        "<text x=\"%d\" y=\"17\">facility</text>"
	        "<rect x=\"%d\" y=\"8\" width=\"10\" height=\"10\" fill=\"#e08e0b\"/>"
	        "<text x=\"%d\" y=\"17\">discrimination</text>"
	        "<rect x=\"%d\" y=\"8\" width=\"10\" height=\"10\" fill=\"#c0392b\"/>"
	        "<text x=\"%d\" y=\"17\">below 20: review</text>"
	        "<text x=\"%d\" y=\"%d\">item number (rows of the table below)</text>"
	        "</svg></div>\n",
	        left + 10, left + 24, left + 90, left + 104, left + 210, left + 224, left, H - 6);
	return 0;
}

static int chart_confusion(FILE *out, const report_table *t)
{
	/* The "(all)" row is the last one. */
	if (t->rows == 0)
		return 0;
	size_t last = t->rows - 1;
	bool ok;
	double v[4];
	const char *cols[4] = {"hits", "false_alarms", "misses", "clear_releases"};
	double total = 0;
	for (int i = 0; i < 4; i++) {
		v[i] = cell_num(report_cell_at(t, last, cols[i]), &ok);
		total += v[i];
	}
	if (total <= 0)
		return 0;
	const char *label[4] = {"hits", "false alarms", "misses", "clear releases"};
	/* Green where the officer was right, red where wrong. */
	const char *hue[4] = {"46,139,87", "192,57,43", "192,57,43", "46,139,87"};
	fputs("<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"440\" "
	      "height=\"260\" role=\"img\" aria-label=\"Targeting confusion matrix\">"
	      "<title>Targeting confusion matrix (all trainees)</title>"
	      "<text x=\"210\" y=\"20\" text-anchor=\"middle\">examined</text>"
	      "<text x=\"350\" y=\"20\" text-anchor=\"middle\">released</text>"
	      "<text x=\"130\" y=\"90\" text-anchor=\"end\">counterfeit</text>"
	      "<text x=\"130\" y=\"200\" text-anchor=\"end\">clean</text>",
	      out);
	for (int i = 0; i < 4; i++) {
		int x = 140 + (i == 2 || i == 3 ? 140 : 0);
		int y = 30 + (i == 1 || i == 3 ? 110 : 0);
		double a = 0.15 + 0.85 * v[i] / total;
		fprintf(out,
		        "<rect x=\"%d\" y=\"%d\" width=\"138\" height=\"108\" "
		        "fill=\"rgba(%s,%.2f)\" stroke=\"#333\"/>"
		        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
		        "font-size=\"16\">%.0f</text>"
		        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
		        x, y, hue[i], a, x + 69, y + 52, v[i], x + 69, y + 72, label[i]);
	}
	fputs("</svg></div>\n", out);
	return 0;
}

/* "trainee · pack", cut to fit left of the heat map (the table below has
 * the full name). */
static int put_label(report *r, FILE *out, const char *trainee, const char *pack_id)
{
	size_t len = strlen(trainee) + strlen(pack_id) + 8;
	char *label = malloc(len);
	if (!label)
		return report_fail(r, "out of memory");
	snprintf(label, len, "%s \xc2\xb7 %s", trainee, pack_id);
	size_t keep = text_fit(label, 34);
	if (label[keep]) {
		/* room for the ellipsis: U+2026 is 3 bytes */
		keep = text_fit(label, 33);
		if (keep + 4 <= len) {
			memcpy(label + keep, "\xe2\x80\xa6", 4);
		}
	}
	int rc = put_escaped(r, out, label);
	free(label);
	return rc;
}

/* Each trainee's (and pack's) share of every part, as a heat map. */
static int chart_parts(report *r, FILE *out, const report_table *t)
{
	static const char *const parts[] = {"targeting", "indicators", "verdicts",
	                                    "evidence",  "actions",    "questions"};
	size_t n = t->rows < CHART_MAX_ROWS ? t->rows : CHART_MAX_ROWS;
	if (n == 0)
		return 0;
	const int left = 230, cw = 80, rh = 20, top = 30;
	fprintf(out,
	        "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	        "height=\"%d\" role=\"img\" aria-label=\"Scores by part per trainee\">"
	        "<title>Scores by part per trainee (percent of the part's maximum)</title>",
	        left + 6 * cw + 10, top + (int)n * rh + 10);
	for (int p = 0; p < 6; p++)
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
		        left + p * cw + cw / 2, top - 8, parts[p]);
	for (size_t i = 0; i < n; i++) {
		int y = top + (int)i * rh;
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6, y + 14);
		if (put_label(r, out, cell_str(report_cell_at(t, i, "trainee")),
		              cell_str(report_cell_at(t, i, "pack"))) != 0)
			return -1;
		fputs("</text>", out);
		for (int p = 0; p < 6; p++) {
			bool ok;
			double v = cell_num(report_cell_at(t, i, parts[p]), &ok);
			int x = left + p * cw;
			if (!ok) {
				fprintf(out,
				        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
				        "fill=\"#f2f2f2\" stroke=\"#fff\"/>"
				        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">-</text>",
				        x, y, cw, rh, x + cw / 2, y + 14);
				continue;
			}
			double c = v < 0 ? 0 : v > 100 ? 1 : v / 100;
			/* Red (0 %) through yellow to green (100 %). */
			int red = (int)(c < 0.5 ? 220 : 220 - (c - 0.5) * 2 * 174);
			int green = (int)(c < 0.5 ? 60 + c * 2 * 140 : 200 - (c - 0.5) * 2 * 61);
			fprintf(out,
			        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			        "fill=\"rgb(%d,%d,80)\" stroke=\"#fff\"/>"
			        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%.0f</text>",
			        x, y, cw, rh, red, green, x + cw / 2, y + 14, v);
		}
	}
	fputs("</svg></div>\n", out);
	return 0;
}

/* ---- tables ---- */

static int put_table(report *r, FILE *out, const report_table *t)
{
	if (t->rows == 0) {
		fputs("<p class=\"note\">Nothing to show: no finished attempt matches, or no pack "
		      "key for it.</p>\n",
		      out);
		return 0;
	}
	fputs("<table><thead><tr>", out);
	for (size_t c = 0; c < t->cols; c++) {
		fputs("<th>", out);
		if (put_escaped(r, out, t->names[c]) != 0)
			return -1;
		fputs("</th>", out);
	}
	fputs("</tr></thead><tbody>\n", out);
	for (size_t row = 0; row < t->rows; row++) {
		const report_cell *rv = report_cell_at(t, row, "review");
		bool flag = rv && rv->type == REPORT_TEXT && rv->text &&
		            (!strncmp(rv->text, "review", 6) || !strncmp(rv->text, "REVIEW", 6));
		fputs(flag ? "<tr class=\"flag\">" : "<tr>", out);
		for (size_t c = 0; c < t->cols; c++) {
			const report_cell *cell = &t->cells[row * t->cols + c];
			bool num = cell->type == REPORT_INT || cell->type == REPORT_REAL;
			fputs(num ? "<td class=\"n\">" : "<td>", out);
			if (put_cell(r, out, cell) != 0)
				return -1;
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
	return 0;
}

int report_format_html(report *r, const enum report_view *views, size_t n, FILE *out)
{
	fprintf(out,
	        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	        "style-src 'unsafe-inline'; img-src data:\">"
	        "<title>ipr-drill report</title><style>%s</style></head><body>\n"
	        "<h1>ipr-drill report</h1>\n<p>%" PRId64 " finished attempt%s.</p>\n"
	        "<h2>Score distribution</h2>\n",
	        css, r->attempts, r->attempts == 1 ? "" : "s");
	if (chart_histogram(r, out) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		report_table t;
		if (report_table_get(r, views[i], &t) != 0)
			return -1;
		fprintf(out, "<h2 id=\"%s\">", report_view_name(views[i]));
		int rc = put_escaped(r, out, report_view_title(views[i]));
		fputs("</h2>\n", out);
		if (rc == 0 && views[i] == REPORT_VIEW_ITEM)
			rc = chart_items(r, out, &t);
		else if (rc == 0 && views[i] == REPORT_VIEW_TARGETING)
			rc = chart_confusion(out, &t);
		else if (rc == 0 && views[i] == REPORT_VIEW_TRAINEE)
			rc = chart_parts(r, out, &t);
		if (rc == 0)
			rc = put_table(r, out, &t);
		report_table_free(&t);
		if (rc != 0)
			return rc;
	}
	fputs("</body></html>\n", out);
	return 0;
}
