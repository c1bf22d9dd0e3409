/* cli.h - the subcommands' shared pieces; private to src/cli. */
#ifndef IPR_DRILL_CLI_H
#define IPR_DRILL_CLI_H

#include "ipr-drill/pack.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One subcommand: a file of its own defines one of these. */
struct cli_command {
	const char *name;
	const char *summary; /* one line for `ipr-drill --help` */
	const char *usage;   /* "ipr-drill validate [--strict] PATH..." */
	const char *help;    /* the options and what the command does */
	int (*run)(int argc, char **argv);
};

extern const struct cli_command cmd_validate;
extern const struct cli_command cmd_packs;
extern const struct cli_command cmd_train;
extern const struct cli_command cmd_report;
extern const struct cli_command cmd_dashboard;
extern const struct cli_command cmd_merge;
extern const struct cli_command cmd_export;
extern const struct cli_command cmd_regrade;

/* The trainer: `train` (home false) and `ipr-drill` alone (home true). */
int cli_train_run(int argc, char **argv, bool home);

/* Global options, set by main before a command runs. */
struct cli_globals {
	const char *packs_dir; /* --packs DIR */
	bool color;            /* for stderr diagnostics */
	bool no_color;         /* --no-color was given */
};
extern struct cli_globals cli_globals;

/* Prints the command's usage and help to out. */
void cli_print_command_help(const struct cli_command *cmd, FILE *out);
/* Reports a usage error for cmd on stderr; returns EX_USAGE. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* Writes untrusted text to out with control characters made visible. */
void cli_put_safe(FILE *out, const char *s);

/* ---- the pack search path (packpath.c) ---- */

struct cli_pack_dirs {
	char **dirs;
	size_t count;
};
/* The folders to search, in order: --packs, IPR_DRILL_PACKS, ./scenarios,
 * $XDG_DATA_HOME/ipr-drill/scenarios, the installed scenarios.  Only folders
 * that exist, each once.  Returns false when memory runs out. */
bool cli_pack_dirs_get(struct cli_pack_dirs *out);
void cli_pack_dirs_free(struct cli_pack_dirs *d);

/* The .yaml/.yml files of a folder (recursive when deep), sorted; the caller
 * frees with cli_paths_free.  Returns false and prints why on failure. */
bool cli_list_yaml(const char *dir, bool deep, char ***paths, size_t *count);
void cli_paths_free(char **paths, size_t count);

/* The installed assets folder for art (IPR_DRILL_ASSETS overrides). */
const char *cli_assets_dir(void);

/* Load options as every command uses them. */
pack_load_options cli_load_options(void);

/* ---- every pack on the search path (packpath.c) ---- */

struct cli_pack_entry {
	char *path;
	pack *pack;
};

struct cli_catalog {
	struct cli_pack_entry *items; /* packs only (no brand libraries), by folder */
	size_t count;
	size_t broken; /* files that failed to load (reported on stderr) */
	bool clash;    /* two packs with one id in one folder (reported) */
};

/* Loads every pack of every folder on the search path; a pack id already
 * found in an earlier folder is skipped (the first folder wins).  Problems
 * are reported on stderr when report is true.  Returns false only when
 * memory runs out. */
bool cli_catalog_load(struct cli_catalog *c, bool report);
void cli_catalog_free(struct cli_catalog *c);
/* The entry whose pack has this id, or NULL. */
const struct cli_pack_entry *cli_catalog_find(const struct cli_catalog *c, const char *id);

#endif
