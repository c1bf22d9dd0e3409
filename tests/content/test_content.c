/* test_content.c - the bundled curriculum: every pack and brand library in
 * scenarios/ loads with no error and no warning, and the totals issue 4
 * asks for hold, so that the content cannot shrink unnoticed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ipr-drill/pack.h"

/* The curriculum's floor (issue 4). */
#define MIN_BRANDS            16
#define MIN_CATEGORIES        8
#define MIN_SHIPMENTS         70
#define MIN_ITEMS             140
#define MIN_QUESTIONS         80
#define MIN_PRODUCTS_WITH_ART 20

/* A growable list of owned strings; linear search is plenty for a few
 * hundred entries and keeps the test obvious. */
typedef struct strset {
	char **items;
	size_t count, capacity;
} strset;

/* One loaded file and what its load reported. */
typedef struct loaded {
	char *path;
	pack *p;
	size_t errors, warnings;
} loaded;

static struct {
	loaded *files;
	size_t count, capacity;
	char *scenarios_dir;
	char *assets_dir;
} state;

static char *join_path(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 2);

	if (s == NULL)
		return NULL;
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb + 1);
	return s;
}

static bool strset_has(const strset *set, const char *s)
{
	for (size_t i = 0; i < set->count; i++)
		if (strcmp(set->items[i], s) == 0)
			return true;
	return false;
}

/* Adds a copy of s unless present; fails the test when memory runs out. */
static void strset_add(strset *set, const char *s)
{
	if (s == NULL || strset_has(set, s))
		return;
	if (set->count == set->capacity) {
		size_t cap = set->capacity ? set->capacity * 2 : 32;
		char **items = realloc(set->items, cap * sizeof *items);

		assert_non_null(items);
		set->items = items;
		set->capacity = cap;
	}
	set->items[set->count] = strdup(s);
	assert_non_null(set->items[set->count]);
	set->count++;
}

static void strset_free(strset *set)
{
	for (size_t i = 0; i < set->count; i++)
		free(set->items[i]);
	free(set->items);
	memset(set, 0, sizeof *set);
}

static bool has_yaml_suffix(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the YAML files of dir (not recursive) into set, sorted. */
static int list_yaml(const char *dir, strset *set)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL) {
		fprintf(stderr, "cannot open %s\n", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !has_yaml_suffix(e->d_name))
			continue;
		char *path = join_path(dir, e->d_name);

		if (path == NULL) {
			closedir(d);
			return -1;
		}
		strset_add(set, path);
		free(path);
	}
	closedir(d);
	if (set->count > 1)
		qsort(set->items, set->count, sizeof *set->items, compare_names);
	return 0;
}

static int load_one(const char *path)
{
	pack_load_options opts = {0};
	pack_diags diags;

	if (state.count == state.capacity) {
		size_t cap = state.capacity ? state.capacity * 2 : 16;
		loaded *files = realloc(state.files, cap * sizeof *files);

		if (files == NULL)
			return -1;
		state.files = files;
		state.capacity = cap;
	}
	opts.assets_dir = state.assets_dir;
	opts.check_art = true;
	pack_diags_init(&diags);
	loaded *l = &state.files[state.count];
	l->path = strdup(path);
	if (l->path == NULL) {
		pack_diags_free(&diags);
		return -1;
	}
	l->p = pack_load_file(path, &opts, &diags);
	l->errors = diags.errors;
	l->warnings = diags.warnings;
	if (diags.count > 0)
		pack_diags_print(&diags, stdout, false);
	pack_diags_free(&diags);
	state.count++;
	return 0;
}

