/* keys.h - key tables: every screen's keys as {key, action, help}, so the
 * behaviour and the `?` help come from the same place (the nnn idea).
 * Pure lookups; keys.c includes curses only for the KEY_* constants. */
#ifndef IPR_TUI_KEYS_H
#define IPR_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* Keys are Unicode code points, or curses function keys (KEY_UP, ...)
 * offset past the last code point so the two never collide. */
#define TUI_FKEY_BASE 0x110000
#define TUI_FKEY(k)   (TUI_FKEY_BASE + (k))
#define TUI_CTRL(c)   ((c)&0x1f)
#define TUI_ESC       27

enum tui_action {
	ACT_NONE,
	ACT_UP,
	ACT_DOWN,
	ACT_LEFT,
	ACT_RIGHT,
	ACT_PGUP,
	ACT_PGDN,
	ACT_HOME,
	ACT_END,
	ACT_ENTER,
	ACT_TAB,
	ACT_BACKTAB,
	ACT_HELP,
	ACT_GUIDE,
	ACT_QUIT,
	ACT_BACK,
	ACT_FINISH,
	ACT_SORT,
	ACT_SORT_REV,
	ACT_INDICATORS,
	ACT_SELECT,
	ACT_CONFIRM,
	ACT_SEARCH,
	ACT_EXAMINE,
	ACT_CITE,
	ACT_GENUINE,
	ACT_COUNTERFEIT,
	ACT_ACTION,
	ACT_ART,
	ACT_DONE,
	ACT_TOGGLE,
	ACT_SUBMIT,
	ACT_NEXT,
	ACT_PREV,
	ACT_YES,
	ACT_NO,
	ACT_ERASE,
	ACT_COUNT
};

typedef struct tui_key {
	int key;
	enum tui_action action;
	const char *hint; /* short word for the bottom hint bar, or NULL */
	const char *help; /* the `?` text */
} tui_key;

typedef struct tui_keymap {
	const char *title; /* "Targeting board" */
	const tui_key *keys;
	size_t count;
	const struct tui_keymap *parent; /* looked up after keys; NULL when none */
} tui_keymap;

enum tui_keymap_id {
	KM_FORM,
	KM_PACKS,
	KM_BRIEFING,
	KM_BOARD,
	KM_INDICATORS,
	KM_ACTIONS,
	KM_GUIDE,
	KM_SEARCH,
	KM_EXAM,
	KM_QUESTIONS,
	KM_DEBRIEF,
	KM_CONFIRM,
	KM_PAGER, /* help, feedback, art */
	KM_TOO_SMALL,
	KM_COUNT
};

/* The table for a screen; never NULL for ids below KM_COUNT. */
const tui_keymap *tui_keymap_get(enum tui_keymap_id id);

/* The action bound to key in m or its parents; ACT_NONE when unbound. */
enum tui_action tui_key_action(const tui_keymap *m, int key);

/* A key's printable name ("Up", "PgDn", "Enter", "Space", "Tab", "Esc",
 * "^C", "F1", "q", "?"), written to buf.  Returns buf. */
const char *tui_key_name(int key, char *buf, size_t size);

/* One line of help: every key of one action, e.g. "Down, j", and the text. */
typedef struct tui_help_line {
	char keys[48];
	const char *help;
} tui_help_line;

/* Fills up to max help lines for m and its parents (consecutive keys of
 * the same action and help text share a line); returns how many lines
 * there are in all. */
size_t tui_keymap_help(const tui_keymap *m, tui_help_line *out, size_t max);

/* The hint bar: "s sort  i indicators  Space select ..." for keys with a
 * hint, the screen's own first, written to buf (truncated to size). */
void tui_keymap_hints(const tui_keymap *m, char *buf, size_t size);

#endif
