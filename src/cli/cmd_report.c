/* cmd_report.c - `ipr-drill report`: the instructor's reports on the
 * results database (see docs/instructor-guide.md, "Reports"). */
#include "cli.h"
#include "ipr-drill/report.h"
#include "ipr-drill/text.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

struct opts {
	const char *db;
	const char *out;
	report_filter filter;
	enum report_view views[REPORT_VIEW_COUNT];
	size_t view_count;
	enum report_format format;
	long width; /* -1: from the terminal */
};

/* The terminal's width for text going to stdout: the window's size when
 * stdout is a terminal, else $COLUMNS, else no limit. */
static size_t terminal_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *env = getenv("COLUMNS");
	if (env && *env) {
		char *end;
		errno = 0;
		long v = strtol(env, &end, 10);
		if (!*end && errno == 0 && v > 0 && v < 100000)
			return (size_t)v;
	}
	return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option options[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"by", required_argument, NULL, 'b'},
	        {"pack", required_argument, NULL, 'p'},
	        {"trainee", required_argument, NULL, 't'},
	        {"group", required_argument, NULL, 'g'},
	        {"since", required_argument, NULL, 's'},
	        {"until", required_argument, NULL, 'u'},
	        {"attempts", required_argument, NULL, 'a'},
	        {"format", required_argument, NULL, 'f'},
	        {"output", required_argument, NULL, 'o'},
	        {"width", required_argument, NULL, 'w'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	int c;
	/* getopt would echo a bad option raw; it is reported sanitised below. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->db = optarg;
			break;
		case 'b': {
			enum report_view v;
			if (!strcmp(optarg, "all")) {
				o->view_count = 0;
				break;
			}
			if (!report_view_parse(optarg, &v)) {
				char *safe = text_sanitize(optarg, false);
				int rc = cli_usage_error(
				        &cmd_report,
				        "--by: no view '%.40s'; choose trainee, pack, "
				        "item, targeting, indicator, feature, group, "
				        "country or all",
				        safe ? safe : "?");
				free(safe);
				return rc;
			}
			bool seen = false;
			for (size_t i = 0; i < o->view_count; i++)
				seen |= o->views[i] == v;
			if (!seen && o->view_count < REPORT_VIEW_COUNT)
				o->views[o->view_count++] = v;
			break;
		}
		case 'p':
			o->filter.pack_id = optarg;
			break;
		case 't':
			o->filter.trainee = optarg;
			break;
		case 'g':
			o->filter.group = optarg;
			break;
		case 's':
			o->filter.since = optarg;
			break;
		case 'u':
			o->filter.until = optarg;
			break;
		case 'a':
			if (!strcmp(optarg, "all"))
				o->filter.attempts = REPORT_ATTEMPTS_ALL;
			else if (!strcmp(optarg, "best"))
				o->filter.attempts = REPORT_ATTEMPTS_BEST;
			else if (!strcmp(optarg, "last"))
				o->filter.attempts = REPORT_ATTEMPTS_LAST;
			else
				return cli_usage_error(&cmd_report,
				                       "--attempts: choose best, last or all");
			break;
		case 'f':
			if (!strcmp(optarg, "text"))
				o->format = REPORT_TEXT_FORMAT;
			else if (!strcmp(optarg, "csv"))
				o->format = REPORT_CSV;
			else if (!strcmp(optarg, "json"))
				o->format = REPORT_JSON;
			else if (!strcmp(optarg, "html"))
				o->format = REPORT_HTML;
			else
				return cli_usage_error(&cmd_report,
				                       "--format: choose text, csv, json or html");
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'w': {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (*end || errno || v < 0 || v > 100000)
				return cli_usage_error(&cmd_report,
				                       "--width: give a number of columns (0: no "
				                       "limit)");
			o->width = v;
			break;
		}
		case 'h':
			cli_print_command_help(&cmd_report, stdout);
			return -1;
		default: {
			const char *bad = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
			char *safe = text_sanitize(bad, false);
			int rc = cli_usage_error(&cmd_report,
			                         "unknown option or missing value: '%.40s'",
			                         safe ? safe : "?");
			free(safe);
			return rc;
		}
		}
	}
	if (optind < argc) {
		char *safe = text_sanitize(argv[optind], false);
		int rc = cli_usage_error(&cmd_report, "unexpected argument '%.40s'",
		                         safe ? safe : "?");
		free(safe);
		return rc;
	}
	if (o->view_count == 0)
		for (int v = 0; v < REPORT_VIEW_COUNT; v++)
			o->views[o->view_count++] = (enum report_view)v;
	return 0;
}

static int write_one(report *r, const struct opts *o, const enum report_view *views, size_t n,
                     const char *path)
{
	report_output out = {.format = o->format, .width = 0};
	FILE *f = stdout;
	if (path) {
		f = fopen(path, "w");
		if (!f) {
			fprintf(stderr, "ipr-drill report: cannot write ");
			cli_put_safe(stderr, path);
			fprintf(stderr, ": %s\n", strerror(errno));
			return EX_CANTCREAT;
		}
	}
	if (o->width >= 0)
		out.width = (size_t)o->width;
	else if (!path)
		out.width = terminal_width();
	int rc = report_write(r, views, n, &out, f);
	if (path && fclose(f) != 0 && rc == 0) {
		fprintf(stderr, "ipr-drill report: cannot write ");
		cli_put_safe(stderr, path);
		fprintf(stderr, ": %s\n", strerror(errno));
		return EX_IOERR;
	}
	if (rc != 0) {
		fprintf(stderr, "ipr-drill report: ");
		cli_put_safe(stderr, report_errmsg(r));
		fputc('\n', stderr);
		return EX_IOERR;
	}
	return EX_OK;
}

/* CSV holds one table: with several views, -o names a folder that gets
 * VIEW.csv for each. */
static int write_csv_folder(report *r, const struct opts *o)
{
	if (mkdir(o->out, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "ipr-drill report: cannot create the folder ");
		cli_put_safe(stderr, o->out);
		fprintf(stderr, ": %s\n", strerror(errno));
		return EX_CANTCREAT;
	}
	for (size_t i = 0; i < o->view_count; i++) {
		size_t len = strlen(o->out) + strlen(report_view_name(o->views[i])) + 8;
		char *path = malloc(len);
		if (!path) {
			fprintf(stderr, "ipr-drill report: out of memory\n");
			return EX_OSERR;
		}
		snprintf(path, len, "%s/%s.csv", o->out, report_view_name(o->views[i]));
		int rc = write_one(r, o, &o->views[i], 1, path);
		free(path);
		if (rc != EX_OK)
			return rc;
	}
	return EX_OK;
}

static int run(int argc, char **argv)
{
	struct opts o = {.width = -1};
	int rc = parse(argc, argv, &o);
	if (rc != 0)
		return rc < 0 ? EX_OK : rc;
	if (o.format == REPORT_CSV && o.view_count > 1 && !o.out)
		return cli_usage_error(&cmd_report,
		                       "CSV holds one table: choose a view with --by, or give -o "
		                       "FOLDER for one file per view");

	char err[STORE_ERR_SIZE];
	char *path = store_resolve_path(o.db, NULL, err, sizeof err);
	if (!path) {
		fprintf(stderr, "ipr-drill report: %s\n", err);
		return EX_USAGE;
	}
	store *s = NULL;
	if (store_open(path, STORE_OPEN_READONLY, &s, err, sizeof err) != 0) {
		fprintf(stderr, "ipr-drill report: ");
		cli_put_safe(stderr, err);
		fputc('\n', stderr);
		free(path);
		return EX_NOINPUT;
	}
	free(path);

	/* The packs give the answer keys; a pack that is not on the search
	 * path leaves its attempts in the score views only. */
	struct cli_catalog cat = {0};
	if (!cli_catalog_load(&cat, false)) {
		fprintf(stderr, "ipr-drill report: out of memory\n");
		store_close(s);
		return EX_OSERR;
	}
	const pack **packs = calloc(cat.count ? cat.count : 1, sizeof *packs);
	if (!packs) {
		fprintf(stderr, "ipr-drill report: out of memory\n");
		cli_catalog_free(&cat);
		store_close(s);
		return EX_OSERR;
	}
	for (size_t i = 0; i < cat.count; i++)
		packs[i] = cat.items[i].pack;

	report *r = NULL;
	char rerr[512];
	if (report_open(s, (const pack *const *)packs, cat.count, &o.filter, &r, rerr,
	                sizeof rerr) != 0) {
		fprintf(stderr, "ipr-drill report: ");
		cli_put_safe(stderr, rerr);
		fputc('\n', stderr);
		rc = strncmp(rerr, "--", 2) == 0 ? EX_USAGE : EX_IOERR;
	} else if (o.format == REPORT_CSV && o.view_count > 1) {
		rc = write_csv_folder(r, &o);
	} else {
		rc = write_one(r, &o, o.views, o.view_count, o.out);
	}
	report_close(r);
	free(packs);
	cli_catalog_free(&cat);
	store_close(s);
	return rc;
}

const struct cli_command cmd_report = {
        .name = "report",
        .summary = "reports for instructors: scores, item analysis, targeting",
        .usage = "ipr-drill report [--by VIEW] [FILTER]... [--format FORMAT] [-o FILE]",
        .help = "Views (--by, repeatable; all of them by default):\n"
                "  trainee    attempts, best and last score, time, score by part,\n"
                "             weakest indicator and feature, trend\n"
                "  pack       per pack: mean, SD, Cronbach's alpha (Moodle's CIC)\n"
                "  item       per shipment, item and question: facility, SD,\n"
                "             discrimination; weak items flagged for review\n"
                "  targeting  examined/released against counterfeit/clean, per trainee\n"
                "  indicator  recall and precision per risk indicator\n"
                "  feature    per product feature: cited as evidence, fakes passed\n"
                "  group      per group tag\n"
                "  country    per trainee country\n\n"
                "Filters:\n"
                "  --pack ID          attempts of one pack\n"
                "  --trainee NAME     one trainee's attempts\n"
                "  --group TAG        one workshop group\n"
                "  --since DATE       attempts started on or after DATE (YYYY-MM-DD)\n"
                "  --until DATE       attempts started on or before DATE\n"
                "  --attempts WHICH   best, last or all (default) per trainee and pack\n\n"
                "Output:\n"
                "  --format FORMAT    text (default), csv, json or html\n"
                "  -o, --output FILE  write to FILE (csv with several views: a folder\n"
                "                     that gets one VIEW.csv per view)\n"
                "  --width N          text: fit tables in N columns (0: no limit;\n"
                "                     default: the terminal, else $COLUMNS)\n"
                "  --db FILE          the results database (default: $IPR_DRILL_DB, or\n"
                "                     the per-user database)\n\n"
                "Only finished attempts count.  Figures that cannot be computed (one\n"
                "attempt, no variance) show as '-'.  See docs/instructor-guide.md.\n",
        .run = run,
};