static int group_setup(void **unused)
{
	strset packs = {0}, libraries = {0};
	char *brands_dir;
	int rc = -1;

	(void)unused;
	state.scenarios_dir = join_path(IPR_SOURCE_DIR, "scenarios");
	state.assets_dir = join_path(IPR_SOURCE_DIR, "assets");
	if (state.scenarios_dir == NULL || state.assets_dir == NULL)
		return -1;
	brands_dir = join_path(state.scenarios_dir, "brands");
	if (brands_dir == NULL)
		return -1;
	if (list_yaml(state.scenarios_dir, &packs) != 0 || list_yaml(brands_dir, &libraries) != 0)
		goto out;
	for (size_t i = 0; i < libraries.count; i++)
		if (load_one(libraries.items[i]) != 0)
			goto out;
	for (size_t i = 0; i < packs.count; i++)
		if (load_one(packs.items[i]) != 0)
			goto out;
	rc = 0;
out:
	free(brands_dir);
	strset_free(&packs);
	strset_free(&libraries);
	return rc;
}

static int group_teardown(void **unused)
{
	(void)unused;
	for (size_t i = 0; i < state.count; i++) {
		pack_free(state.files[i].p);
		free(state.files[i].path);
	}
	free(state.files);
	free(state.scenarios_dir);
	free(state.assets_dir);
	memset(&state, 0, sizeof state);
	return 0;
}

static void test_every_file_loads_clean(void **unused)
{
	size_t bad = 0, packs = 0;

	(void)unused;
	for (size_t i = 0; i < state.count; i++) {
		const loaded *l = &state.files[i];

		if (l->p == NULL || l->errors != 0 || l->warnings != 0) {
			printf("%s: %zu error(s), %zu warning(s)%s\n", l->path, l->errors,
			       l->warnings, l->p == NULL ? ", not loaded" : "");
			bad++;
		} else if (!l->p->is_library) {
			packs++;
		}
	}
	assert_int_equal(bad, 0);
	/* Eleven workshop packs in issue 4. */
	assert_true(packs >= 11);
}

static void test_totals(void **unused)
{
	strset brands = {0}, categories = {0};
	size_t shipments = 0, items = 0, questions = 0;

	(void)unused;
	for (size_t i = 0; i < state.count; i++) {
		const pack *p = state.files[i].p;

		if (p == NULL)
			continue;
		/* By name, so that a translated library (new ids, same brands)
		 * does not count its brands twice. */
		for (size_t b = 0; b < p->brand_count; b++) {
			strset_add(&brands, p->brands[b].name.text);
			strset_add(&categories, p->brands[b].category.text);
		}
		shipments += p->shipment_count;
		questions += p->question_count;
		for (size_t s = 0; s < p->shipment_count; s++)
			items += p->shipments[s].item_count;
	}
	printf("content totals: %zu brands, %zu categories, %zu shipments, %zu items, "
	       "%zu questions\n",
	       brands.count, categories.count, shipments, items, questions);
	for (size_t i = 0; i < categories.count; i++)
		printf("%s%s", i ? ", " : "content categories: ", categories.items[i]);
	printf("\n");
	assert_true(brands.count >= MIN_BRANDS);
	assert_true(categories.count >= MIN_CATEGORIES);
	assert_true(shipments >= MIN_SHIPMENTS);
	assert_true(items >= MIN_ITEMS);
	assert_true(questions >= MIN_QUESTIONS);
	strset_free(&brands);
	strset_free(&categories);
}

static void test_builtins_used(void **unused)
{
	strset indicators = {0}, actions = {0};
	const pack_indicator *builtin;
	const pack_action *builtin_actions;
	size_t n, missing = 0;

	(void)unused;
	for (size_t i = 0; i < state.count; i++) {
		const pack *p = state.files[i].p;

		if (p == NULL)
			continue;
		for (size_t s = 0; s < p->shipment_count; s++) {
			const pack_shipment *sh = &p->shipments[s];

			for (size_t k = 0; k < sh->indicator_count; k++)
				strset_add(&indicators, sh->indicators[k].key.text);
			strset_add(&actions, sh->action.text);
		}
	}
	builtin = pack_builtin_indicators(&n);
	assert_non_null(builtin);
	assert_int_equal(n, 16);
	for (size_t i = 0; i < n; i++) {
		if (!strset_has(&indicators, builtin[i].id.text)) {
			printf("built-in indicator %s is in no shipment's key\n",
			       builtin[i].id.text);
			missing++;
		}
	}
	builtin_actions = pack_builtin_actions(&n);
	assert_non_null(builtin_actions);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		if (!strset_has(&actions, builtin_actions[i].id.text)) {
			printf("built-in action %s is no shipment's answer\n",
			       builtin_actions[i].id.text);
			missing++;
		}
	}
	assert_int_equal(missing, 0);
	strset_free(&indicators);
	strset_free(&actions);
}

