/* cmd_packs.c - `ipr-drill packs`: the packs on the search path. */
#include "cli.h"
#include "ipr-drill/text.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

struct row {
	char *cells[7];
	char *id;
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
		free(rows[r].id);
	}
	free(rows);
}

/* Adds p as a row unless an earlier folder already had its id. */
static int add_pack(struct row **rows, size_t *n, const pack *p, const char *path, size_t dir_start)
{
	for (size_t r = 0; r < *n; r++) {
		if (strcmp((*rows)[r].id, p->id.text) != 0)
			continue;
		if (r >= dir_start) {
			fprintf(stderr, "ipr-drill packs: two packs in one folder have the id '");
			cli_put_safe(stderr, p->id.text);
			fprintf(stderr, "': ");
			cli_put_safe(stderr, (*rows)[r].cells[COL_FILE]);
			fprintf(stderr, " and ");
			cli_put_safe(stderr, path);
			fprintf(stderr, "; rename one\n");
			return EX_DATAERR;
		}
		return EX_OK; /* shadowed by an earlier folder on the search path */
	}
	struct row *grown = realloc(*rows, (*n + 1) * sizeof(*grown));
	if (!grown)
		return EX_OSERR;
	*rows = grown;
	struct row *row = &grown[(*n)++];
	memset(row, 0, sizeof(*row));
	row->id = strdup(p->id.text);
	row->cells[COL_ID] = cell(p->id.text);
	row->cells[COL_TITLE] = cell(p->title.text);
	row->cells[COL_LANG] = cell(p->language.text ? p->language.text : "en");
	row->cells[COL_SHIP] = fmt_size(p->shipment_count);
	row->cells[COL_QUEST] = fmt_size(p->question_count);
	row->cells[COL_MIN] = p->estimated_minutes.present
	                              ? fmt_size((size_t)p->estimated_minutes.value)
	                              : strdup("-");
	row->cells[COL_FILE] = cell(path);
	return EX_OK;
}

static int run(int argc, char **argv)
{
	static const struct option options[] = {
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	struct cli_pack_dirs dirs = {0};
	struct row *rows = NULL;
	size_t n = 0, broken = 0;
	int c, status = EX_OK;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'h') {
			cli_print_command_help(&cmd_packs, stdout);
			return EX_OK;
		}
		return cli_usage_error(&cmd_packs, "unknown option");
	}
	if (!cli_pack_dirs_get(&dirs)) {
		fprintf(stderr, "ipr-drill packs: out of memory\n");
		return EX_OSERR;
	}
	for (size_t d = 0; d < dirs.count; d++) {
		char **paths;
		size_t count, dir_start = n;
		if (!cli_list_yaml(dirs.dirs[d], false, &paths, &count))
			continue;
		for (size_t i = 0; i < count; i++) {
			pack_load_options opts = cli_load_options();
			pack_diags diags;
			pack_diags_init(&diags);
			pack *p = pack_load_file(paths[i], &opts, &diags);
			if (!p) {
				broken++;
				fprintf(stderr, "ipr-drill packs: skipped ");
				cli_put_safe(stderr, paths[i]);
				fprintf(stderr, " (%zu error%s; run 'ipr-drill validate' on it)\n",
				        diags.errors, diags.errors == 1 ? "" : "s");
			} else if (!p->is_library) {
				int s = add_pack(&rows, &n, p, paths[i], dir_start);
				if (s != EX_OK)
					status = s;
			}
			pack_free(p);
			pack_diags_free(&diags);
		}
		cli_paths_free(paths, count);
	}
	if (n == 0) {
		fprintf(stderr, "ipr-drill packs: no packs found; searched:");
		for (size_t d = 0; d < dirs.count; d++) {
			fputc(' ', stderr);
			cli_put_safe(stderr, dirs.dirs[d]);
		}
		fprintf(stderr, "%s\n", dirs.count ? "" : " (no folder exists; use --packs DIR)");
	} else {
		print_table(rows, n);
	}
	free_rows(rows, n);
	cli_pack_dirs_free(&dirs);
	if (status == EX_OK && broken)
		status = EX_DATAERR;
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
