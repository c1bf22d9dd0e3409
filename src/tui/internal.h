/* internal.h - what the TUI's files share: the tui object, drawing roles,
 * the text document used by every pager, and each screen's entry points.
 * Only src/tui includes curses. */
#ifndef IPR_TUI_INTERNAL_H
#define IPR_TUI_INTERNAL_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <signal.h>
#include <stdarg.h>

#include "ipr-drill/engine.h"
#include "ipr-drill/pack.h"
#include "ipr-drill/tui.h"
#include "keys.h"
#include "layout.h"

#define TUI_MIN_ROWS 24
#define TUI_MIN_COLS 80
#define TUI_TICK_MS  250

/* What a piece of text is, drawn with colour or, without, attributes. */
enum tui_role {
	ROLE_NORMAL,
	ROLE_TITLE,   /* top bar */
	ROLE_STATUS,  /* bottom status line */
	ROLE_CURSOR,  /* the highlighted row of the focused pane */
	ROLE_CURSOR2, /* the highlighted row of a pane without focus */
	ROLE_HEADER,  /* column headings, section titles */
	ROLE_GOOD,    /* right, genuine, selected */
	ROLE_BAD,     /* wrong, counterfeit, errors */
	ROLE_EMPH,    /* values worth a look */
	ROLE_DIM,     /* hints, not-yet-known text */
	ROLE_COUNT
};

/* A page of text: paragraphs (sanitised copies) wrapped lazily to the
 * width it is drawn at; the wrap is kept until the width or text changes. */
typedef struct tui_para {
	char *text;
	enum tui_role role;
	unsigned short indent;
	unsigned short hang; /* extra indent of the second and later rows */
	bool pre;            /* art: split on newlines, truncate, never wrap */
} tui_para;

typedef struct tui_doc_row {
	size_t para;
	tui_span span;
} tui_doc_row;

typedef struct tui_doc {
	tui_para *paras;
	size_t count, cap;
	tui_doc_row *rows;
	size_t row_count, row_cap, laid_width;
	size_t top; /* first row shown */
	bool oom;
} tui_doc;

void tui_doc_clear(tui_doc *d);
void tui_doc_free(tui_doc *d);
/* Adds a paragraph (sanitised); on allocation failure sets d->oom and
 * drops it (the page then lacks a line rather than the program failing). */
