/* cmd_export.c - `ipr-drill export`: results as CSV, JSON or xAPI. */
#include "cli.h"
#include "ipr-drill/report.h"
#include "ipr-drill/store.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static int run(int argc, char **argv)
{
	static const struct option options[] = {
	        {"format", required_argument, NULL, 'f'},
	        {"output", required_argument, NULL, 'o'},
	        {"db", required_argument, NULL, 'd'},
	        {"pack", required_argument, NULL, 'P'},
	        {"trainee", required_argument, NULL, 'T'},
	        {"group", required_argument, NULL, 'G'},
	        {"since", required_argument, NULL, 'S'},
	        {"until", required_argument, NULL, 'U'},
	        {"activity-base", required_argument, NULL, 'B'},
	        {"pass-mark", required_argument, NULL, 'M'},
	        {"attempts", no_argument, NULL, 'A'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	report_export_options o = {.format = REPORT_EXPORT_CSV, .pass_percent = -1};
	const char *output = NULL, *db = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "f:o:h", options, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "csv"))
				o.format = REPORT_EXPORT_CSV;
			else if (!strcmp(optarg, "json"))
				o.format = REPORT_EXPORT_JSON;
			else if (!strcmp(optarg, "xapi"))
				o.format = REPORT_EXPORT_XAPI;
			else
				return cli_usage_error(&cmd_export,
				                       "--format is csv, json or xapi");
			break;
		case 'o':
			output = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'P':
			o.pack_id = optarg;
			break;
		case 'T':
			o.trainee = optarg;
			break;
		case 'G':
			o.group_tag = optarg;
			break;
		case 'S':
			o.since = optarg;
			break;
		case 'U':
			o.until = optarg;
			break;
		case 'B':
			o.activity_base = optarg;
			break;
		case 'A':
			o.attempts_only = true;
			break;
		case 'M': {
			char *end = NULL;
			o.pass_percent = strtod(optarg, &end);
			if (!end || *end || o.pass_percent < 0 || o.pass_percent > 100)
				return cli_usage_error(&cmd_export,
				                       "--pass-mark is a percentage, 0 to 100");
			break;
		}
		case 'h':
			cli_print_command_help(&cmd_export, stdout);
			return EX_OK;
		default:
			return cli_usage_error(&cmd_export, "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage_error(&cmd_export, "unexpected argument");

	char err[STORE_ERR_SIZE];
	char *path = store_resolve_path(db, NULL, err, sizeof err);
	store *s = NULL;
	if (!path || store_open(path, STORE_OPEN_READONLY, &s, err, sizeof err) != 0) {
		free(path);
		fprintf(stderr, "ipr-drill export: ");
		cli_put_safe(stderr, err);
		fputc('\n', stderr);
		return EX_NOINPUT;
	}
	free(path);
	FILE *out = stdout;
	if (output && strcmp(output, "-") != 0) {
		out = fopen(output, "w");
		if (!out) {
			fprintf(stderr, "ipr-drill export: cannot write ");
			cli_put_safe(stderr, output);
			fprintf(stderr, ": check the folder exists and you may write to it\n");
			store_close(s);
			return EX_CANTCREAT;
		}
	}
	int rc = report_export(s, &o, out, err, sizeof err);
	if (out != stdout && fclose(out) != 0 && rc == 0) {
		snprintf(err, sizeof err, "cannot finish writing the file (disk full?)");
		rc = -1;
	}
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "ipr-drill export: ");
		cli_put_safe(stderr, err);
		fputc('\n', stderr);
		return EX_DATAERR;
	}
	return EX_OK;
}

const struct cli_command cmd_export = {
        .name = "export",
        .summary = "export results as CSV, JSON or xAPI statements for an LMS",
        .usage = "ipr-drill export [--format csv|json|xapi] [-o FILE] [FILTER]...",
        .help = "Writes the results of the chosen attempts to FILE (standard output by\n"
                "default).\n\n"
                "Formats:\n"
                "  csv   RFC 4180, one row per response (--attempts: one per attempt)\n"
                "  json  an array of attempts, each with its responses\n"
                "  xapi  an array of xAPI 1.0.3 statements: one per response (verb\n"
                "        answered) and one per attempt (completed, or passed/failed with\n"
                "        --pass-mark; attempted while in progress; terminated when\n"
                "        abandoned); statement ids are stable across exports\n\n"
                "Options:\n"
                "  -f, --format FMT        csv (default), json or xapi\n"
                "  -o, --output FILE       write to FILE instead of standard output\n"
                "      --db FILE           the results database (else $IPR_DRILL_DB, else\n"
                "                          the default)\n"
                "      --pack ID           only attempts of this pack\n"
                "      --trainee NAME      only this trainee\n"
                "      --group TAG         only this group\n"
                "      --since DATE        attempts started on or after DATE (YYYY-MM-DD)\n"
                "      --until DATE        attempts started on or before DATE\n"
                "      --attempts          csv: one row per attempt\n"
                "      --activity-base IRI xapi: prefix of activity ids and the actor's\n"
                "                          account homePage (default " REPORT_XAPI_DEFAULT_BASE
                ")\n"
                "      --pass-mark PCT     xapi: passed/failed at PCT percent of the maximum\n",
        .run = run,
};
