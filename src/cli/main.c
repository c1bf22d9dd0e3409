/* main.c - option parsing and dispatch to the subcommands. */
#include "cli.h"
#include "ipr-drill/config.h"
#include "ipr-drill/text.h"

#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

struct cli_globals cli_globals;

/* Every subcommand, in the order --help lists them. */
static const struct cli_command *const commands[] = {
        &cmd_train,     &cmd_validate, &cmd_packs,  &cmd_report,
        &cmd_dashboard, &cmd_merge,    &cmd_export, &cmd_regrade,
};
#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static const struct cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

void cli_put_safe(FILE *out, const char *s)
{
	char *safe = text_sanitize(s ? s : "", false);
	if (safe) {
		fputs(safe, out);
		free(safe);
	}
}

void cli_print_command_help(const struct cli_command *cmd, FILE *out)
{
	fprintf(out, "Usage: %s\n\n%s\n\n%s", cmd->usage, cmd->summary, cmd->help);
}

int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "ipr-drill %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nUsage: %s\nTry 'ipr-drill help %s' for more.\n", cmd->usage, cmd->name);
	return EX_USAGE;
}

static void print_help(FILE *out)
{
	fprintf(out, "Usage: ipr-drill [OPTION]... [COMMAND [ARG]...]\n"
	             "A training simulator for customs officers: target shipments, examine goods\n"
	             "against the rights holders' guides, spot counterfeits, choose the action.\n\n"
	             "Commands:\n");
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out,
	        "  %-10s %s\n\n"
	        "Options:\n"
	        "  --packs DIR   look for packs in DIR before the usual places\n"
	        "  --db FILE     the results database (as $IPR_DRILL_DB; default\n"
	        "                $XDG_DATA_HOME/ipr-drill/results.db)\n"
	        "  --no-color    do not colour output (also when NO_COLOR is set)\n"
	        "  -h, --help    show this help\n"
	        "  -V, --version show the version\n\n"
	        "Packs are searched in --packs DIR, then $IPR_DRILL_PACKS (colon-separated),\n"
	        "./scenarios, $XDG_DATA_HOME/ipr-drill/scenarios and %s/scenarios.\n"
	        "Run 'ipr-drill help COMMAND' for a command's options.\n",
	        "help", "show a command's options", IPR_DRILL_DATADIR);
}

static int run_help(int argc, char **argv)
{
	if (argc < 2) {
		print_help(stdout);
		return EX_OK;
	}
	const struct cli_command *cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "ipr-drill: no command '");
		cli_put_safe(stderr, argv[1]);
		fprintf(stderr, "'; run 'ipr-drill --help' for the list\n");
		return EX_USAGE;
	}
	cli_print_command_help(cmd, stdout);
	return EX_OK;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
	        {"packs", required_argument, NULL, 'p'}, {"no-color", no_argument, NULL, 'C'},
	        {"db", required_argument, NULL, 'd'},    {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, 'V'},     {NULL, 0, NULL, 0},
	};
	const char *no_color = getenv("NO_COLOR");
	int c;

	setlocale(LC_ALL, "");
	cli_globals.color = isatty(STDERR_FILENO) && !(no_color && *no_color);
	/* '+': stop at the command name; its own options are its business. */
	while ((c = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
		switch (c) {
		case 'p':
			cli_globals.packs_dir = optarg;
			break;
		case 'C':
			cli_globals.color = false;
			cli_globals.no_color = true;
			break;
		case 'd':
			/* Every command looks at IPR_DRILL_DB after its own --db. */
			if (setenv("IPR_DRILL_DB", optarg, 1) != 0) {
				perror("ipr-drill: --db");
				return EX_OSERR;
			}
			break;
		case 'h':
			print_help(stdout);
			return EX_OK;
		case 'V':
			printf("ipr-drill %s\n", IPR_DRILL_VERSION);
			return EX_OK;
		default:
			fprintf(stderr, "Try 'ipr-drill --help'.\n");
			return EX_USAGE;
		}
	}
	if (optind >= argc) {
		/* No command: the home screen, to sign in and choose a pack. */
		char *home_argv[] = {"ipr-drill", NULL};
		optind = 0;
		return cli_train_run(1, home_argv, true);
	}
	const char *name = argv[optind];
	if (!strcmp(name, "help"))
		return run_help(argc - optind, argv + optind);
	const struct cli_command *cmd = find_command(name);
	if (!cmd) {
		fprintf(stderr, "ipr-drill: unknown command '");
		cli_put_safe(stderr, name);
		fprintf(stderr, "'; run 'ipr-drill --help' for the list\n");
		return EX_USAGE;
	}
	/* Each command parses its own options from a fresh getopt state. */
	int sub_argc = argc - optind;
	char **sub_argv = argv + optind;
	optind = 0;
	return cmd->run(sub_argc, sub_argv);
}
