/* test_tui_layout.c - wrapping and truncation in display columns (CJK,
 * Thai, combining marks), column sharing, and the key tables: lookups and
 * help generated from the same table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ipr-drill/text.h"
#include "keys.h"
#include "layout.h"

/* Every line of s wrapped at width fits in width columns, lines are in
 * order, and together (with the skipped spaces/newlines) they cover s. */
static void check_wrap(const char *s, size_t width)
{
	tui_span lines[256];
	size_t n = tui_wrap(s, width, lines, 256), prev_end = 0;
	char buf[1024];

	assert_true(n >= 1 && n <= 256);
	for (size_t i = 0; i < n; i++) {
		assert_true(lines[i].start >= prev_end);
		for (size_t k = prev_end; k < lines[i].start; k++)
			assert_true(s[k] == ' ' || s[k] == '\n');
		memcpy(buf, s + lines[i].start, lines[i].len);
		buf[lines[i].len] = '\0';
		assert_true(text_utf8_valid(buf, lines[i].len));
		/* one character wider than the line is the only excuse */
		if (text_width(buf) > width)
			assert_true(text_fit(buf, 0) == 0 && lines[i].len <= 4);
		prev_end = lines[i].start + lines[i].len;
	}
	assert_int_equal(n, tui_wrap_count(s, width));
}

static void test_wrap_english(void **state)
{
	(void)state;
	const char *s = "Laser-engraved 8-digit serial starting with T1; sharp, even depth.";
	tui_span l[8];
	size_t n = tui_wrap(s, 20, l, 8);

	check_wrap(s, 20);
	assert_int_equal(n, 4);
	assert_int_equal(l[0].len, strlen("Laser-engraved"));
	assert_memory_equal(s + l[1].start, "8-digit serial", 14);
	check_wrap("word", 1);
	check_wrap("", 10);
	assert_int_equal(tui_wrap_count("", 10), 1);
	assert_int_equal(tui_wrap_count("a\nb\nc", 80), 3);
}

static void test_wrap_cjk(void **state)
{
	(void)state;
	/* 12 CJK characters = 24 columns: 7 columns hold 3 of them */
	const char *s = "\xe6\xb5\xb7\xe5\x85\xb3\xe6\xa3\x80\xe6\x9f\xa5\xe5\x81\x87\xe5\x86\x92"
	                "\xe5\x95\x86\xe5\x93\x81\xe7\x9a\x84\xe7\xae\xb1\xe5\xad\x90\xe3\x80\x82";
	tui_span l[8];
	size_t n = tui_wrap(s, 7, l, 8);

	assert_int_equal(text_width(s), 24);
	assert_int_equal(n, 4);
	assert_int_equal(l[0].len, 9); /* 3 characters, 6 columns */
	check_wrap(s, 7);
	check_wrap(s, 1); /* wider than the line: still progresses */
	check_wrap(s, 2);

	/* CJK with a space early on: the line fills up instead of breaking at
	 * the space ("欢迎使用 ipr-drill。这个五分钟的入门教程"). */
	const char *mixed =
	        "\xe6\xac\xa2\xe8\xbf\x8e\xe4\xbd\xbf\xe7\x94\xa8 ipr-drill\xe3\x80\x82"
	        "\xe8\xbf\x99\xe4\xb8\xaa\xe4\xba\x94\xe5\x88\x86\xe9\x92\x9f\xe7\x9a\x84"
	        "\xe5\x85\xa5\xe9\x97\xa8\xe6\x95\x99\xe7\xa8\x8b";
	n = tui_wrap(mixed, 24, l, 8);
	check_wrap(mixed, 24);
	assert_int_equal(n, 2);
	char first[64];
	memcpy(first, mixed + l[0].start, l[0].len);
	first[l[0].len] = '\0';
	assert_true(text_width(first) >= 23);
}

