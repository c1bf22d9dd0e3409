/* test_pack.c - the loader: the spec's example field by field, the limits
 * (depth, aliases, size, encoding, shape), and paths that try to escape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipr-drill/pack.h"

#define EXAMPLE IPR_TEST_FIXTURES "/example-pack.yaml"

/* Loads a buffer; returns the model (or NULL) and leaves diags filled. */
static pack *load_text(const char *yaml, pack_diags *diags)
{
	pack_diags_init(diags);
	return pack_load_buffer(yaml, strlen(yaml), "mem.yaml", IPR_TEST_FIXTURES, NULL, diags);
}

/* True when some diagnostic's message contains fragment. */
static bool has_diag(const pack_diags *d, const char *fragment, unsigned line)
{
	for (size_t i = 0; i < d->count; i++)
		if (strstr(d->items[i].message, fragment) && (!line || d->items[i].line == line))
			return true;
	return false;
}

static void test_example_loads_cleanly(void **state)
{
	pack_diags d;
	pack *p;
	(void)state;

	pack_diags_init(&d);
	p = pack_load_file(EXAMPLE, NULL, &d);
	assert_non_null(p);
	assert_int_equal(d.count, 0);
	pack_free(p);
	pack_diags_free(&d);
}

static void test_example_model(void **state)
{
	pack_diags d;
	pack *p;
	(void)state;

	pack_diags_init(&d);
	p = pack_load_file(EXAMPLE, NULL, &d);
	assert_non_null(p);
	assert_false(p->is_library);
	assert_int_equal(p->format.value, 1);
	assert_string_equal(p->id.text, "spec-example");
	assert_string_equal(p->title.text, "Spec Example: One Watch, One Medicine");
	assert_string_equal(p->version.text, "1.0");
	assert_string_equal(p->language.text, "en");
	assert_non_null(strstr(p->summary.text, "Two inbound consignments"));
	assert_null(strchr(p->summary.text, '\n')); /* folded >- */
	assert_int_equal(p->authors.count, 1);
	assert_string_equal(p->authors.items[0].text, "ipr-drill maintainers");
	assert_int_equal(p->estimated_minutes.value, 10);
	assert_int_equal(p->settings.mode, PACK_PRACTICE);
	assert_int_equal(p->settings.inspections, 1);
	assert_true(p->settings.shuffle);
	assert_int_equal(p->settings.time_limit_minutes, 0);
	/* Overrides kept, defaults elsewhere. */
	assert_int_equal(p->scoring.target_hit, 10);
	assert_int_equal(p->scoring.false_alarm, -3);
	assert_int_equal(p->scoring.target_miss, -10);
	assert_int_equal(p->scoring.question_correct, 5);
	assert_int_equal(p->scoring.verdict_false_fake, -5);

	assert_int_equal(p->indicator_count, 1);
	assert_string_equal(p->indicators[0].id.text, "repeat-forwarder");
	assert_string_equal(p->indicators[0].name.text, "Forwarder linked to earlier detentions");
	assert_int_equal(p->indicators[0].id.pos.line, 25);
	assert_int_equal(p->indicators[0].id.pos.column, 9);
	assert_int_equal(p->action_count, 0);

	assert_int_equal(p->brand_count, 2);
	const pack_brand *t = &p->brands[0];
	assert_string_equal(t->id.text, "tarnwick");
	assert_string_equal(t->name.text, "Tarnwick Watches");
	assert_string_equal(t->category.text, "watches");
	assert_string_equal(t->holder_name.text, "Tarnwick Horology SA");
	assert_string_equal(t->holder_contact.text,
	                    "Brand protection desk, brandprotection@tarnwick.example");
	assert_int_equal(t->authorised_importers.count, 1);
	assert_int_equal(t->made_in.count, 1);
	assert_string_equal(t->made_in.items[0].text, "CH");
	assert_int_equal(t->routes.count, 1);
	assert_int_equal(t->alert_count, 1);
	assert_string_equal(t->alerts[0].date.text, "2026-09-14");
	assert_int_equal(t->product_count, 1);
	const pack_product *t100 = &t->products[0];
	assert_string_equal(t100->id.text, "t100");
	assert_string_equal(t100->name.text, "T-100 Diver");
	assert_true(t100->retail_price.present);
	assert_true(t100->retail_price.amount.value == 420.0);
	assert_string_equal(t100->retail_price.currency.text, "USD");
	assert_int_equal(t100->feature_count, 3);
	assert_string_equal(t100->features[0].id.text, "caseback");
	assert_non_null(t100->features[0].watch_for.text);
	assert_null(t100->features[2].watch_for.text); /* papers has none */
	const pack_brand *s = &p->brands[1];
	assert_string_equal(s->id.text, "solvane");
	assert_int_equal(s->made_in.count, 2);
	assert_string_equal(s->made_in.items[1].text, "SG");
	assert_int_equal(s->alert_count, 0);
	assert_string_equal(s->products[0].features[1].id.text, "carton-print");

	assert_int_equal(p->shipment_count, 2);
	const pack_shipment *sea = &p->shipments[0];
	assert_string_equal(sea->id.text, "SEA-0417");
	assert_int_equal(sea->mode, PACK_MODE_SEA);
	assert_string_equal(sea->declaration.consignor.text, "Golden Reef Trading Co");
	assert_string_equal(sea->declaration.consignee.text, "Lotus Gift Wholesale");
	assert_string_equal(sea->declaration.origin.text, "CN");
	assert_int_equal(sea->declaration.route.count, 3);
	assert_string_equal(sea->declaration.route.items[2].text, "Sydney (AU)");
	assert_string_equal(sea->declaration.hs_code.text, "9102.11");
	assert_int_equal(sea->declaration.packages.value, 14);
	assert_true(sea->declaration.gross_kg.value == 96.0);
	assert_true(sea->declaration.value.amount.value == 700.0);
	assert_non_null(sea->declaration.remarks.text);
	assert_int_equal(sea->indicator_count, 4);
	assert_string_equal(sea->indicators[3].key.text, "repeat-forwarder");
	assert_string_equal(sea->indicators[1].text.text,
	                    "\"Unbranded, gifts\" says nothing a buyer would order by.");
	assert_int_equal(sea->item_count, 1);
	const pack_item *fake = &sea->contents[0];
	assert_string_equal(fake->product.text, "tarnwick/t100");
	assert_ptr_equal(fake->brand, t);
	assert_ptr_equal(fake->product_ref, t100);
	assert_int_equal(fake->quantity.value, 600);
	assert_int_equal(fake->observed_count, 3);
	assert_string_equal(fake->observed[1].key.text, "crown");
	assert_string_equal(fake->observed[1].text.text, "Push-in crown with a flat printed logo.");
	assert_int_equal(fake->verdict, PACK_VERDICT_COUNTERFEIT);
	assert_int_equal(fake->evidence.count, 3);
	assert_string_equal(fake->evidence.items[2].text, "papers");
	assert_string_equal(sea->action.text, "detain");
	assert_true(pack_shipment_holds_counterfeit(sea));

	const pack_shipment *exp = &p->shipments[1];
	assert_int_equal(exp->mode, PACK_MODE_EXPRESS);
	assert_true(exp->declaration.gross_kg.value == 6.5);
	assert_int_equal(exp->indicator_count, 0);
	assert_int_equal(exp->contents[0].verdict, PACK_VERDICT_GENUINE);
	assert_int_equal(exp->contents[0].evidence.count, 0);
	assert_false(pack_shipment_holds_counterfeit(exp));

	assert_int_equal(p->question_count, 2);
	assert_string_equal(p->questions[0].id.text, "trips-55");
	assert_string_equal(p->questions[0].topic.text, "trips");
	assert_int_equal(p->questions[0].choice_count, 4);
	assert_false(p->questions[0].choices[0].correct.value);
	assert_true(p->questions[0].choices[1].correct.value);
	assert_int_equal(p->questions[1].choice_count, 3);

	/* Lookups, built-ins included. */
	assert_non_null(pack_find_indicator(p, "undervalued"));
	assert_true(pack_find_indicator(p, "undervalued")->builtin);
	assert_non_null(pack_find_indicator(p, "repeat-forwarder"));
	assert_null(pack_find_indicator(p, "nonsense"));
	assert_non_null(pack_find_action(p, "de-minimis"));
	assert_non_null(pack_find_feature(t100, "crown"));
	pack_free(p);
	pack_diags_free(&d);
}

