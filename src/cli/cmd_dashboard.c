/* cmd_dashboard.c - `ipr-drill dashboard`: the instructor's live view.
 * Joins the report module's data (which runs the SQL) to the TUI's
 * screen (which draws) through plain rows. */
#include "cli.h"
#include "ipr-drill/report.h"
#include "ipr-drill/store.h"
#include "ipr-drill/tui.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

struct dash_ctx {
	report_dash *dash;
	struct cli_catalog catalog;
	tui_dash_row *rows;
	tui_dash_decision *decisions;
	size_t count;
};

static const pack *lookup(void *ctx, const char *pack_id)
{
	struct dash_ctx *c = ctx;
	const struct cli_pack_entry *e = cli_catalog_find(&c->catalog, pack_id);
	return e ? e->pack : NULL;
}

/* The snapshot as the screen's rows; strings stay the report's. */
static int convert(struct dash_ctx *c, const report_dash_snapshot *snap)
{
	size_t nd = 0;
	for (size_t i = 0; i < snap->count; i++)
		nd += snap->rows[i].decision_count;
	tui_dash_row *rows = snap->count ? calloc(snap->count, sizeof *rows) : NULL;
	tui_dash_decision *decs = nd ? calloc(nd, sizeof *decs) : NULL;
	if ((snap->count && !rows) || (nd && !decs)) {
		free(rows);
		free(decs);
		return -1;
	}
	size_t k = 0;
	for (size_t i = 0; i < snap->count; i++) {
		const report_dash_row *r = &snap->rows[i];
		rows[i] = (tui_dash_row){.trainee = r->trainee,
		                         .pack_id = r->pack_id,
		                         .group_tag = r->group_tag,
		                         .status = r->status,
		                         .stage = r->status && !strcmp(r->status, "abandoned")
		                                          ? "abandoned"
		                                          : r->stage,
		                         .done = r->done,
		                         .todo = r->todo,
		                         .score = r->score,
		                         .best = r->best,
		                         .elapsed_ms = r->elapsed_ms,
		                         .responses = r->responses,
		                         .decisions = decs ? decs + k : NULL,
		                         .decision_count = r->decision_count};
		for (size_t j = 0; j < r->decision_count; j++, k++)
			decs[k] =
			        (tui_dash_decision){r->decisions[j].what, r->decisions[j].given,
			                            r->decisions[j].key,  r->decisions[j].points,
			                            r->decisions[j].best, r->decisions[j].correct};
	}
	free(c->rows);
	free(c->decisions);
	c->rows = rows;
	c->decisions = decs;
	c->count = snap->count;
	return 0;
}

static int poll(void *ctx, const tui_dash_row **rows, size_t *count, bool *changed, char *msg,
                size_t msg_size)
{
	struct dash_ctx *c = ctx;
	if (report_dash_poll(c->dash, changed) != 0) {
		snprintf(msg, msg_size, "%s", report_dash_errmsg(c->dash));
		*changed = false;
		return -1;
	}
	if (*changed && convert(c, report_dash_snapshot_get(c->dash)) != 0) {
		snprintf(msg, msg_size, "out of memory");
		*changed = false;
		return -1;
	}
	*rows = c->rows;
	*count = c->count;
	return 0;
}

static int run(int argc, char **argv)
{
	static const struct option options[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"group", required_argument, NULL, 'g'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	const char *db = NULL, *group = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "g:h", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'g':
			group = optarg;
			break;
		case 'h':
			cli_print_command_help(&cmd_dashboard, stdout);
			return EX_OK;
		default:
			return cli_usage_error(&cmd_dashboard, "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage_error(&cmd_dashboard, "unexpected argument");

	struct dash_ctx ctx = {0};
	char err[STORE_ERR_SIZE];
	char *path = store_resolve_path(db, NULL, err, sizeof err);
	if (!path || report_dash_open(path, group, lookup, &ctx, &ctx.dash, err, sizeof err) != 0) {
		free(path);
		fprintf(stderr, "ipr-drill dashboard: ");
		cli_put_safe(stderr, err);
		fputc('\n', stderr);
		return EX_NOINPUT;
	}
	/* Packs give the stage, progress and accuracy; without one a row
	 * still shows points and time. */
	if (!cli_catalog_load(&ctx.catalog, false)) {
		report_dash_close(ctx.dash);
		free(path);
		fprintf(stderr, "ipr-drill dashboard: out of memory\n");
		return EX_OSERR;
	}
	char title[600];
	snprintf(title, sizeof title, "%s%s", group ? " - group " : "", group ? group : "");
	tui_options topts = {.no_color = cli_globals.no_color, .assets_dir = cli_assets_dir()};
	tui *t = NULL;
	int status = EX_OK;
	int rc = tui_open(&topts, &t);
	if (rc == TUI_OK) {
		tui_dash_callbacks cb = {.ctx = &ctx, .title = title, .poll = poll};
		rc = tui_dashboard(t, &cb);
	}
	if (rc < 0) {
		char why[512];
		snprintf(why, sizeof why, "%s", t ? tui_errmsg(t) : "");
		tui_close(t);
		t = NULL;
		fprintf(stderr, "ipr-drill dashboard: %s\n",
		        rc == TUI_ERR_SIGNAL ? "interrupted"
		                             : (why[0] ? why : "no usable terminal"));
		status = rc == TUI_ERR_NO_TERMINAL ? EX_UNAVAILABLE : EX_SOFTWARE;
	}
	tui_close(t);
	report_dash_close(ctx.dash);
	cli_catalog_free(&ctx.catalog);
	free(ctx.rows);
	free(ctx.decisions);
	free(path);
	return status;
}

const struct cli_command cmd_dashboard = {
        .name = "dashboard",
        .summary = "the instructor's live view of every trainee during a workshop",
        .usage = "ipr-drill dashboard [--db FILE] [--group TAG]",
        .help = "Shows each trainee's latest attempt: pack, current stage, progress in the\n"
                "stage, points so far, accuracy (points / the most the decisions so far\n"
                "could earn), active time and status, refreshed within a second of every\n"
                "answer.  l toggles a leaderboard ranked by accuracy, not speed; Enter shows\n"
                "a trainee's decisions with the key; ? lists the keys; q quits.  It only\n"
                "reads, in short transactions, so trainees are never held up.  Run it on\n"
                "the instructor's account: it shows every trainee's results.\n\n"
                "Options:\n"
                "      --db FILE    the shared results database (else $IPR_DRILL_DB)\n"
                "  -g, --group TAG  only trainees of this group\n",
        .run = run,
};
