/* text.h - UTF-8 text helpers shared by every module: making untrusted text
 * safe for a terminal, and measuring it in display columns.
 *
 * Nothing here depends on the process locale: UTF-8 is decoded by hand and
 * widths come from wcwidth() under a private C.UTF-8 locale, so results are
 * the same whatever LANG says. */
#ifndef IPR_DRILL_TEXT_H
#define IPR_DRILL_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one UTF-8 sequence at s (at most len bytes).  Returns its length
 * in bytes and stores the code point, or returns 0 for an invalid or
 * truncated sequence (overlongs and surrogates included). */
size_t text_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* True when s[0..len) is valid UTF-8. */
bool text_utf8_valid(const char *s, size_t len);

/* True for C0 and C1 controls and DEL; newline and tab are controls too. */
bool text_is_control(uint32_t cp);

/* True for the bidirectional overrides and isolates (U+202A-202E,
 * U+2066-2069), which can make text display differently from its order. */
bool text_is_bidi_control(uint32_t cp);

/* Byte offset of the first control character other than newline and tab
 * (or any control when allow_newline_tab is false), or -1 when none. */
long text_find_control(const char *s, size_t len, bool allow_newline_tab);

/* Returns a newly allocated copy of s that is safe to write to a terminal:
 * invalid UTF-8 bytes become U+FFFD, control characters become their
 * visible form (U+2400 block, e.g. ESC -> U+241B), except newline and tab
 * when keep_newline_tab is true; bidirectional overrides become U+FFFD.  NULL only when memory runs
 * out. */
char *text_sanitize(const char *s, bool keep_newline_tab);

/* printf into a newly allocated string the caller frees; NULL when memory
 * runs out or the format fails. */
char *text_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *text_vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Writes a message into a caller's error buffer of size bytes, truncating
 * as snprintf does; does nothing when buf is NULL or size is 0. */
void text_errf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Display width of a code point in terminal columns (0, 1 or 2); controls
 * count as 1 (they are drawn as a visible symbol). */
int text_cp_width(uint32_t cp);

/* Display width of a UTF-8 string; invalid bytes count as one column. */
size_t text_width(const char *s);

/* Number of bytes of s that fit in max_cols display columns without
 * splitting a character (combining marks stay with their base). */
size_t text_fit(const char *s, size_t max_cols);

#endif