static void test_wrap_thai_and_combining(void **state)
{
	(void)state;
	/* Thai with combining vowels and tone marks, no spaces */
	const char *thai =
	        "\xe0\xb8\xaa\xe0\xb8\xb4\xe0\xb8\x99\xe0\xb8\x84\xe0\xb9\x89\xe0\xb8\xb2"
	        "\xe0\xb8\x9b\xe0\xb8\xa5\xe0\xb8\xad\xe0\xb8\xa1\xe0\xb9\x81\xe0\xb8\x9a"
	        "\xe0\xb8\xa3\xe0\xb8\x99\xe0\xb8\x94\xe0\xb9\x8c";
	/* e + U+0301 combining acute, repeated */
	const char *comb = "cafe\xcc\x81 cafe\xcc\x81 cafe\xcc\x81 na\xc3\xafve";
	tui_span l[16];
	size_t n = tui_wrap(thai, 5, l, 16);

	check_wrap(thai, 5);
	check_wrap(thai, 3);
	for (size_t i = 0; i < n; i++) {
		/* a line never starts with a combining mark (U+0E34..U+0E3A, U+0E47..U+0E4E,
		 * U+0E31) */
		uint32_t cp;
		text_utf8_decode(thai + l[i].start, strlen(thai + l[i].start), &cp);
		assert_int_not_equal(text_cp_width(cp), 0);
	}
	check_wrap(comb, 5);
	n = tui_wrap(comb, 5, l, 16);
	assert_int_equal(n, 4);
	assert_int_equal(l[0].len, 6); /* "cafe" + 2-byte mark, 4 columns */
}

static void test_truncate(void **state)
{
	(void)state;
	bool ell;
	const char *cjk = "\xe4\xb8\xad\xe6\x96\x87\xe5\x8c\x85"; /* 6 columns */

	assert_int_equal(tui_truncate("Harbourside", 20, &ell), 11);
	assert_false(ell);
	assert_int_equal(tui_truncate("Harbourside", 5, &ell), 4);
	assert_true(ell);
	assert_int_equal(tui_truncate(cjk, 6, &ell), 9);
	assert_false(ell);
	/* 5 columns: one for the ellipsis, 4 for two CJK characters */
	assert_int_equal(tui_truncate(cjk, 5, &ell), 6);
	assert_true(ell);
	/* 4 columns: 3 left, which hold one CJK character, never half */
	assert_int_equal(tui_truncate(cjk, 4, &ell), 3);
	assert_int_equal(tui_truncate("cafe\xcc\x81s", 5, &ell), 7); /* marks stay */
	assert_false(ell);
	assert_int_equal(tui_truncate("cafe\xcc\x81s!", 5, &ell), 6); /* e and its mark together */
	assert_true(ell);
	assert_int_equal(tui_truncate("abc", 0, &ell), 0);
}

static void test_columns(void **state)
{
	(void)state;
	size_t min[3] = {4, 10, 6}, out[3];
	unsigned w[3] = {0, 1, 1};

	assert_int_equal(tui_columns(min, w, 3, 1, 80, out), 80);
	assert_int_equal(out[0], 4);
	assert_int_equal(out[0] + out[1] + out[2] + 2, 80);
	assert_true(out[1] >= 10 && out[2] >= 6);
	/* too narrow: the last columns give way */
	assert_int_equal(tui_columns(min, w, 3, 1, 16, out), 16);
	assert_int_equal(out[0], 4);
	assert_int_equal(out[1], 10);
	assert_int_equal(out[2], 0);
}

static void test_formats(void **state)
{
	(void)state;
	char b[64];

	tui_format_amount(1234567.5, b, sizeof b);
	assert_string_equal(b, "1,234,567.50");
	tui_format_amount(700, b, sizeof b);
	assert_string_equal(b, "700");
	tui_format_amount(-1480, b, sizeof b);
	assert_string_equal(b, "-1,480");
	tui_format_clock(61000, b, sizeof b);
	assert_string_equal(b, "1:01");
	tui_format_clock(3600500, b, sizeof b);
	assert_string_equal(b, "1:00:01");
	assert_true(tui_contains("Tarnwick Watches", "WATCH"));
	assert_false(tui_contains("Tarnwick", "solvane"));
	assert_true(tui_contains("x", ""));
}

static void test_utf8_edit(void **state)
{
	(void)state;
	char b[8] = "";

	assert_true(tui_utf8_append(b, sizeof b, 'a'));
	assert_true(tui_utf8_append(b, sizeof b, 0x4E2D)); /* 3 bytes */
	assert_false(tui_utf8_append(b, sizeof b, 0x1B));  /* ESC refused */
	assert_false(tui_utf8_append(b, sizeof b, 0x9B));  /* C1 refused */
	assert_true(tui_utf8_append(b, sizeof b, 'b'));
	assert_false(tui_utf8_append(b, sizeof b, 0x4E2D)); /* would not fit */
	assert_string_equal(b, "a\xe4\xb8\xad"
	                       "b");
	tui_utf8_erase_last(b);
	tui_utf8_erase_last(b);
	assert_string_equal(b, "a");
	tui_utf8_erase_last(b);
	tui_utf8_erase_last(b);
	assert_string_equal(b, "");
}

