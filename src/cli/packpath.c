/* packpath.c - where packs and art are looked for. */
#define _XOPEN_SOURCE 700 /* wcwidth, nftw */
#include "cli.h"
#include "ipr-drill/config.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Adds dir when it exists and is not in the list yet (by real path). */
static bool add_dir(struct cli_pack_dirs *d, const char *dir)
{
	char real[PATH_MAX];

	if (!dir || !*dir || !is_dir(dir) || !realpath(dir, real))
		return true;
	for (size_t i = 0; i < d->count; i++) {
		char other[PATH_MAX];
		if (realpath(d->dirs[i], other) && !strcmp(other, real))
			return true;
	}
	char **grown = realloc(d->dirs, (d->count + 1) * sizeof(*grown));
	if (!grown)
		return false;
	d->dirs = grown;
	if (!(d->dirs[d->count] = strdup(dir)))
		return false;
	d->count++;
	return true;
}

static char *xdg_data_path(const char *tail)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char *out = NULL;
	size_t n;

	if (xdg && *xdg == '/') {
		n = strlen(xdg) + strlen(tail) + 2;
		if ((out = malloc(n)))
			snprintf(out, n, "%s/%s", xdg, tail);
	} else if (home && *home) {
		n = strlen(home) + strlen(tail) + 16;
		if ((out = malloc(n)))
			snprintf(out, n, "%s/.local/share/%s", home, tail);
	}
	return out;
}

bool cli_pack_dirs_get(struct cli_pack_dirs *out)
{
	const char *env = getenv("IPR_DRILL_PACKS");
	bool ok = add_dir(out, cli_globals.packs_dir);

	if (ok && env) {
		char *copy = strdup(env), *save = NULL;
		if (!copy)
			return false;
		for (char *tok = strtok_r(copy, ":", &save); ok && tok;
		     tok = strtok_r(NULL, ":", &save))
			ok = add_dir(out, tok);
		free(copy);
	}
	ok = ok && add_dir(out, "scenarios");
	char *xdg = xdg_data_path("ipr-drill/scenarios");
	ok = ok && add_dir(out, xdg);
	free(xdg);
	return ok && add_dir(out, IPR_DRILL_DATADIR "/scenarios");
}

void cli_pack_dirs_free(struct cli_pack_dirs *d)
{
	cli_paths_free(d->dirs, d->count);
	d->dirs = NULL;
	d->count = 0;
}

static bool has_yaml_suffix(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(name + n - 4, ".yml"));
}

/* nftw gives no user pointer, so the walk collects into these. */
static char **walk_paths;
static size_t walk_count;
static bool walk_oom;

static int walk_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type != FTW_F || !has_yaml_suffix(path))
		return 0;
	char **grown = realloc(walk_paths, (walk_count + 1) * sizeof(*grown));
	if (!grown || !(grown[walk_count] = strdup(path))) {
		walk_paths = grown ? grown : walk_paths;
		walk_oom = true;
		return 1;
	}
	walk_paths = grown;
	walk_count++;
	return 0;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool cli_list_yaml(const char *dir, bool deep, char ***paths, size_t *count)
{
	walk_paths = NULL;
	walk_count = 0;
	walk_oom = false;
	if (deep) {
		/* nftw keeps its own stack of open folders; FTW_PHYS: no symlink loops. */
		if (nftw(dir, walk_entry, 16, FTW_PHYS) != 0 && !walk_oom) {
			fprintf(stderr, "ipr-drill: cannot read folder '");
			cli_put_safe(stderr, dir);
			fprintf(stderr, "': %s\n", strerror(errno));
			cli_paths_free(walk_paths, walk_count);
			return false;
		}
	} else {
		DIR *d = opendir(dir);
		struct dirent *e;
		if (!d) {
			fprintf(stderr, "ipr-drill: cannot read folder '");
			cli_put_safe(stderr, dir);
			fprintf(stderr, "': %s\n", strerror(errno));
			return false;
		}
		while (!walk_oom && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.' || !has_yaml_suffix(e->d_name))
				continue;
			size_t n = strlen(dir) + strlen(e->d_name) + 2;
			char *path = malloc(n);
			struct stat st;
			if (!path) {
				walk_oom = true;
				break;
			}
			snprintf(path, n, "%s/%s", dir, e->d_name);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
				walk_entry(path, &st, FTW_F, NULL);
			free(path);
		}
		closedir(d);
	}
	if (walk_oom) {
		fprintf(stderr, "ipr-drill: out of memory listing '");
		cli_put_safe(stderr, dir);
		fprintf(stderr, "'\n");
		cli_paths_free(walk_paths, walk_count);
		return false;
	}
	qsort(walk_paths, walk_count, sizeof(*walk_paths), cmp_path);
	*paths = walk_paths;
	*count = walk_count;
	return true;
}

