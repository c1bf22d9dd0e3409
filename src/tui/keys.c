/* keys.c - the key tables of every screen, their lookup and the help and
 * hint text generated from them. */
#define NCURSES_WIDECHAR 1
#include "keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define K(c) TUI_FKEY(c)

/* Moving in a list or a page of text, shared by most screens. */
#define NAV_KEYS                                                                                   \
	{K(KEY_UP), ACT_UP, NULL, "move up"}, {'k', ACT_UP, NULL, "move up"},                      \
	        {K(KEY_DOWN), ACT_DOWN, NULL, "move down"}, {'j', ACT_DOWN, NULL, "move down"},    \
	        {K(KEY_PPAGE), ACT_PGUP, NULL, "one page up"},                                     \
	        {K(KEY_NPAGE), ACT_PGDN, NULL, "one page down"},                                   \
	        {K(KEY_HOME), ACT_HOME, NULL, "go to the first line"},                             \
	{                                                                                          \
		K(KEY_END), ACT_END, NULL, "go to the last line"                                   \
	}

#define ENTER_KEYS(hint, help)                                                                     \
	{'\n', ACT_ENTER, hint, help}, {'\r', ACT_ENTER, NULL, help},                              \
	{                                                                                          \
		K(KEY_ENTER), ACT_ENTER, NULL, help                                                \
	}

/* Keys that work on every exercise screen. */
static const tui_key global_keys[] = {
        {'g', ACT_GUIDE, "guide", "open the brand guide (Esc comes back here)"},
        {'?', ACT_HELP, "help", "show the keys for this screen"},
        {'F', ACT_FINISH, NULL, "finish the exercise now: what you answered counts"},
        {'q', ACT_QUIT, "quit", "leave; the attempt is kept and can be resumed"},
};
static const tui_keymap global_map = {"Every screen", global_keys,
                                      sizeof global_keys / sizeof global_keys[0], NULL};

static const tui_key form_keys[] = {
        {'\t', ACT_TAB, "next", "next field"},
        {K(KEY_DOWN), ACT_TAB, NULL, "next field"},
        {K(KEY_BTAB), ACT_BACKTAB, NULL, "previous field"},
        {K(KEY_UP), ACT_BACKTAB, NULL, "previous field"},
        ENTER_KEYS("continue", "continue (the name is required)"),
        {K(KEY_BACKSPACE), ACT_ERASE, NULL, "erase the last character"},
        {127, ACT_ERASE, NULL, "erase the last character"},
        {8, ACT_ERASE, NULL, "erase the last character"},
        {K(KEY_F(1)), ACT_HELP, "F1 help", "show these keys (? is typed into the field)"},
        {TUI_ESC, ACT_QUIT, "Esc quit", "leave ipr-drill"},
};

static const tui_key packs_keys[] = {
        NAV_KEYS,
        {'\t', ACT_TAB, "switch list", "switch between packs and interrupted attempts"},
        ENTER_KEYS("start", "start the pack / resume the attempt"),
        {TUI_ESC, ACT_BACK, "Esc sign-in", "back to the sign-in form"},
        {'?', ACT_HELP, "help", "show the keys for this screen"},
        {'q', ACT_QUIT, "quit", "leave ipr-drill"},
};

static const tui_key briefing_keys[] = {
        NAV_KEYS,
        ENTER_KEYS("begin", "begin the exercise"),
};

static const tui_key board_keys[] = {
        NAV_KEYS,
        {'\t', ACT_TAB, NULL, "switch between the shipment list and the declaration"},
        {'s', ACT_SORT, "sort", "sort by the next column"},
        {'S', ACT_SORT_REV, NULL, "reverse the sort order"},
        {'i', ACT_INDICATORS, "indicators", "flag risk indicators for this shipment"},
        {' ', ACT_SELECT, "select", "select / deselect this shipment for examination"},
        {'x', ACT_SELECT, NULL, "select / deselect this shipment for examination"},
        {'c', ACT_CONFIRM, "confirm", "confirm targeting (ends this stage)"},
};

static const tui_key indicator_keys[] = {
        NAV_KEYS,
        {' ', ACT_TOGGLE, "flag", "flag / unflag this indicator"},
        ENTER_KEYS(NULL, "flag / unflag this indicator"),
        {TUI_ESC, ACT_BACK, "Esc done", "close the list"},
        {'q', ACT_BACK, NULL, "close the list"},
        {'?', ACT_HELP, NULL, "show the keys for this list"},
};