static void test_key_lookup(void **state)
{
	(void)state;
	const tui_keymap *board = tui_keymap_get(KM_BOARD);
	char name[24];

	assert_int_equal(tui_key_action(board, 'j'), ACT_DOWN);
	assert_int_equal(tui_key_action(board, TUI_FKEY(0402)), ACT_DOWN); /* KEY_DOWN */
	assert_int_equal(tui_key_action(board, 's'), ACT_SORT);
	assert_int_equal(tui_key_action(board, 'S'), ACT_SORT_REV);
	assert_int_equal(tui_key_action(board, ' '), ACT_SELECT);
	assert_int_equal(tui_key_action(board, 'x'), ACT_SELECT);
	assert_int_equal(tui_key_action(board, 'g'), ACT_GUIDE); /* from the parent */
	assert_int_equal(tui_key_action(board, '?'), ACT_HELP);
	assert_int_equal(tui_key_action(board, 'q'), ACT_QUIT);
	assert_int_equal(tui_key_action(board, 'Z'), ACT_NONE);
	assert_int_equal(tui_key_action(tui_keymap_get(KM_GUIDE), '/'), ACT_SEARCH);
	assert_int_equal(tui_key_action(tui_keymap_get(KM_EXAM), 'G'), ACT_GENUINE);
	assert_int_equal(tui_key_action(tui_keymap_get(KM_EXAM), 'C'), ACT_COUNTERFEIT);
	assert_int_equal(tui_key_action(tui_keymap_get(KM_CONFIRM), 'y'), ACT_YES);
	assert_string_equal(tui_key_name(' ', name, sizeof name), "Space");
	assert_string_equal(tui_key_name('\t', name, sizeof name), "Tab");
	assert_string_equal(tui_key_name(TUI_ESC, name, sizeof name), "Esc");
	assert_string_equal(tui_key_name('q', name, sizeof name), "q");
}

/* Every key of every table (and of its parents) is named in its help, and
 * every help line's text comes from the table. */
static void test_help_lists_every_key(void **state)
{
	(void)state;
	for (int id = 0; id < KM_COUNT; id++) {
		const tui_keymap *m = tui_keymap_get((enum tui_keymap_id)id);
		tui_help_line lines[128];
		size_t n = tui_keymap_help(m, lines, 128);
		assert_true(n > 0 && n <= 128);
		for (const tui_keymap *p = m; p; p = p->parent) {
			for (size_t k = 0; k < p->count; k++) {
				char name[24];
				bool found = false;
				tui_key_name(p->keys[k].key, name, sizeof name);
				for (size_t i = 0; i < n && !found; i++) {
					/* a whole ", "-separated name, so "j" is not found in
					 * "Down, j2" */
					const char *s = lines[i].keys;
					while (*s && !found) {
						size_t len = strcspn(s, ",");
						found = len == strlen(name) &&
						        strncmp(s, name, len) == 0 &&
						        strcmp(lines[i].help, p->keys[k].help) == 0;
						s += len;
						if (*s == ',')
							s += 2;
					}
				}
				if (!found)
					fail_msg("keymap %s: key %s (%s) missing from the help",
					         m->title, name, p->keys[k].help);
			}
		}
	}
}

static void test_hints(void **state)
{
	(void)state;
	char hints[512];

	tui_keymap_hints(tui_keymap_get(KM_BOARD), hints, sizeof hints);
	assert_non_null(strstr(hints, "s sort"));
	assert_non_null(strstr(hints, "Space select"));
	assert_non_null(strstr(hints, "g guide"));
	assert_non_null(strstr(hints, "? help"));
	tui_keymap_hints(tui_keymap_get(KM_FORM), hints, 8); /* truncated, terminated */
	assert_true(strlen(hints) < 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_wrap_english),
	        cmocka_unit_test(test_wrap_cjk),
	        cmocka_unit_test(test_wrap_thai_and_combining),
	        cmocka_unit_test(test_truncate),
	        cmocka_unit_test(test_columns),
	        cmocka_unit_test(test_formats),
	        cmocka_unit_test(test_utf8_edit),
	        cmocka_unit_test(test_key_lookup),
	        cmocka_unit_test(test_help_lists_every_key),
	        cmocka_unit_test(test_hints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