static void test_builtins(void **state)
{
	size_t n;
	(void)state;
	pack_builtin_indicators(&n);
	assert_int_equal(n, 16);
	pack_builtin_actions(&n);
	assert_int_equal(n, 3);
}

static void test_buffer_matches_file(void **state)
{
	FILE *f = fopen(EXAMPLE, "rb");
	char *buf = malloc(1 << 16);
	size_t len;
	pack_diags d;
	(void)state;

	assert_non_null(f);
	len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	pack *p = load_text((buf[len] = '\0', buf), &d);
	assert_non_null(p);
	assert_int_equal(d.count, 0);
	assert_int_equal(p->shipment_count, 2);
	assert_int_equal(p->source_bytes, len);
	assert_string_equal(p->path, "mem.yaml");
	pack_free(p);
	pack_diags_free(&d);
	free(buf);
}

#define HEADER "format: 1\nid: t\ntitle: T\nversion: '1'\nsummary: S\n"

static void test_deep_nesting(void **state)
{
	/* 200 levels under an unknown key: one error, no crash, no recursion. */
	char *yaml = malloc(4096);
	size_t n = (size_t)sprintf(yaml, HEADER "questions: []\nextra: ");
	pack_diags d;
	(void)state;
	for (int i = 0; i < 200; i++)
		yaml[n++] = '[';
	for (int i = 0; i < 200; i++)
		yaml[n++] = ']';
	yaml[n++] = '\n';
	yaml[n] = '\0';
	assert_null(load_text(yaml, &d));
	assert_true(has_diag(&d, "nesting deeper than 32 levels", 7));
	assert_true(has_diag(&d, "unknown key 'extra'", 7));
	pack_diags_free(&d);
	free(yaml);
}