static const tui_key action_keys[] = {
        NAV_KEYS,
        ENTER_KEYS("choose", "choose this action (final)"),
        {TUI_ESC, ACT_BACK, "Esc cancel", "close the list without choosing"},
        {'q', ACT_BACK, NULL, "close the list without choosing"},
        {'?', ACT_HELP, NULL, "show the keys for this list"},
};

static const tui_key guide_keys[] = {
        NAV_KEYS,
        ENTER_KEYS("open", "open the brand / show the product"),
        {K(KEY_RIGHT), ACT_RIGHT, NULL, "open the brand"},
        {'l', ACT_RIGHT, NULL, "open the brand"},
        {K(KEY_LEFT), ACT_LEFT, NULL, "close the brand"},
        {'h', ACT_LEFT, NULL, "close the brand"},
        {'\t', ACT_TAB, NULL, "switch between the list and the page"},
        {'/', ACT_SEARCH, "search", "search brand, product and feature names"},
        {TUI_ESC, ACT_BACK, "Esc back", "back to the exercise"},
        {'q', ACT_BACK, NULL, "back to the exercise"},
        {'?', ACT_HELP, "help", "show the keys for this screen"},
};

static const tui_key search_keys[] = {
        ENTER_KEYS("keep", "keep this search"),
        {TUI_ESC, ACT_BACK, "Esc clear", "clear the search"},
        {K(KEY_BACKSPACE), ACT_ERASE, NULL, "erase the last character"},
        {127, ACT_ERASE, NULL, "erase the last character"},
        {8, ACT_ERASE, NULL, "erase the last character"},
};

static const tui_key exam_keys[] = {
        NAV_KEYS,
        {'\t', ACT_TAB, NULL, "switch between the items and their features"},
        ENTER_KEYS("examine", "examine the feature (see what the officer sees)"),
        {'e', ACT_CITE, "evidence", "cite / uncite the feature as evidence"},
        {'G', ACT_GENUINE, "Genuine", "judge the item genuine (final)"},
        {'C', ACT_COUNTERFEIT, "Counterfeit", "judge the item counterfeit (final)"},
        {'a', ACT_ACTION, "action", "choose the action for this shipment"},
        {'v', ACT_ART, NULL, "view the item's art beside the guide's"},
        {'D', ACT_DONE, "Done", "end the examination (every shipment needs its action)"},
};

static const tui_key question_keys[] = {
        NAV_KEYS,
        {K(KEY_LEFT), ACT_PREV, NULL, "previous question"},
        {'h', ACT_PREV, NULL, "previous question"},
        {K(KEY_RIGHT), ACT_NEXT, NULL, "next question"},
        {'l', ACT_NEXT, NULL, "next question"},
        {' ', ACT_TOGGLE, "choose", "choose / unchoose this answer"},
        ENTER_KEYS("submit", "submit the answer (final)"),
};

static const tui_key debrief_keys[] = {
        NAV_KEYS,
        {'\t', ACT_TAB, "next section", "jump to the next section"},
        {'g', ACT_GUIDE, "guide", "open the brand guide"},
        {'?', ACT_HELP, "help", "show the keys for this screen"},
        {'q', ACT_QUIT, "leave", "leave the debrief"},
};

static const tui_key confirm_keys[] = {
        {'y', ACT_YES, "y yes", "yes"}, {'Y', ACT_YES, NULL, "yes"},   {'n', ACT_NO, "n no", "no"},
        {'N', ACT_NO, NULL, "no"},      {TUI_ESC, ACT_NO, NULL, "no"},
};

static const tui_key pager_keys[] = {
        NAV_KEYS,
        ENTER_KEYS("continue", "close"),
        {' ', ACT_BACK, NULL, "close"},
        {TUI_ESC, ACT_BACK, NULL, "close"},
        {'q', ACT_BACK, NULL, "close"},
        {'?', ACT_BACK, NULL, "close"},
};

static const tui_key small_keys[] = {
        {'q', ACT_QUIT, "quit", "leave; the attempt is kept and can be resumed"},
};

#define MAP(title, keys, parent)                                                                   \
	{                                                                                          \
		title, keys, sizeof keys / sizeof keys[0], parent                                  \
	}
static const tui_keymap maps[KM_COUNT] = {
        [KM_FORM] = MAP("Sign in", form_keys, NULL),
        [KM_PACKS] = MAP("Choose a pack", packs_keys, NULL),
        [KM_BRIEFING] = MAP("Briefing", briefing_keys, &global_map),
        [KM_BOARD] = MAP("Targeting board", board_keys, &global_map),
        [KM_INDICATORS] = MAP("Risk indicators", indicator_keys, NULL),
        [KM_ACTIONS] = MAP("Actions", action_keys, NULL),
        [KM_GUIDE] = MAP("Brand guide", guide_keys, NULL),
        [KM_SEARCH] = MAP("Search the guide", search_keys, NULL),
        [KM_EXAM] = MAP("Examination", exam_keys, &global_map),
        [KM_QUESTIONS] = MAP("Questions", question_keys, &global_map),
        [KM_DEBRIEF] = MAP("Debrief", debrief_keys, NULL),
        [KM_CONFIRM] = MAP("Confirm", confirm_keys, NULL),
        [KM_PAGER] = MAP("Reading", pager_keys, NULL),
        [KM_TOO_SMALL] = MAP("Terminal too small", small_keys, NULL),
};

