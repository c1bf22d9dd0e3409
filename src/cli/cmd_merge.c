/* cmd_merge.c - `ipr-drill merge`: trainees' laptop databases into one. */
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
	        {"into", required_argument, NULL, 'i'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	const char *into = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "i:h", options, NULL)) != -1) {
		switch (c) {
		case 'i':
			into = optarg;
			break;
		case 'h':
			cli_print_command_help(&cmd_merge, stdout);
			return EX_OK;
		default:
			return cli_usage_error(&cmd_merge, "unknown option");
		}
	}
	if (!into)
		return cli_usage_error(&cmd_merge, "say which database to merge into with --into");
	if (optind >= argc)
		return cli_usage_error(&cmd_merge, "name at least one database to merge from");

	char err[STORE_ERR_SIZE];
	store *dest = NULL;
	if (store_open(into, 0, &dest, err, sizeof err) != 0) {
		fprintf(stderr, "ipr-drill merge: ");
		cli_put_safe(stderr, err);
		fputc('\n', stderr);
		return EX_CANTCREAT;
	}
	int status = EX_OK;
	for (int i = optind; i < argc; i++) {
		report_merge_stats st;
		char merr[1024];
		cli_put_safe(stdout, argv[i]);
		if (report_merge(dest, argv[i], &st, merr, sizeof merr) != 0) {
			printf(": refused\n");
			fflush(stdout);
			fprintf(stderr, "ipr-drill merge: ");
			cli_put_safe(stderr, merr);
			fputc('\n', stderr);
			status = EX_DATAERR;
			continue;
		}
		printf(": %lld attempts added, %lld updated, %lld skipped (already present)",
		       (long long)st.attempts_added, (long long)st.attempts_updated,
		       (long long)st.attempts_skipped);
		if (st.attempts_conflict)
			printf(", %lld refused (same UUID, another trainee)",
			       (long long)st.attempts_conflict);
		printf("; %lld responses added; %lld new trainees\n", (long long)st.responses_added,
		       (long long)st.trainees_added);
	}
	store_close(dest);
	return status;
}

const struct cli_command cmd_merge = {
        .name = "merge",
        .summary = "bring results from other databases (laptops) into one",
        .usage = "ipr-drill merge --into DEST.db SRC.db...",
        .help = "Copies every trainee, attempt and response of each SRC.db into DEST.db\n"
                "(created when missing).  Attempts are matched by their UUID, so merging\n"
                "the same file twice adds nothing; trainees are matched by name.  A later\n"
                "copy of an attempt that was in progress adds its new responses and its\n"
                "end.  Each source is copied in one transaction: all of it or nothing.\n"
                "A file that is not an ipr-drill results database, or that fails SQLite's\n"
                "integrity check, is refused; nothing in a source (triggers, views) runs.\n\n"
                "Options:\n"
                "  -i, --into DEST.db  the database to merge into\n\n"
                "Exit status: 0 when every source was merged, 65 when one was refused\n"
                "(the others are still merged), 73 when DEST cannot be opened.\n",
        .run = run,
};