static void test_nesting_at_limit(void **state)
{
	/* 31 levels below the root mapping load (then fail only as unknown). */
	char yaml[512];
	size_t n = (size_t)sprintf(yaml, HEADER "extra: ");
	pack_diags d;
	(void)state;
	for (int i = 0; i < 31; i++)
		yaml[n++] = '[';
	for (int i = 0; i < 31; i++)
		yaml[n++] = ']';
	yaml[n] = '\0';
	assert_null(load_text(yaml, &d));
	assert_false(has_diag(&d, "nesting", 0));
	pack_diags_free(&d);
}

static void test_aliases_refused(void **state)
{
	pack_diags d;
	(void)state;
	assert_null(load_text(HEADER "authors: [&who Ann, *who]\nquestions: []\n", &d));
	assert_true(has_diag(&d, "anchors (&who) are not allowed", 6));
	assert_true(has_diag(&d, "aliases (*who) are not allowed", 6));
	pack_diags_free(&d);
}

static void test_billion_laughs(void **state)
{
	/* Aliases are refused, never expanded. */
	pack_diags d;
	(void)state;
	assert_null(load_text(HEADER "a: &a [x, x, x, x, x, x, x, x, x]\n"
	                             "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	                             "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
	                      &d));
	assert_true(has_diag(&d, "aliases (*a) are not allowed", 7));
	pack_diags_free(&d);
}

static void test_size_limit(void **state)
{
	pack_load_options opts = {.max_bytes = 1024};
	size_t len = 4096;
	char *yaml = malloc(len + 1);
	pack_diags d;
	(void)state;

	memset(yaml, ' ', len);
	memcpy(yaml, HEADER, strlen(HEADER));
	yaml[len] = '\0';
	pack_diags_init(&d);
	assert_null(pack_load_buffer(yaml, len, "big.yaml", NULL, &opts, &d));
	assert_true(has_diag(&d, "larger than", 0));
	pack_diags_free(&d);
	free(yaml);
}

static void test_huge_string(void **state)
{
	/* A 4 MiB scalar in an unknown key: reported, loaded without trouble. */
	size_t big = (size_t)4 << 20;
	char *yaml = malloc(big + 256);
	size_t n = (size_t)sprintf(yaml, HEADER "questions: []\nnote: ");
	pack_diags d;
	(void)state;
	memset(yaml + n, 'x', big);
	n += big;
	strcpy(yaml + n, "\n");
	assert_null(load_text(yaml, &d));
	assert_true(has_diag(&d, "unknown key 'note'", 7));
	pack_diags_free(&d);
	free(yaml);
}

static void test_invalid_utf8(void **state)
{
	pack_diags d;
	(void)state;
	assert_null(load_text(HEADER "authors: [\"ok\", \"bad \xff byte\"]\n", &d));
	assert_true(has_diag(&d, "UTF-8", 6));
	pack_diags_free(&d);
}

static void test_empty_and_list(void **state)
{
	pack_diags d;
	(void)state;
	assert_null(load_text("", &d));
	assert_true(has_diag(&d, "the file is empty", 1));
	pack_diags_free(&d);
	assert_null(load_text("# only a comment\n", &d));
	assert_true(has_diag(&d, "the file is empty", 1));
	pack_diags_free(&d);
	assert_null(load_text("- format: 1\n- id: x\n", &d));
	assert_true(has_diag(&d, "a pack must be a mapping", 1));
	pack_diags_free(&d);
	assert_null(load_text("just text\n", &d));
	assert_true(has_diag(&d, "a pack must be a mapping", 1));
	pack_diags_free(&d);
}

