/* cmd_packs.c - `ipr-drill packs`: the packs on the search path. */
#include "cli.h"
#include "ipr-drill/text.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

struct row {
	char *cells[7];
};

enum { COL_ID, COL_TITLE, COL_LANG, COL_SHIP, COL_QUEST, COL_MIN, COL_FILE, COLS };

static const char *const headers[COLS] = {"ID",        "TITLE", "LANG", "SHIPMENTS",
                                          "QUESTIONS", "MIN",   "FILE"};

static char *fmt_size(size_t n)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%zu", n);
	return strdup(buf);
}

/* Sanitised copy for a table cell. */
static char *cell(const char *s)
{
	return text_sanitize(s ? s : "", false);
}

static void print_padded(const char *s, size_t width, bool last)
{
	size_t w = text_width(s);
	fputs(s, stdout);
	if (!last)
		for (size_t i = w; i < width + 2; i++)
			putchar(' ');
}

static void print_table(struct row *rows, size_t n)
{
	size_t width[COLS];

	for (int c = 0; c < COLS; c++) {
		width[c] = text_width(headers[c]);
		for (size_t r = 0; r < n; r++) {
			size_t w = rows[r].cells[c] ? text_width(rows[r].cells[c]) : 0;
			if (w > width[c])
				width[c] = w;
		}
	}
	for (int c = 0; c < COLS; c++)
		print_padded(headers[c], width[c], c == COLS - 1);
	putchar('\n');
	for (size_t r = 0; r < n; r++) {
		for (int c = 0; c < COLS; c++)
			print_padded(rows[r].cells[c] ? rows[r].cells[c] : "", width[c],
			             c == COLS - 1);
		putchar('\n');
	}
}

static void free_rows(struct row *rows, size_t n)
{
	for (size_t r = 0; r < n; r++) {
		for (int c = 0; c < COLS; c++)
			free(rows[r].cells[c]);
	}
	free(rows);
}

static struct row make_row(const pack *p, const char *path)
{
	struct row row;
	memset(&row, 0, sizeof(row));
	row.cells[COL_ID] = cell(p->id.text);
	row.cells[COL_TITLE] = cell(p->title.text);
	row.cells[COL_LANG] = cell(p->language.text ? p->language.text : "en");
	row.cells[COL_SHIP] = fmt_size(p->shipment_count);
	row.cells[COL_QUEST] = fmt_size(p->question_count);
	row.cells[COL_MIN] = p->estimated_minutes.present
	                             ? fmt_size((size_t)p->estimated_minutes.value)
	                             : strdup("-");
	row.cells[COL_FILE] = cell(path);
	return row;
}

static int run(int argc, char **argv)
{
	static const struct option options[] = {
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	struct cli_catalog cat;
	struct row *rows;
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'h') {
			cli_print_command_help(&cmd_packs, stdout);
			return EX_OK;
		}
		return cli_usage_error(&cmd_packs, "unknown option");
	}
	if (!cli_catalog_load(&cat, true)) {
		fprintf(stderr, "ipr-drill packs: out of memory\n");
		cli_catalog_free(&cat);
		return EX_OSERR;
	}
	rows = calloc(cat.count + 1, sizeof(*rows));
	if (!rows) {
		cli_catalog_free(&cat);
		return EX_OSERR;
	}
	for (size_t i = 0; i < cat.count; i++)
		rows[i] = make_row(cat.items[i].pack, cat.items[i].path);
	if (cat.count)
		print_table(rows, cat.count);
	free_rows(rows, cat.count);
	int status = cat.clash || cat.broken ? EX_DATAERR : EX_OK;
	cli_catalog_free(&cat);
	return status;
}

const struct cli_command cmd_packs = {
        .name = "packs",
        .summary = "list the exercise packs on the search path",
        .usage = "ipr-drill [--packs DIR] packs",
        .help = "Lists every valid pack found on the search path as a table: id, title,\n"
                "language, shipments, questions, estimated minutes and file.  Brand-library\n"
                "files are not listed.  When two folders hold a pack with the same id, the\n"
                "first folder on the search path wins; two packs with one id in the same\n"
                "folder are reported as an error.\n\n"
                "Options:\n"
                "  -h, --help   show this help\n\n"
                "Exit status: 0 ok, 65 a pack could not be loaded or ids clash.\n",
        .run = run,
};
