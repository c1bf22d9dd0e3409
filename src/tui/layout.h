/* layout.h - pure text layout in display columns, for the TUI and its
 * tests.  Nothing here touches curses or allocates: every function works
 * on byte offsets into the caller's UTF-8 string and measures with
 * text_width()/text_fit(), so CJK (two columns), Thai and combining marks
 * (zero columns) lay out the same way on every screen. */
#ifndef IPR_TUI_LAYOUT_H
#define IPR_TUI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

/* One line of wrapped text: bytes [start, start + len) of the source. */
typedef struct tui_span {
	size_t start, len;
} tui_span;

/* Finds the next line of s starting at byte offset pos, at most width
 * display columns wide (width 0 is treated as 1).  Breaks after the last
 * space that fits, or, when no space fits (Thai, long words) or the line
 * overflows between two wide characters (CJK breaks anywhere), after the
 * last whole character that fits; a newline always ends the line.
 * Stores the line in *line and returns the offset where the following line
 * starts (spaces at the break are skipped); returns strlen(s) at the end.
 * Never fails; a character wider than width still makes progress. */
size_t tui_wrap_next(const char *s, size_t pos, size_t width, tui_span *line);

/* Counts the lines tui_wrap_next() makes of s at width (an empty string is
 * one line). */
size_t tui_wrap_count(const char *s, size_t width);

/* Fills up to max spans with the lines of s at width; returns how many
 * lines s has (which may exceed max: only max were stored). */
size_t tui_wrap(const char *s, size_t width, tui_span *lines, size_t max);

/* How many bytes of s to draw in width columns: all of s when it fits
 * (then *ellipsis is false), otherwise a prefix of at most width - 1
 * columns after which the caller draws TUI_ELLIPSIS (*ellipsis true).
 * width 0 gives 0 bytes. */
size_t tui_truncate(const char *s, size_t width, bool *ellipsis);

#define TUI_ELLIPSIS "\xe2\x80\xa6" /* U+2026, one column */

/* Shares total columns among n columns separated by gap columns: each gets
 * at least min[i], then what is left is shared in proportion to weight[i]
 * (weight 0: stays at its minimum).  When even the minima do not fit, the
 * last columns shrink, down to 0.  Writes widths to out[n]; returns the
 * columns used (<= total). */
size_t tui_columns(const size_t *min, const unsigned *weight, size_t n, size_t gap, size_t total,
                   size_t *out);

/* Case-insensitive (ASCII letters only) substring test; an empty needle
 * matches everything. */
bool tui_contains(const char *hay, const char *needle);

/* Formats milliseconds as "M:SS" or "H:MM:SS" into buf. */
void tui_format_clock(long long ms, char *buf, size_t size);

/* Formats an amount with thousands separators and up to 2 decimals, e.g.
 * 1234567.5 -> "1,234,567.50", 700 -> "700". */
void tui_format_amount(double amount, char *buf, size_t size);

/* Appends code point cp to the NUL-terminated UTF-8 text in buf (size
 * bytes).  Refuses (returns false) control characters, non-characters past
 * U+10FFFF and anything that would not fit. */
bool tui_utf8_append(char *buf, size_t size, unsigned long cp);

/* Removes the last character (with its combining marks left to the caller:
 * one code point) from the UTF-8 text in buf. */
void tui_utf8_erase_last(char *buf);

#endif