static void test_one_error_for_structure(void **state)
{
	/* A syntax error or a non-mapping file gives that one error, not the
	 * echo of a half-read structure. */
	pack_diags d;
	(void)state;
	assert_null(load_text(HEADER "shipments:\n  - id: S1\n    mode: sea\n"
	                             "   declaration: {consignor: A}\n",
	                      &d));
	assert_int_equal(d.errors, 1);
	assert_true(has_diag(&d, "YAML syntax error", 9));
	pack_diags_free(&d);
	assert_null(load_text("- format: 1\n- id: x\n", &d));
	assert_int_equal(d.errors, 1);
	pack_diags_free(&d);
}

static void test_bidi_override_warned(void **state)
{
	pack_diags d;
	(void)state;
	pack *p = load_text(HEADER "questions:\n  - id: q\n    topic: t\n"
	                           "    prompt: \"abc \u202e cba\"\n    explain: E\n"
	                           "    choices: [{text: a, correct: true}, {text: b}]\n",
	                    &d);
	assert_non_null(p);
	assert_true(has_diag(&d, "U+202E", 9));
	pack_free(p);
	pack_diags_free(&d);
}

static void test_reports_every_problem(void **state)
{
	pack_diags d;
	(void)state;
	assert_null(load_text("format: 1\nid: bad id\ntitle: T\nversion: '1'\nsumary: S\n"
	                      "questions:\n  - {id: q, topic: t, prompt: P, choices: "
	                      "[{text: a}, {text: b}]}\n",
	                      &d));
	assert_true(has_diag(&d, "'bad id' is not a valid id", 2));
	assert_true(has_diag(&d, "did you mean 'summary'?", 5));
	assert_true(has_diag(&d, "missing the required key 'summary'", 1));
	assert_true(has_diag(&d, "no correct choice", 7));
	assert_true(d.errors >= 4);
	pack_diags_free(&d);
}

static void test_include_escapes(void **state)
{
	pack_diags d;
	(void)state;
	assert_null(load_text(HEADER "questions: []\ninclude: [../outside.yaml]\n", &d));
	assert_true(has_diag(&d, "must be a relative path that stays inside", 7));
	pack_diags_free(&d);
	assert_null(load_text(HEADER "questions: []\ninclude: [/etc/passwd]\n", &d));
	assert_true(has_diag(&d, "must be a relative path that stays inside", 7));
	pack_diags_free(&d);
	assert_null(load_text(HEADER "questions: []\ninclude: [lib/../../x.yaml]\n", &d));
	assert_true(has_diag(&d, "stays inside", 7));
	pack_diags_free(&d);
}

static void test_art_escapes(void **state)
{
	pack_diags d;
	(void)state;
	const char *yaml = HEADER "brands:\n"
	                          "  - id: b\n    name: B\n    category: c\n"
	                          "    art: ../../etc/passwd\n"
	                          "    products:\n"
	                          "      - id: p\n        name: P\n        art: /etc/hostname\n"
	                          "        features: [{id: f, name: F, genuine: G}]\n"
	                          "questions: []\n";
	assert_null(load_text(yaml, &d));
	assert_true(has_diag(&d, "art path '../../etc/passwd' must be relative", 10));
	assert_true(has_diag(&d, "art path '/etc/hostname' must be relative", 14));
	pack_diags_free(&d);
}

static void test_library_file(void **state)
{
	pack_diags d;
	(void)state;
	pack *p = load_text("format: 1\nbrands:\n  - id: b\n    name: B\n    category: c\n"
	                    "    products: [{id: p, name: P, features: [{id: f, name: F, "
	                    "genuine: G}]}]\n",
	                    &d);
	assert_non_null(p);
	assert_true(p->is_library);
	assert_int_equal(p->brand_count, 1);
	pack_free(p);
	pack_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_example_loads_cleanly),
	        cmocka_unit_test(test_example_model),
	        cmocka_unit_test(test_builtins),
	        cmocka_unit_test(test_buffer_matches_file),
	        cmocka_unit_test(test_deep_nesting),
	        cmocka_unit_test(test_nesting_at_limit),
	        cmocka_unit_test(test_aliases_refused),
	        cmocka_unit_test(test_billion_laughs),
	        cmocka_unit_test(test_size_limit),
	        cmocka_unit_test(test_huge_string),
	        cmocka_unit_test(test_invalid_utf8),
	        cmocka_unit_test(test_empty_and_list),
	        cmocka_unit_test(test_reports_every_problem),
	        cmocka_unit_test(test_one_error_for_structure),
	        cmocka_unit_test(test_bidi_override_warned),
	        cmocka_unit_test(test_include_escapes),
	        cmocka_unit_test(test_art_escapes),
	        cmocka_unit_test(test_library_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
