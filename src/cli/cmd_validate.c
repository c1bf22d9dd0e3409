/* cmd_validate.c - `ipr-drill validate`: tell a pack author what is wrong. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

/* Reads all of stdin (at most max bytes) into a malloc'd buffer. */
static char *read_stdin(size_t max, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);

	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, stdin);
		n += got;
		if (got == 0 || n > max)
			break;
		if (n == cap) {
			char *grown = cap <= max ? realloc(buf, cap * 2) : NULL;
			if (!grown) {
				free(buf);
				return NULL;
			}
			buf = grown;
			cap *= 2;
		}
	}
	*len = n;
	return buf;
}

struct tally {
	size_t files, errors, warnings, unreadable;
};

static void check_one(const char *path, bool strict, bool quiet, struct tally *t)
{
	pack_load_options opts = cli_load_options();
	pack_diags diags;
	pack *p;

	pack_diags_init(&diags);
	if (!strcmp(path, "-")) {
		size_t len = 0;
		char *buf = read_stdin(PACK_DEFAULT_MAX_BYTES, &len);
		if (!buf) {
			fprintf(stderr,
			        "ipr-drill validate: out of memory reading standard input\n");
			t->unreadable++;
			return;
		}
		p = pack_load_buffer(buf, len, "<stdin>", ".", &opts, &diags);
		free(buf);
	} else {
		struct stat st;
		if (stat(path, &st) != 0) {
			fprintf(stderr, "ipr-drill validate: cannot open '");
			cli_put_safe(stderr, path);
			fprintf(stderr, "': %s\n", strerror(errno));
			t->unreadable++;
			return;
		}
		p = pack_load_file(path, &opts, &diags);
	}
	t->files++;
	if (strict) {
		for (size_t i = 0; i < diags.count; i++)
			diags.items[i].severity = PACK_ERROR;
		diags.errors += diags.warnings;
		diags.warnings = 0;
	}
	pack_diags_print(&diags, stderr, cli_globals.color);
	t->errors += diags.errors;
	t->warnings += diags.warnings;
	if (!quiet && diags.errors == 0) {
		cli_put_safe(stdout, path);
		printf(": ok (%s%s)\n", p && p->is_library ? "brand library" : "pack",
		       diags.warnings ? ", with warnings" : "");
	}
	pack_free(p);
	pack_diags_free(&diags);
}

static int run(int argc, char **argv)
{
	static const struct option options[] = {
	        {"strict", no_argument, NULL, 's'},
	        {"quiet", no_argument, NULL, 'q'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	bool strict = false, quiet = false;
	struct tally t = {0};
	int c;

	while ((c = getopt_long(argc, argv, "sqh", options, NULL)) != -1) {
		switch (c) {
		case 's':
			strict = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			cli_print_command_help(&cmd_validate, stdout);
			return EX_OK;
		default:
			return cli_usage_error(&cmd_validate, "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage_error(&cmd_validate, "name at least one pack file or folder");

	for (int i = optind; i < argc; i++) {
		struct stat st;
		if (strcmp(argv[i], "-") != 0 && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			char **paths;
			size_t n;
			if (!cli_list_yaml(argv[i], true, &paths, &n)) {
				t.unreadable++;
				continue;
			}
			if (n == 0) {
				fprintf(stderr, "ipr-drill validate: no .yaml or .yml files in '");
				cli_put_safe(stderr, argv[i]);
				fprintf(stderr, "'\n");
				t.unreadable++;
			}
			for (size_t k = 0; k < n; k++)
				check_one(paths[k], strict, quiet, &t);
			cli_paths_free(paths, n);
		} else {
			check_one(argv[i], strict, quiet, &t);
		}
	}
	if (!quiet || t.errors || t.warnings)
		fprintf(stderr, "%zu file%s checked: %zu error%s, %zu warning%s\n", t.files,
		        t.files == 1 ? "" : "s", t.errors, t.errors == 1 ? "" : "s", t.warnings,
		        t.warnings == 1 ? "" : "s");
	if (t.errors)
		return EX_DATAERR;
	return t.unreadable ? EX_NOINPUT : EX_OK;
}

const struct cli_command cmd_validate = {
        .name = "validate",
        .summary = "check exercise packs and report every problem",
        .usage = "ipr-drill validate [--strict] [--quiet] PATH...",
        .help = "Checks each pack file (or every .yaml/.yml file under each folder; '-' reads\n"
                "standard input) against pack format 1 and prints each problem as\n"
                "PATH:LINE:COLUMN: error: MESSAGE with the source line and a caret.\n\n"
                "Options:\n"
                "  -s, --strict   treat warnings as errors\n"
                "  -q, --quiet    print only problems\n"
                "  -h, --help     show this help\n\n"
                "Art paths are looked up beside the pack, in $IPR_DRILL_ASSETS or the installed\n"
                "assets folder, and in the assets folder beside the pack's folder.\n\n"
                "Exit status: 0 valid, 64 usage error, 65 a pack has errors, 66 a path could\n"
                "not be read.  The format is described in docs/pack-format.md.\n",
        .run = run,
};
