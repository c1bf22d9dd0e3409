/* bench_hooks.h - the exercise loop's parts, exposed for bench/tui-bench.c
 * (not installed, not in tui.h).  tui_run_exercise() is exactly:
 * tui_ex_begin(), then per key tui_ex_key() (dispatch + draw + doupdate),
 * then tui_ex_end(). */
#ifndef IPR_TUI_BENCH_HOOKS_H
#define IPR_TUI_BENCH_HOOKS_H

#include <stdio.h>

#include "ipr-drill/tui.h"
#include "keys.h"

/* Starts curses on the given streams with no terminal checks (for an
 * off-screen terminal made with newterm on /dev/null or a pty); TERM must
 * name a terminfo entry.  Fails like tui_open(). */
int tui_bench_open(FILE *in, FILE *out, const tui_options *opts, tui **out_t);

/* Prepares the screens for e and draws the first frame.  Fails with
 * TUI_ERR_NOMEM. */
int tui_ex_begin(tui *t, engine *e);

enum { TUI_EX_GO_ON = 0, TUI_EX_QUIT = 1, TUI_EX_DONE = 2 };

/* One keypress (a code point or TUI_FKEY(KEY_...)), then the frame drawn
 * and sent with doupdate().  Returns TUI_EX_GO_ON, or TUI_EX_QUIT (the
 * trainee left mid-exercise) / TUI_EX_DONE (left the debrief) when the
 * exercise loop ends. */
int tui_ex_key(tui *t, int key);

/* What the loop does when no key came within TUI_TICK_MS: applies the
 * time limit and builds one missing sort index of the targeting board. */
void tui_ex_idle(tui *t);

/* Redraws the frame (after an idle tick or a resize). */
void tui_ex_frame(tui *t);

/* Frees the screens' state (not curses). */
void tui_ex_end(tui *t);

/* Writes the screen as text (one line per row, trailing spaces trimmed). */
void tui_bench_dump(tui *t, FILE *f);

#endif
