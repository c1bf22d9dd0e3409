/* text.c - UTF-8 decoding, terminal-safe copies and display widths. */
#define _XOPEN_SOURCE 700 /* wcwidth, nftw */
#include "ipr-drill/text.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

size_t text_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t need;
	uint32_t value, min;

	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xE0) == 0xC0) {
		need = 2, value = u[0] & 0x1F, min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		need = 3, value = u[0] & 0x0F, min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		need = 4, value = u[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		value = (value << 6) | (u[i] & 0x3F);
	}
	if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
		return 0;
	*cp = value;
	return need;
}

bool text_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = text_utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

bool text_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

bool text_is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

long text_find_control(const char *s, size_t len, bool allow_newline_tab)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = text_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			n = 1; /* invalid bytes are the UTF-8 check's business */
		} else if (text_is_control(cp) &&
		           !(allow_newline_tab && (cp == '\n' || cp == '\t'))) {
			return (long)i;
		}
		i += n;
	}
	return -1;
}

/* Appends the UTF-8 encoding of cp to out (which has room for 4 bytes). */
static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The visible stand-in for a control character: the Control Pictures block
 * for C0 and DEL, U+FFFD for C1 (which has no pictures). */
static uint32_t control_picture(uint32_t cp)
{
	if (cp < 0x20)
		return 0x2400 + cp;
	if (cp == 0x7F)
		return 0x2421;
	return 0xFFFD;
}

char *text_sanitize(const char *s, bool keep_newline_tab)
{
	size_t len = strlen(s), i = 0, o = 0;
	char *out;

	/* Every input byte becomes at most 3 output bytes (U+FFFD, U+24xx). */
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(len * 3 + 1);
	if (!out)
		return NULL;
	while (i < len) {
		uint32_t cp;
		size_t n = text_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			cp = 0xFFFD;
			n = 1;
		} else if (text_is_control(cp) &&
		           !(keep_newline_tab && (cp == '\n' || cp == '\t'))) {
			cp = control_picture(cp);
		} else if (text_is_bidi_control(cp)) {
			cp = 0xFFFD; /* it could reorder what follows on screen */
		}
		o += put_utf8(out + o, cp);
		i += n;
	}
	out[o] = '\0';
	return out;
}

static locale_t utf8_locale(void)
{
	static locale_t loc = (locale_t)0;
	if (loc == (locale_t)0)
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	return loc;
}

/* A code point's columns, with the UTF-8 locale already in force. */
static int width_in_locale(uint32_t cp)
{
	if (text_is_control(cp))
		return 1; /* drawn as a visible symbol */
	int w = wcwidth((wchar_t)cp);
	/* Unassigned or unprintable: one column for the replacement glyph. */
	return w < 0 ? 1 : w;
}

int text_cp_width(uint32_t cp)
{
	locale_t loc = utf8_locale(), old;
	int w;

	if (loc == (locale_t)0)
		return 1;
	old = uselocale(loc);
	w = width_in_locale(cp);
	uselocale(old);
	return w;
}

/* Walks s until max_cols columns would be exceeded; returns the columns
 * taken and stores in *bytes how many bytes they are.  The locale is
 * switched once per string, not once per character. */
static size_t measure(const char *s, size_t max_cols, size_t *bytes)
{
	locale_t loc = utf8_locale(), old = (locale_t)0;
	size_t len = strlen(s), i = 0, cols = 0;

	if (loc != (locale_t)0)
		old = uselocale(loc);
	while (i < len) {
		uint32_t cp;
		size_t n = text_utf8_decode(s + i, len - i, &cp);
		size_t w = 1; /* an invalid byte shows as one replacement glyph */
		if (n == 0)
			n = 1;
		else if (loc != (locale_t)0)
			w = (size_t)width_in_locale(cp);
		if (cols + w > max_cols)
			break;
		cols += w;
		i += n;
	}
	if (loc != (locale_t)0)
		uselocale(old);
	*bytes = i;
	return cols;
}

size_t text_width(const char *s)
{
	size_t bytes;
	return measure(s, SIZE_MAX, &bytes);
}

size_t text_fit(const char *s, size_t max_cols)
{
	size_t bytes;
	measure(s, max_cols, &bytes);
	return bytes;
}

char *text_vprintf(const char *fmt, va_list ap)
{
	va_list again;
	int n;
	char *s;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *text_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = text_vprintf(fmt, ap);
	va_end(ap);
	return s;
}

void text_errf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (!buf || size == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}