void tui_doc_add(tui_doc *d, enum tui_role role, unsigned indent, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
void tui_doc_add_text(tui_doc *d, enum tui_role role, unsigned indent, const char *text);
/* "Label      value" with the value's later rows under the value. */
void tui_doc_add_kv(tui_doc *d, enum tui_role role, unsigned indent, unsigned label_w,
                    const char *label, const char *value);
void tui_doc_add_pre(tui_doc *d, enum tui_role role, unsigned indent, const char *text);
/* Wraps to width (only when it changed) and returns the row count. */
size_t tui_doc_layout(tui_doc *d, size_t width);
/* Index of the first row of paragraph p at the current layout. */
size_t tui_doc_row_of(const tui_doc *d, size_t para);
void tui_doc_draw(tui *t, tui_doc *d, int y, int x, int h, int w);
/* Scrolls for a navigation action; returns true when it was one. */
bool tui_doc_scroll(tui_doc *d, enum tui_action a, int h);

/* ---- overlays and views ---- */

enum tui_view { VIEW_BRIEFING, VIEW_BOARD, VIEW_EXAM, VIEW_QUESTIONS, VIEW_DEBRIEF };

enum tui_overlay { OV_NONE, OV_CONFIRM, OV_INDICATORS, OV_ACTIONS, OV_FEEDBACK, OV_ART };

enum tui_confirm_op {
	CONF_QUIT,
	CONF_FINISH,
	CONF_TARGETING,
	CONF_GENUINE,
	CONF_COUNTERFEIT,
	CONF_ACTION,
	CONF_END_EXAM,
	CONF_FINISH_QUESTIONS,
	CONF_ANSWER,
};

/* Key handlers return these flags. */
enum { TUI_R_NONE = 0, TUI_R_QUIT = 1, TUI_R_DONE = 2 };

enum board_col {
	COL_ORDER,
	COL_ID,
	COL_MODE,
	COL_ORIGIN,
	COL_CONSIGNEE,
	COL_GOODS,
	COL_VALUE,
	COL_COUNT
};

typedef struct tui_board {
	size_t n;
	size_t *index[COL_COUNT]; /* sorted display->pack index, built once per column */
	enum board_col sort;
	bool reverse;
	size_t cursor, top; /* display rows */
	bool pane_focus;
	size_t pane_top;
	size_t last_ship; /* shipment whose declaration doc is built */
	tui_doc decl;
	size_t idle_next; /* next column to index while idle */
} tui_board;

typedef struct tui_guide_node {
	unsigned char kind; /* 0 brand, 1 product, 2 feature match */
	size_t brand, product, feature;
} tui_guide_node;

typedef struct tui_guide {
	bool open;
	size_t brand_open; /* brand expanded in the list, SIZE_MAX when none */
	tui_guide_node *nodes;
	size_t node_count, node_cap;
	size_t cursor, top;
	bool pane_focus, searching;
	char query[TUI_FIELD_MAX];
	tui_doc page;
	size_t page_for;   /* cursor the page was built for; SIZE_MAX: rebuild */
	size_t focus_para; /* the searched feature's paragraph, SIZE_MAX: none */
	char *art;         /* art cache */
} tui_guide;

typedef struct tui_exam {
	size_t *ships; /* examined shipments, pack indexes, display order */
	size_t ship_count;
	size_t ship, item; /* positions in ships / the shipment's items */
	size_t feature;
	size_t list_top, feat_top;
	bool feature_focus;
	bool built;
} tui_exam;

typedef struct tui_questions {
	size_t current; /* pack index */
	size_t cursor;  /* display position of the choice */
	bool *chosen;   /* per display position, for the current question */
	size_t chosen_n;
	size_t top;
	bool offered_finish;
} tui_questions;

struct tui {
	SCREEN *scr;
	FILE *scr_in, *scr_out;
	bool curses_on;
	bool color;
	attr_t attr[ROLE_COUNT];
	short pair[ROLE_COUNT];
	char err[512];
	char assets_dir[1024];
	const char *(*save_error)(void *ctx); /* see tui_options */
	void *save_error_ctx;
	bool have_assets;

	/* the exercise */
	engine *e;
	enum tui_view view;
	enum engine_stage stage_seen;
	char status[512];
	bool status_bad;
	size_t decisions_seen;

	bool help_open;
	tui_doc help;
	enum tui_keymap_id help_for;

	enum tui_overlay ov;
	struct {
		enum tui_confirm_op op;
		char text[768];
		size_t s, i;
		const char *action_id;
	} confirm;
	size_t picker_cursor, picker_top, picker_ship, picker_item;
	bool then_actions;      /* open the action list once feedback is read */
	bool then_offer_finish; /* every question answered: ask about the debrief */
	size_t then_ship;
	tui_doc feedback;
	tui_doc art;

	tui_doc briefing;
	bool briefing_built;
	tui_doc debrief;
	bool debrief_built;
	size_t *debrief_sections;
	size_t debrief_section_count;

	tui_board board;
	tui_guide guide;
	tui_exam exam;
	tui_questions q;
};

/* ---- term_check.c ---- */
/* Why this process cannot run a full-screen program (not a tty, TERM
 * unset, dumb or unknown, no cursor addressing), or NULL when it can. */
const char *tui_terminal_problem(void);

/* ---- tui.c ---- */
extern volatile sig_atomic_t tui_signal_caught;
/* Runs one engine command's outcome: on success notes practice feedback,
 * on failure puts the reason in the status line.  Returns st. */
enum engine_status tui_after(tui *t, enum engine_status st);
void tui_set_status(tui *t, bool bad, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tui_ask(tui *t, enum tui_confirm_op op, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* Reads one key (code point or TUI_FKEY()), waiting at most TUI_TICK_MS;
 * returns -1 on timeout, TUI_FKEY(KEY_RESIZE) on a resize. */
int tui_read_key(tui *t);
bool tui_too_small(void);
void tui_help_open(tui *t, enum tui_keymap_id km);
/* The guide's key in the exercise screens: opens it at a brand/product
 * (SIZE_MAX for the list). */
void tui_open_guide(tui *t, size_t brand, size_t product);

/* ---- draw.c ---- */
void tui_colors_init(tui *t, bool no_color);
void tui_role_set(tui *t, enum tui_role r);
/* Draws s (sanitised here) at y,x in at most w columns, with an ellipsis
 * when cut; pads the rest of the w columns when pad.  Returns columns used. */
int tui_put(tui *t, int y, int x, int w, enum tui_role r, bool pad, const char *s);
int tui_putf(tui *t, int y, int x, int w, enum tui_role r, const char *fmt, ...)
        __attribute__((format(printf, 6, 7)));
/* Draws bytes [sp.start, +sp.len) of already-sanitised s; no ellipsis. */
int tui_put_span(tui *t, int y, int x, int w, enum tui_role r, const char *s, tui_span sp);
void tui_fill(tui *t, int y, int x, int h, int w, enum tui_role r);
void tui_hline(tui *t, int y, int x, int w);
void tui_vline(tui *t, int y, int x, int h);
void tui_box(tui *t, int y, int x, int h, int w, const char *title);
void tui_title_bar(tui *t, const char *screen);
void tui_hint_bar(tui *t, enum tui_keymap_id km);
void tui_status_bar(tui *t);
void tui_draw_too_small(tui *t);
/* A list's scroll offset that keeps cursor visible in h rows. */
size_t tui_scroll_to(size_t top, size_t cursor, size_t h);
/* Moves a list cursor for a navigation action; returns true when it was one. */
bool tui_list_nav(size_t *cursor, size_t count, enum tui_action a, size_t page);

/* ---- screens ---- */
void tui_briefing_draw(tui *t);
int tui_briefing_key(tui *t, enum tui_action a);

int tui_board_init(tui *t);
void tui_board_free(tui *t);
void tui_board_draw(tui *t);
int tui_board_key(tui *t, enum tui_action a);
/* Builds one missing sort index while the trainee is idle. */
void tui_board_idle(tui *t);
/* Builds the index for col now if missing; false when memory ran out. */
bool tui_board_index(tui *t, enum board_col col);

void tui_guide_free(tui *t);
void tui_guide_draw(tui *t);
int tui_guide_key(tui *t, enum tui_action a, int key);

void tui_exam_free(tui *t);
void tui_exam_draw(tui *t);
int tui_exam_key(tui *t, enum tui_action a);

void tui_questions_free(tui *t);
void tui_questions_draw(tui *t);
int tui_questions_key(tui *t, enum tui_action a);
/* Asks once whether to finish and see the debrief (every question answered). */
void tui_questions_offer_finish(tui *t);
/* Submits the current question's chosen answers (after the confirmation). */
void tui_questions_submit(tui *t);
/* The trainee's answer (key false) or the key (key true) to question q as
 * display letters and texts, e.g. "b) 10 working days". */
void tui_question_answer_text(tui *t, size_t q, bool key, char *buf, size_t size);

void tui_debrief_free(tui *t);
void tui_debrief_draw(tui *t);
int tui_debrief_key(tui *t, enum tui_action a);

/* overlay.c */
void tui_overlay_draw(tui *t);
int tui_overlay_key(tui *t, enum tui_action a);
enum tui_keymap_id tui_overlay_keymap(const tui *t);
void tui_picker_open(tui *t, enum tui_overlay kind, size_t s);
void tui_art_open(tui *t, size_t s, size_t i);

/* Helpers shared by screens. */
const char *tui_item_title(const pack_item *it, char *buf, size_t size);
int tui_find_brand(const pack *p, const pack_brand *b);

#endif
