/* layout.c - wrapping, truncation and column sharing in display columns.
 * Pure functions: no curses, no allocation (see layout.h). */
#include "layout.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ipr-drill/text.h"

/* Decodes the character at s[i] (len bytes in all): its byte length and
 * columns.  Invalid bytes count as one byte of one column, like
 * text_width(). */
static size_t char_at(const char *s, size_t i, size_t len, uint32_t *cp, size_t *cols)
{
	size_t n = text_utf8_decode(s + i, len - i, cp);
	if (n == 0) {
		*cp = 0xFFFD;
		*cols = 1;
		return 1;
	}
	*cols = (size_t)text_cp_width(*cp);
	return n;
}

static size_t skip_spaces(const char *s, size_t i, size_t len)
{
	while (i < len && s[i] == ' ')
		i++;
	return i;
}

size_t tui_wrap_next(const char *s, size_t pos, size_t width, tui_span *line)
{
	size_t len = strlen(s), i = pos, cols = 0, brk = 0, prev_w = 0;
	bool have_brk = false;

	if (width == 0)
		width = 1;
	while (i < len) {
		uint32_t cp;
		size_t w, n = char_at(s, i, len, &cp, &w);
		if (cp == '\n') {
			*line = (tui_span){pos, i - pos};
			return i + 1;
		}
		if (cols + w > width) {
			/* Between two wide (CJK) characters a line may break anywhere, so
			 * a space further back would only waste the line. */
			if (have_brk && !(w == 2 && prev_w == 2)) {
				size_t next = skip_spaces(s, brk, len);
				*line = (tui_span){pos, brk - pos};
				if (next < len && s[next] == '\n')
					next++;
				return next;
			}
			if (i == pos) /* one character wider than the line */
				i += n;
			*line = (tui_span){pos, i - pos};
			return skip_spaces(s, i, len);
		}
		if (cp == ' ' && i > pos) {
			brk = i;
			have_brk = true;
		}
		cols += w;
		if (w)
			prev_w = w;
		i += n;
	}
	*line = (tui_span){pos, len - pos};
	return len;
}

size_t tui_wrap(const char *s, size_t width, tui_span *lines, size_t max)
{
	size_t len = strlen(s), pos = 0, count = 0;

	do {
		tui_span sp;
		pos = tui_wrap_next(s, pos, width, &sp);
		if (count < max)
			lines[count] = sp;
		count++;
	} while (pos < len);
	return count;
}

size_t tui_wrap_count(const char *s, size_t width)
{
	return tui_wrap(s, width, NULL, 0);
}

size_t tui_truncate(const char *s, size_t width, bool *ellipsis)
{
	*ellipsis = false;
	if (text_width(s) <= width)
		return strlen(s);
	if (width == 0)
		return 0;
	*ellipsis = true;
	return text_fit(s, width - 1);
}

size_t tui_columns(const size_t *min, const unsigned *weight, size_t n, size_t gap, size_t total,
                   size_t *out)
{
	size_t need = 0, used = 0;
	unsigned long long wsum = 0;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		out[i] = min[i];
		need += min[i];
		wsum += weight[i];
	}
	need += gap * (n - 1);
	if (need <= total) {
		size_t extra = total - need, given = 0, last = n;
		for (size_t i = 0; i < n && wsum; i++) {
			size_t add = (size_t)((unsigned long long)extra * weight[i] / wsum);
			out[i] += add;
			given += add;
			if (weight[i])
				last = i;
		}
		if (last < n)
			out[last] += extra - given;
	} else {
		size_t over = need - total;
		for (size_t i = n; i-- > 0 && over;) {
			size_t take = out[i] < over ? out[i] : over;
			out[i] -= take;
			over -= take;
		}
	}
	for (size_t i = 0; i < n; i++)
		used += out[i];
	used += gap * (n - 1);
	return used < total ? used : total;
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool tui_contains(const char *hay, const char *needle)
{
	size_t nl = strlen(needle);

	if (nl == 0)
		return true;
	for (const char *h = hay; *h; h++) {
		size_t k = 0;
		while (k < nl && h[k] && ascii_lower(h[k]) == ascii_lower(needle[k]))
			k++;
		if (k == nl)
			return true;
	}
	return false;
}

void tui_format_clock(long long ms, char *buf, size_t size)
{
	long long s = ms < 0 ? 0 : (ms + 999) / 1000;

	if (s >= 3600)
		snprintf(buf, size, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%lld:%02lld", s / 60, s % 60);
}

void tui_format_amount(double amount, char *buf, size_t size)
{
	char digits[32], out[64];
	bool neg = amount < 0;
	double a = fabs(amount);
	long long cents;
	size_t n, o = 0;

	if (!isfinite(a) || a > 1e15) {
		snprintf(buf, size, "%g", amount);
		return;
	}
	cents = llround(a * 100.0);
	n = (size_t)snprintf(digits, sizeof digits, "%lld", cents / 100);
	if (neg)
		out[o++] = '-';
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	if (cents % 100)
		snprintf(buf, size, "%s.%02lld", out, cents % 100);
	else
		snprintf(buf, size, "%s", out);
}

bool tui_utf8_append(char *buf, size_t size, unsigned long cp)
{
	char enc[4];
	size_t n = 0, len = strlen(buf);

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || text_is_control((uint32_t)cp))
		return false;
	if (cp < 0x80) {
		enc[n++] = (char)cp;
	} else if (cp < 0x800) {
		enc[n++] = (char)(0xC0 | (cp >> 6));
		enc[n++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		enc[n++] = (char)(0xE0 | (cp >> 12));
		enc[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		enc[n++] = (char)(0x80 | (cp & 0x3F));
	} else {
		enc[n++] = (char)(0xF0 | (cp >> 18));
		enc[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		enc[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		enc[n++] = (char)(0x80 | (cp & 0x3F));
	}
	if (len + n + 1 > size)
		return false;
	memcpy(buf + len, enc, n);
	buf[len + n] = '\0';
	return true;
}

void tui_utf8_erase_last(char *buf)
{
	size_t len = strlen(buf);

	while (len > 0 && ((unsigned char)buf[len - 1] & 0xC0) == 0x80)
		len--;
	if (len > 0)
		len--;
	buf[len] = '\0';
}
