/* cmd_regrade.c - `ipr-drill regrade`: re-score attempts after a pack's
 * answer key was corrected. */
#include "cli.h"
#include "ipr-drill/report.h"
#include "ipr-drill/store.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

static void print_score(long long score, long long max)
{
	if (max >= 0)
		printf("%lld/%lld", score, max);
	else
		printf("%lld", score);
}

static int run(int argc, char **argv)
{
	static const struct option options[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"dry-run", no_argument, NULL, 'n'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	const char *db = NULL;
	bool dry_run = false;
	int c;
	while ((c = getopt_long(argc, argv, "nh", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'n':
			dry_run = true;
			break;
		case 'h':
			cli_print_command_help(&cmd_regrade, stdout);
			return EX_OK;
		default:
			return cli_usage_error(&cmd_regrade, "unknown option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(&cmd_regrade, "name one pack (a file or a pack id)");
	const char *arg = argv[optind];

	/* The pack: a file when one exists by that name, else an id on the
	 * search path. */
	struct cli_catalog catalog = {0};
	pack *own = NULL;
	const pack *p = NULL;
	const char *pack_path = NULL;
	struct stat st;
	pack_load_options lo = cli_load_options();
	if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
		pack_diags diags;
		pack_diags_init(&diags);
		own = pack_load_file(arg, &lo, &diags);
		if (!own || own->is_library)
			pack_diags_print(&diags, stderr, cli_globals.color);
		pack_diags_free(&diags);
		if (!own || own->is_library) {
			fprintf(stderr, "ipr-drill regrade: ");
			cli_put_safe(stderr, arg);
			fprintf(stderr,
			        " is not a valid pack; fix it (ipr-drill validate) first\n");
			pack_free(own);
			return EX_DATAERR;
		}
		p = own;
		pack_path = arg;
	} else {
		if (!cli_catalog_load(&catalog, true)) {
			fprintf(stderr, "ipr-drill regrade: out of memory\n");
			return EX_OSERR;
		}
		const struct cli_pack_entry *e = cli_catalog_find(&catalog, arg);
		if (!e) {
			fprintf(stderr, "ipr-drill regrade: no pack file or pack id '");
			cli_put_safe(stderr, arg);
			fprintf(stderr, "' on the search path (see 'ipr-drill packs')\n");
			cli_catalog_free(&catalog);
			return EX_NOINPUT;
		}
		p = e->pack;
		pack_path = e->path;
	}

	char err[1024], sha[STORE_SHA256_HEX_SIZE];
	int status = EX_OK;
	store *s = NULL;
	char *path = NULL;
	if (store_sha256_file(pack_path, sha, err, sizeof err) != 0 ||
	    !(path = store_resolve_path(db, NULL, err, sizeof err)) ||
	    store_open(path, 0, &s, err, sizeof err) != 0) {
		fprintf(stderr, "ipr-drill regrade: ");
		cli_put_safe(stderr, err);
		fputc('\n', stderr);
		status = EX_NOINPUT;
		goto out;
	}
	report_regrade_result r;
	if (report_regrade(s, p, sha, dry_run, &r, err, sizeof err) != 0) {
		fprintf(stderr, "ipr-drill regrade: ");
		cli_put_safe(stderr, err);
		fputc('\n', stderr);
		status = EX_DATAERR;
		goto out;
	}
	for (size_t i = 0; i < r.count; i++) {
		const report_regrade_change *ch = &r.items[i];
		cli_put_safe(stdout, ch->trainee);
		char uuid8[9];
		snprintf(uuid8, sizeof uuid8, "%.8s", ch->uuid);
		printf("  ");
		cli_put_safe(stdout, uuid8); /* from the database: untrusted */
		printf("  ");
		cli_put_safe(stdout, ch->status);
		printf("  ");
		if (ch->error) {
			printf("not regraded: ");
			cli_put_safe(stdout, ch->error);
			putchar('\n');
			continue;
		}
		print_score(ch->old_score, ch->old_max);
		printf(" -> ");
		print_score(ch->new_score, ch->new_max);
		if (ch->old_score == ch->new_score && ch->old_max == ch->new_max)
			printf("  (unchanged)");
		putchar('\n');
	}
	printf("%zu attempts of ", r.count);
	cli_put_safe(stdout, p->id.text);
	printf(": %zu changed, %zu could not be replayed%s\n", r.changed, r.failed,
	       dry_run ? " (dry run: nothing was written)" : "");
	if (!dry_run)
		printf("recorded as regrade %lld\n", (long long)r.regrade_id);
	if (r.failed)
		status = EX_DATAERR;
	report_regrade_result_free(&r);
out:
	store_close(s);
	free(path);
	pack_free(own);
	cli_catalog_free(&catalog);
	return status;
}

const struct cli_command cmd_regrade = {
        .name = "regrade",
        .summary = "re-score stored attempts after a pack's answer key was corrected",
        .usage = "ipr-drill regrade [--dry-run] [--db FILE] PACK",
        .help = "PACK is the corrected pack file, or its id on the search path.  Every\n"
                "stored attempt of that pack id is replayed from the trainee's raw answers\n"
                "and scored with the corrected key: each response gets its new points,\n"
                "finished attempts their new score, maximum and stage scores, and every\n"
                "attempt the pack's new version.  Prints old -> new per trainee and keeps a\n"
                "record in the regrade table.  An attempt whose answers no longer fit the\n"
                "pack (a shipment or question was removed) is left as it was and listed.\n\n"
                "Options:\n"
                "  -n, --dry-run  show what would change, write nothing\n"
                "      --db FILE  the results database (else $IPR_DRILL_DB, else the default)\n",
        .run = run,
};
