/* tui.h - the ncursesw trainer: the home screen and the exercise screens.
 *
 * The TUI draws engine state and forwards keys to engine commands; it never
 * runs SQL and never decides anything the engine decides.  What it needs
 * from the results store (packs' best scores, resumable attempts) the
 * caller passes in as plain values or through callbacks.
 *
 * Every function that can fail returns a negative enum tui_status and
 * leaves a message in tui_errmsg(). */
#ifndef IPR_DRILL_TUI_H
#define IPR_DRILL_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipr-drill/engine.h"
#include "ipr-drill/pack.h"

typedef struct tui tui;

enum tui_status {
	TUI_OK = 0,
	TUI_QUIT = 1,             /* the trainee left (the attempt stays resumable) */
	TUI_ERR_NO_TERMINAL = -1, /* stdin/stdout not a terminal, TERM unset/unknown/dumb */
	TUI_ERR_NOMEM = -2,
	TUI_ERR_SIGNAL = -3, /* SIGINT/SIGTERM/SIGHUP: terminal restored, attempt resumable */
};

typedef struct tui_options {
	bool no_color;          /* --no-color; NO_COLOR in the environment also turns colour off */
	const char *assets_dir; /* for pack_read_art(); may be NULL */
	/* Why the last answer could not be saved (the sink's own message, e.g.
	 * a full disk), shown to the trainee after ENGINE_E_RECORD; may be
	 * NULL, then the engine's generic text is shown. */
	const char *(*save_error)(void *ctx);
	void *save_error_ctx;
} tui_options;

/* Starts curses (setlocale must already have been called by main).  Fails
 * with TUI_ERR_NO_TERMINAL (and a message naming the reason) when there is
 * no usable terminal: not a tty, TERM unset, "dumb" or a terminal without
 * cursor addressing.  Installs SIGINT/SIGTERM/SIGHUP handlers that only set
 * a flag; the screens' loops notice it, restore the terminal and return
 * TUI_ERR_SIGNAL. */
int tui_open(const tui_options *opts, tui **out);

/* Restores the terminal and frees t; NULL is fine.  Safe to call twice. */
void tui_close(tui *t);

/* The last error's message ("" when none). */
const char *tui_errmsg(const tui *t);

/* The signal that ended a screen with TUI_ERR_SIGNAL (SIGINT, SIGTERM or
 * SIGHUP), 0 when none came: the caller exits with 128 + it. */
int tui_last_signal(void);

/* ---- the home screen ---- */

/* One pack the trainee may choose (every string borrowed from the caller). */
typedef struct tui_pack_entry {
	const char *id, *title, *language, *mode; /* mode: "practice" or "exam" */
	long long minutes;                        /* -1 when unknown */
	size_t shipments, questions;
	bool has_best;
	long long best_score, best_max; /* the trainee's best finished attempt */
} tui_pack_entry;

/* An interrupted attempt the trainee may resume. */
typedef struct tui_resumable {
	const char *uuid, *pack_id, *pack_title, *started_at, *last_answered_at;
	long long responses;
} tui_resumable;

/* The caller's answers to questions the home screen asks as it goes.  Both
 * return 0 on success, -1 with a message in msg (msg_size bytes) that the
 * screen shows. */
typedef struct tui_home_callbacks {
	void *ctx;
	/* Called once the trainee has typed a name: fills *packs (best scores
	 * for this trainee) and *resumable (this trainee's interrupted
	 * attempts); the arrays stay valid until the next call or until
	 * tui_home returns. */
	int (*signed_in)(void *ctx, const char *name, const char *organisation, const char *country,
	                 const tui_pack_entry **packs, size_t *pack_count,
	                 const tui_resumable **resumable, size_t *resumable_count, char *msg,
	                 size_t msg_size);
} tui_home_callbacks;

#define TUI_FIELD_MAX 128

typedef struct tui_home_result {
	enum { TUI_HOME_START, TUI_HOME_RESUME } choice;
	char name[TUI_FIELD_MAX], organisation[TUI_FIELD_MAX], country[TUI_FIELD_MAX];
	size_t index; /* into packs (START) or resumable (RESUME) */
} tui_home_result;

/* Sign in (name, optional organisation and country; prefilled from
 * preset_name when not NULL), then choose a pack or resume an attempt.
 * Returns TUI_OK with *out filled, TUI_QUIT, or an error. */
int tui_home(tui *t, const char *preset_name, const tui_home_callbacks *cb, tui_home_result *out);

/* ---- the exercise ---- */

/* Runs the exercise on e from its current stage (a resumed engine continues
 * where it stopped) to the debrief, and shows the debrief until the
 * trainee leaves it.  Every command goes through the engine, whose sink
 * records it.  A command that fails with ENGINE_E_RECORD is shown to the
 * trainee as "not saved" and may be retried.  Returns TUI_OK when the
 * trainee leaves the debrief, TUI_QUIT when they leave mid-exercise (after
 * confirming), or an error. */
int tui_run_exercise(tui *t, engine *e);

/* ---- the instructor's dashboard ---- */

/* One scored decision of a trainee (strings borrowed from the caller). */
typedef struct tui_dash_decision {
	const char *what, *given, *key;
	long long points, best;
	bool correct;
} tui_dash_decision;

/* A trainee's latest attempt, as the dashboard shows it. */
typedef struct tui_dash_row {
	const char *trainee, *pack_id, *group_tag, *status, *stage;
	long long done, todo;  /* progress within the stage; todo 0: unknown */
	long long score, best; /* points so far, and the most they could be */
	long long elapsed_ms, responses;
	const tui_dash_decision *decisions;
	size_t decision_count;
} tui_dash_row;

typedef struct tui_dash_callbacks {
	void *ctx;
	const char *title; /* e.g. the database and group shown */
	/* Called about twice a second: sets *changed and, when it is true,
	 * *rows / *count (valid until the next call).  Returns 0, or -1 with a
	 * message in msg that the screen shows (the old rows stay). */
	int (*poll)(void *ctx, const tui_dash_row **rows, size_t *count, bool *changed, char *msg,
	            size_t msg_size);
} tui_dash_callbacks;

/* The live dashboard until the instructor quits: every trainee's pack,
 * stage, progress, score and time; a leaderboard by accuracy; a trainee's
 * decisions.  Returns TUI_OK, or TUI_ERR_SIGNAL. */
int tui_dashboard(tui *t, const tui_dash_callbacks *cb);

#endif
