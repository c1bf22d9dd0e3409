/* test_text.c - UTF-8 decoding, sanitising and display widths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ipr-drill/text.h"

static void test_decode(void **state)
{
	uint32_t cp;
	(void)state;
	assert_int_equal(text_utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(text_utf8_decode("\xe4\xb8\xad", 3, &cp), 3);
	assert_int_equal(cp, 0x4E2D);
	assert_int_equal(text_utf8_decode("\xc0\x80", 2, &cp), 0);         /* overlong */
	assert_int_equal(text_utf8_decode("\xed\xa0\x80", 3, &cp), 0);     /* surrogate */
	assert_int_equal(text_utf8_decode("\xe4\xb8", 2, &cp), 0);         /* truncated */
	assert_int_equal(text_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0); /* > U+10FFFF */
	assert_true(text_utf8_valid("h\xc3\xa9llo", 6));
	assert_false(text_utf8_valid("\xff", 1));
}

static void test_sanitize(void **state)
{
	char *s;
	(void)state;
	s = text_sanitize("a\033[31mb\n\tc", false);
	assert_string_equal(s, "a\xe2\x90\x9b[31mb\xe2\x90\x8a\xe2\x90\x89"
	                       "c");
	free(s);
	s = text_sanitize("x\ny\tz", true);
	assert_string_equal(s, "x\ny\tz");
	free(s);
	s = text_sanitize("\xc2\x9b"
	                  "1m\xff",
	                  false); /* C1 CSI and a stray byte */
	assert_string_equal(s, "\xef\xbf\xbd"
	                       "1m\xef\xbf\xbd");
	free(s);
	s = text_sanitize("a\xe2\x80\xae"
	                  "b",
	                  false); /* U+202E right-to-left override */
	assert_string_equal(s, "a\xef\xbf\xbd"
	                       "b");
	free(s);
	assert_true(text_is_bidi_control(0x2066));
	assert_false(text_is_bidi_control(0x200F));
	assert_int_equal(text_find_control("ok\x07", 3, true), 2);
	assert_int_equal(text_find_control("ok\n\t", 4, true), -1);
	assert_int_equal(text_find_control("ok\n", 3, false), 2);
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("\xe4\xb8\xad\xe6\x96\x87"), 4);  /* 中文 */
	assert_int_equal(text_width("e\xcc\x81"), 1);                 /* e + combining acute */
	assert_int_equal(text_width("\xe0\xb8\x81\xe0\xb8\xb5"), 1);  /* Thai ki: base + vowel */
	assert_int_equal(text_fit("\xe4\xb8\xad\xe6\x96\x87", 3), 3); /* one wide char fits */
	assert_int_equal(text_fit("abc", 2), 2);
	assert_int_equal(text_fit("e\xcc\x81x", 1), 3); /* the mark stays with its base */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_decode),
	        cmocka_unit_test(test_sanitize),
	        cmocka_unit_test(test_width),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