static bool nonempty(const pack_str *s)
{
	return s->text != NULL && s->text[0] != '\0';
}

static void test_counterfeits_and_questions_explained(void **unused)
{
	size_t bad = 0, counterfeits = 0, genuine = 0;

	(void)unused;
	for (size_t i = 0; i < state.count; i++) {
		const pack *p = state.files[i].p;

		if (p == NULL)
			continue;
		for (size_t s = 0; s < p->shipment_count; s++) {
			const pack_shipment *sh = &p->shipments[s];

			for (size_t k = 0; k < sh->item_count; k++) {
				const pack_item *it = &sh->contents[k];

				if (it->verdict != PACK_VERDICT_COUNTERFEIT) {
					genuine++;
					continue;
				}
				counterfeits++;
				if (it->evidence.count == 0 || !nonempty(&it->explain)) {
					printf("%s: shipment %s, item %zu: counterfeit without "
					       "evidence or explain\n",
					       state.files[i].path, sh->id.text, k + 1);
					bad++;
				}
			}
		}
		for (size_t q = 0; q < p->question_count; q++) {
			if (!nonempty(&p->questions[q].explain)) {
				printf("%s: question %s has no explain\n", state.files[i].path,
				       p->questions[q].id.text);
				bad++;
			}
		}
	}
	assert_int_equal(bad, 0);
	/* The curriculum teaches both halves of the comparison. */
	assert_true(counterfeits > 0);
	assert_true(genuine > 0);
}

static bool file_present(const char *rel)
{
	struct stat st;
	char *path;
	bool ok;

	if (rel == NULL || rel[0] == '/' || strstr(rel, "..") != NULL)
		return false;
	path = join_path(state.assets_dir, rel);
	assert_non_null(path);
	ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(path);
	return ok;
}

/* Counts a missing art file, naming it. */
static size_t check_art(const char *file, const pack_str *art)
{
	if (art->text == NULL || file_present(art->text))
		return 0;
	printf("%s:%u: art %s is not under assets/\n", file, (unsigned)art->pos.line, art->text);
	return 1;
}

static void test_art(void **unused)
{
	strset with_art = {0};
	size_t missing = 0;

	(void)unused;
	for (size_t i = 0; i < state.count; i++) {
		const pack *p = state.files[i].p;
		const char *file = state.files[i].path;

		if (p == NULL)
			continue;
		for (size_t b = 0; b < p->brand_count; b++) {
			const pack_brand *br = &p->brands[b];

			missing += check_art(file, &br->art);
			for (size_t k = 0; k < br->product_count; k++) {
				const pack_product *pr = &br->products[k];
				size_t len;
				char *key;

				missing += check_art(file, &pr->art);
				if (pr->art.text == NULL)
					continue;
				len = strlen(br->id.text) + strlen(pr->id.text) + 2;
				key = malloc(len);
				assert_non_null(key);
				snprintf(key, len, "%s/%s", br->id.text, pr->id.text);
				strset_add(&with_art, key);
				free(key);
			}
		}
		for (size_t s = 0; s < p->shipment_count; s++)
			for (size_t k = 0; k < p->shipments[s].item_count; k++)
				missing += check_art(file, &p->shipments[s].contents[k].art);
	}
	printf("content art: %zu products with art\n", with_art.count);
	assert_int_equal(missing, 0);
	assert_true(with_art.count >= MIN_PRODUCTS_WITH_ART);
	strset_free(&with_art);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_every_file_loads_clean),
	        cmocka_unit_test(test_totals),
	        cmocka_unit_test(test_builtins_used),
	        cmocka_unit_test(test_counterfeits_and_questions_explained),
	        cmocka_unit_test(test_art),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