const tui_keymap *tui_keymap_get(enum tui_keymap_id id)
{
	return (unsigned)id < KM_COUNT ? &maps[id] : &maps[KM_PAGER];
}

enum tui_action tui_key_action(const tui_keymap *m, int key)
{
	for (; m; m = m->parent)
		for (size_t i = 0; i < m->count; i++)
			if (m->keys[i].key == key)
				return m->keys[i].action;
	return ACT_NONE;
}

static const struct {
	int key;
	const char *name;
} names[] = {
        {K(KEY_UP), "Up"},
        {K(KEY_DOWN), "Down"},
        {K(KEY_LEFT), "Left"},
        {K(KEY_RIGHT), "Right"},
        {K(KEY_PPAGE), "PgUp"},
        {K(KEY_NPAGE), "PgDn"},
        {K(KEY_HOME), "Home"},
        {K(KEY_END), "End"},
        {K(KEY_ENTER), "Enter"},
        {K(KEY_BTAB), "Shift-Tab"},
        {K(KEY_BACKSPACE), "Backspace"},
        {'\n', "Enter"},
        {'\r', "Enter"},
        {'\t', "Tab"},
        {' ', "Space"},
        {TUI_ESC, "Esc"},
        {127, "Backspace"},
        {8, "Backspace"},
};

const char *tui_key_name(int key, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].key == key) {
			snprintf(buf, size, "%s", names[i].name);
			return buf;
		}
	}
	if (key >= TUI_FKEY(KEY_F0) && key <= TUI_FKEY(KEY_F(63)))
		snprintf(buf, size, "F%d", key - TUI_FKEY(KEY_F0));
	else if (key >= 1 && key < 32)
		snprintf(buf, size, "^%c", key + '@');
	else if (key >= 32 && key < 127)
		snprintf(buf, size, "%c", key);
	else
		snprintf(buf, size, "key %d", key);
	return buf;
}

/* Appends ", name" for key to a help line unless the name is already
 * there (Enter has three codes).  Not "/": that is a key itself. */
static void add_key_name(tui_help_line *line, int key)
{
	char name[24];
	size_t used = strlen(line->keys);

	tui_key_name(key, name, sizeof name);
	for (const char *p = line->keys; *p;) {
		size_t n = strcspn(p, ",");
		if (n == strlen(name) && strncmp(p, name, n) == 0)
			return;
		p += n;
		if (*p == ',')
			p += 2;
	}
	snprintf(line->keys + used, sizeof line->keys - used, "%s%s", used ? ", " : "", name);
}

size_t tui_keymap_help(const tui_keymap *m, tui_help_line *out, size_t max)
{
	size_t n = 0;
	tui_help_line cur = {{0}, NULL};
	enum tui_action prev = ACT_NONE;

	for (; m; m = m->parent) {
		for (size_t i = 0; i < m->count; i++) {
			const tui_key *k = &m->keys[i];
			if (cur.help && (k->action != prev || strcmp(k->help, cur.help) != 0)) {
				if (n < max)
					out[n] = cur;
				n++;
				cur.keys[0] = '\0';
			}
			cur.help = k->help;
			prev = k->action;
			add_key_name(&cur, k->key);
		}
	}
	if (cur.help) {
		if (n < max)
			out[n] = cur;
		n++;
	}
	return n;
}

void tui_keymap_hints(const tui_keymap *m, char *buf, size_t size)
{
	size_t used = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (; m; m = m->parent) {
		for (size_t i = 0; i < m->count && used < size; i++) {
			const tui_key *k = &m->keys[i];
			char name[24];
			if (!k->hint)
				continue;
			/* A hint that names its own key ("Esc done") is shown as is. */
			if (strchr(k->hint, ' '))
				name[0] = '\0';
			else
				tui_key_name(k->key, name, sizeof name);
			int w = snprintf(buf + used, size - used, "%s%s%s%s", used ? "  " : "",
			                 name, name[0] ? " " : "", k->hint);
			if (w < 0)
				return;
			used += (size_t)w;
		}
	}
}
