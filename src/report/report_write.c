/* report_write.c - choosing the format, and the cell text every format
 * shares. */
#include "report_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

char *report_cell_text(const report_cell *c, const char *null_text)
{
	char buf[64];
	switch (c->type) {
	case REPORT_INT:
		snprintf(buf, sizeof buf, "%" PRId64, c->i);
		break;
	case REPORT_REAL: {
		/* Two decimals at most, trailing zeros dropped but one kept:
		 * 62.50 -> 62.5, 62.00 -> 62.0. */
		snprintf(buf, sizeof buf, "%.2f", c->d);
		size_t n = strlen(buf);
		if (strchr(buf, '.') && n >= 2 && buf[n - 1] == '0' && buf[n - 2] != '.')
			buf[n - 1] = '\0';
		if (!strcmp(buf, "-0.0"))
			strcpy(buf, "0.0");
		break;
	}
	case REPORT_TEXT:
		return strdup(c->text ? c->text : "");
	default:
		return strdup(null_text ? null_text : "");
	}
	return strdup(buf);
}

int report_write(report *r, const enum report_view *views, size_t n, const report_output *o,
                 FILE *out)
{
	int rc;
	switch (o ? o->format : REPORT_TEXT_FORMAT) {
	case REPORT_CSV:
		if (n == 0)
			return report_fail(r, "no view to write");
		rc = report_format_csv(r, views[0], out);
		break;
	case REPORT_JSON:
		rc = report_format_json(r, views, n, out);
		break;
	case REPORT_HTML:
		rc = report_format_html(r, views, n, out);
		break;
	default:
		rc = report_format_text(r, views, n, o ? o->width : 0, out);
		break;
	}
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		return report_fail(r, "cannot write the report (disk full, or the output closed?)");
	return rc;
}