void cli_paths_free(char **paths, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(paths[i]);
	free(paths);
}

const char *cli_assets_dir(void)
{
	const char *env = getenv("IPR_DRILL_ASSETS");
	if (env && *env)
		return env;
	return is_dir(IPR_DRILL_DATADIR "/assets") ? IPR_DRILL_DATADIR "/assets" : NULL;
}

pack_load_options cli_load_options(void)
{
	pack_load_options o = {.assets_dir = cli_assets_dir(), .check_art = true};
	return o;
}

const struct cli_pack_entry *cli_catalog_find(const struct cli_catalog *c, const char *id)
{
	for (size_t i = 0; i < c->count; i++)
		if (!strcmp(c->items[i].pack->id.text, id))
			return &c->items[i];
	return NULL;
}

/* Adds a loaded pack unless its id is known; takes ownership of p. */
static bool catalog_add(struct cli_catalog *c, pack *p, const char *path, size_t dir_start,
                        bool report)
{
	const struct cli_pack_entry *known = cli_catalog_find(c, p->id.text);

	if (known) {
		if ((size_t)(known - c->items) >= dir_start) {
			c->clash = true;
			if (report) {
				fprintf(stderr, "ipr-drill: two packs in one folder have the id '");
				cli_put_safe(stderr, p->id.text);
				fprintf(stderr, "': ");
				cli_put_safe(stderr, known->path);
				fprintf(stderr, " and ");
				cli_put_safe(stderr, path);
				fprintf(stderr, "; rename one\n");
			}
		}
		pack_free(p);
		return true;
	}
	struct cli_pack_entry *grown = realloc(c->items, (c->count + 1) * sizeof(*grown));
	char *copy = strdup(path);
	if (!grown || !copy) {
		free(copy);
		if (grown)
			c->items = grown;
		pack_free(p);
		return false;
	}
	c->items = grown;
	c->items[c->count].path = copy;
	c->items[c->count].pack = p;
	c->count++;
	return true;
}

bool cli_catalog_load(struct cli_catalog *c, bool report)
{
	struct cli_pack_dirs dirs = {0};
	bool ok = cli_pack_dirs_get(&dirs);

	memset(c, 0, sizeof(*c));
	for (size_t d = 0; ok && d < dirs.count; d++) {
		char **paths;
		size_t count, dir_start = c->count;
		if (!cli_list_yaml(dirs.dirs[d], false, &paths, &count))
			continue;
		for (size_t i = 0; ok && i < count; i++) {
			pack_load_options opts = cli_load_options();
			/* Listing and playing need the art's path, not a reading of
			 * every drawing; `validate` reads them. */
			opts.check_art = false;
			pack_diags diags;
			pack_diags_init(&diags);
			pack *p = pack_load_file(paths[i], &opts, &diags);
			if (!p) {
				c->broken++;
				if (report) {
					fprintf(stderr, "ipr-drill: skipped ");
					cli_put_safe(stderr, paths[i]);
					fprintf(stderr,
					        " (%zu error%s; run 'ipr-drill validate' on it)\n",
					        diags.errors, diags.errors == 1 ? "" : "s");
				}
			} else if (p->is_library) {
				pack_free(p);
			} else {
				ok = catalog_add(c, p, paths[i], dir_start, report);
			}
			pack_diags_free(&diags);
		}
		cli_paths_free(paths, count);
	}
	if (report && ok && c->count == 0) {
		fprintf(stderr, "ipr-drill: no packs found; searched:");
		for (size_t d = 0; d < dirs.count; d++) {
			fputc(' ', stderr);
			cli_put_safe(stderr, dirs.dirs[d]);
		}
		fprintf(stderr, "%s\n", dirs.count ? "" : " (no folder exists; use --packs DIR)");
	}
	cli_pack_dirs_free(&dirs);
	return ok;
}

void cli_catalog_free(struct cli_catalog *c)
{
	for (size_t i = 0; i < c->count; i++) {
		free(c->items[i].path);
		pack_free(c->items[i].pack);
	}
	free(c->items);
	memset(c, 0, sizeof(*c));
}
