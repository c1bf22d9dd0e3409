/* report_format_csv.c - one view as RFC 4180 CSV: a header row, CRLF line
 * ends, fields quoted when they hold a comma, quote, CR or LF. */
#include "report_internal.h"

#include "ipr-drill/text.h"

#include <stdlib.h>
#include <string.h>

static void put_field(FILE *out, const char *s)
{
	bool quote = s[strcspn(s, ",\"\r\n")] != '\0' || s[0] == ' ' ||
	             (s[0] && s[strlen(s) - 1] == ' ');
	if (!quote) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

int report_format_csv(report *r, enum report_view view, FILE *out)
{
	report_table t;
	if (report_table_get(r, view, &t) != 0)
		return -1;
	for (size_t c = 0; c < t.cols; c++) {
		if (c)
			fputc(',', out);
		put_field(out, t.names[c]);
	}
	fputs("\r\n", out);
	int rc = 0;
	for (size_t row = 0; row < t.rows && rc == 0; row++) {
		for (size_t c = 0; c < t.cols; c++) {
			char *s = report_cell_text(&t.cells[row * t.cols + c], "");
			/* Control characters never reach a terminal that cats the
			 * file: the store refuses them, and a doctored file gets
			 * their visible forms. */
			char *safe = s ? text_sanitize(s, false) : NULL;
			free(s);
			if (!safe) {
				rc = report_fail(r, "out of memory");
				break;
			}
			if (c)
				fputc(',', out);
			put_field(out, safe);
			free(safe);
		}
		fputs("\r\n", out);
	}
	report_table_free(&t);
	return rc;
}
