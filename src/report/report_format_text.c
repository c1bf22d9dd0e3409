/* report_format_text.c - views as aligned text tables that fit the
 * terminal.  Every value is stripped of control characters first; widths
 * are display columns (CJK names take two per character), and a column
 * too wide for the terminal is cut at a character boundary with "~". */
#include "report_internal.h"

#include "ipr-drill/text.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MIN_COL 3

static void pad(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

/* Writes s in exactly w columns, cut when longer, right-aligned when
 * right is true. */
static void put_cell(FILE *out, const char *s, size_t w, bool right)
{
	size_t sw = text_width(s);
	if (sw > w) {
		if (w == 0)
			return;
		size_t keep = text_fit(s, w - 1);
		fwrite(s, 1, keep, out);
		size_t kw = sw - text_width(s + keep);
		fputc('~', out);
		pad(out, w > kw + 1 ? w - kw - 1 : 0);
		return;
	}
	if (right)
		pad(out, w - sw);
	fputs(s, out);
	if (!right)
		pad(out, w - sw);
}

/* Prints the key columns [0, key) and columns [start, end) of every
 * row. */
static int print_block(const report_table *t, char **text, const size_t *w_in, const bool *right,
                       size_t key, size_t start, size_t end, size_t width, FILE *out)
{
	size_t n = key + end - start;
	size_t *cols = malloc(n * sizeof *cols);
	size_t *w = malloc(n * sizeof *w);
	if (!cols || !w) {
		free(cols);
		free(w);
		return -1;
	}
	for (size_t k = 0; k < n; k++)
		cols[k] = k < key ? k : start + k - key;
	for (size_t k = 0; k < n; k++)
		w[k] = w_in[cols[k]];
	while (width > 0) {
		size_t total = 2 * (n - 1), widest = 0;
		for (size_t k = 0; k < n; k++) {
			total += w[k];
			if (w[k] > w[widest])
				widest = k;
		}
		if (total <= width || w[widest] <= MIN_COL)
			break;
		w[widest]--;
	}
	for (size_t k = 0; k < n; k++) {
		if (k + 1 == n && !right[cols[k]])
			fputs(t->names[cols[k]], out);
		else
			put_cell(out, t->names[cols[k]], w[k], right[cols[k]]);
		fputs(k + 1 < n ? "  " : "\n", out);
	}
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < w[k]; i++)
			fputc('-', out);
		fputs(k + 1 < n ? "  " : "\n", out);
	}
	for (size_t row = 0; row < t->rows; row++)
		for (size_t k = 0; k < n; k++) {
			const char *s = text[row * t->cols + cols[k]];
			/* The last column is not padded: no trailing blanks. */
			if (k + 1 == n && !right[cols[k]] && text_width(s) <= w[k])
				fputs(s, out);
			else
				put_cell(out, s, w[k], right[cols[k]]);
			fputs(k + 1 < n ? "  " : "\n", out);
		}
	free(cols);
	free(w);
	return 0;
}

static int print_table(report *r, const report_table *t, size_t width, FILE *out)
{
	size_t n = t->rows * t->cols;
	char **text = calloc(n ? n : 1, sizeof *text);
	size_t *w = calloc(t->cols ? t->cols : 1, sizeof *w);
	bool *right = calloc(t->cols ? t->cols : 1, sizeof *right);
	int rc = 0;
	if (!text || !w || !right) {
		rc = report_fail(r, "out of memory");
		goto out;
	}
	for (size_t c = 0; c < t->cols; c++)
		w[c] = text_width(t->names[c]);
	for (size_t i = 0; i < n; i++) {
		char *s = report_cell_text(&t->cells[i], "-");
		text[i] = s ? text_sanitize(s, false) : NULL;
		free(s);
		if (!text[i]) {
			rc = report_fail(r, "out of memory");
			goto out;
		}
		size_t c = i % t->cols;
		size_t cw = text_width(text[i]);
		if (cw > w[c])
			w[c] = cw;
		if (t->cells[i].type == REPORT_INT || t->cells[i].type == REPORT_REAL)
			right[c] = true;
	}
	/* Too wide for the terminal: the columns are split into blocks that
	 * each repeat the first (key) column, and within a block the widest
	 * column is narrowed until the rows fit. */
	/* The item view keeps pack and item in every block; others the first
	 * column. */
	size_t key = t->view == REPORT_VIEW_ITEM && t->cols > 2 ? 2 : 1;
	if (t->cols == 0)
		goto out;
	size_t keyw = 0;
	for (size_t k = 0; k < key; k++)
		keyw += w[k] + (k ? 2 : 0);
	size_t start = key;
	do {
		size_t end = start, total = keyw;
		while (end < t->cols && (end == start || width == 0 || total + 2 + w[end] <= width))
			total += 2 + w[end++];
		if (print_block(t, text, w, right, key, start, end, width, out) != 0) {
			rc = report_fail(r, "out of memory");
			goto out;
		}
		if (end < t->cols)
			fputc('\n', out);
		start = end;
	} while (start < t->cols);
	if (t->rows == 0)
		fputs("(nothing to show: no finished attempt matches, or no pack key for it)\n",
		      out);
out:
	for (size_t i = 0; text && i < n; i++)
		free(text[i]);
	free(text);
	free(w);
	free(right);
	return rc;
}

int report_format_text(report *r, const enum report_view *views, size_t n, size_t width, FILE *out)
{
	fprintf(out, "%" PRId64 " finished attempt%s\n", r->attempts, r->attempts == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		report_table t;
		if (report_table_get(r, views[i], &t) != 0)
			return -1;
		fprintf(out, "\n%s\n\n", report_view_title(views[i]));
		int rc = print_table(r, &t, width, out);
		report_table_free(&t);
		if (rc != 0)
			return rc;
	}
	return 0;
}
