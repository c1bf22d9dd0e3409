/* test_pack_corpus.c - every malformed pack in tests/fixtures/bad is
 * rejected with the expected message at the expected line and column.
 *
 * Each fixture starts with one or more lines
 *   # expect: LINE:COLUMN: FRAGMENT
 * (or "# expect-warning:" for a warning); the loader must report a
 * diagnostic at that place whose message contains FRAGMENT, and must refuse
 * the file unless it only expects warnings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipr-drill/pack.h"

#define BAD_DIR IPR_TEST_FIXTURES "/bad"

struct expectation {
	enum pack_severity severity;
	unsigned line, column;
	char fragment[256];
};

static size_t read_expectations(const char *path, struct expectation *out, size_t max)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t n = 0;

	assert_non_null(f);
	while (n < max && fgets(line, sizeof(line), f) && line[0] == '#') {
		enum pack_severity sev = PACK_ERROR;
		const char *rest;
		if (!strncmp(line, "# expect: ", 10)) {
			rest = line + 10;
		} else if (!strncmp(line, "# expect-warning: ", 18)) {
			rest = line + 18;
			sev = PACK_WARNING;
		} else {
			continue;
		}
		int used = 0;
		if (sscanf(rest, "%u:%u: %n", &out[n].line, &out[n].column, &used) != 2 || !used)
			fail_msg("%s: malformed expect line: %s", path, line);
		snprintf(out[n].fragment, sizeof(out[n].fragment), "%s", rest + used);
		out[n].fragment[strcspn(out[n].fragment, "\n")] = '\0';
		out[n].severity = sev;
		n++;
	}
	fclose(f);
	return n;
}

/* Returns the number of unmet expectations (reported as they are found). */
static int check_fixture(const char *path)
{
	struct expectation want[16];
	size_t n = read_expectations(path, want, 16);
	bool errors_expected = false;
	pack_load_options opts = {.assets_dir = IPR_TEST_FIXTURES "/assets", .check_art = true};
	pack_diags diags;

	int failures = 0;

	if (n == 0) {
		print_error("%s has no '# expect:' line\n", path);
		return 1;
	}
	pack_diags_init(&diags);
	pack *p = pack_load_file(path, &opts, &diags);
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		errors_expected |= want[i].severity == PACK_ERROR;
		for (size_t d = 0; d < diags.count && !found; d++) {
			const pack_diag *g = &diags.items[d];
			found = g->severity == want[i].severity && g->line == want[i].line &&
			        g->column == want[i].column &&
			        strstr(g->message, want[i].fragment) != NULL;
		}
		if (!found) {
			print_error("%s: expected %u:%u: %s\ngot:\n", path, want[i].line,
			            want[i].column, want[i].fragment);
			for (size_t d = 0; d < diags.count; d++)
				print_error("  %u:%u: %s\n", diags.items[d].line,
				            diags.items[d].column, diags.items[d].message);
			failures++;
		}
	}
	if (errors_expected != (p == NULL)) {
		print_error("%s: expected the pack to be %s\n", path,
		            errors_expected ? "refused" : "loaded");
		failures++;
	}
	pack_free(p);
	pack_diags_free(&diags);
	return failures;
}

static int is_yaml(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 5 && !strcmp(e->d_name + n - 5, ".yaml");
}

static void test_corpus(void **state)
{
	struct dirent **entries;
	int n = scandir(BAD_DIR, &entries, is_yaml, alphasort);
	(void)state;

	int failures = 0;
	assert_true(n >= 40); /* the corpus may grow, never shrink below 40 */
	for (int i = 0; i < n; i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", BAD_DIR, entries[i]->d_name);
		failures += check_fixture(path);
		free(entries[i]);
	}
	free(entries);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
