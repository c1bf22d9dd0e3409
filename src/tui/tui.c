/* tui.c - starting and stopping curses, signals, the exercise loop and the
 * parts every screen shares (status line, confirmations, feedback). */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_hooks.h"
#include "internal.h"

volatile sig_atomic_t tui_signal_caught;

int tui_last_signal(void)
{
	return (int)tui_signal_caught;
}

static void on_signal(int sig)
{
	tui_signal_caught = sig;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a pending read returns at once */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static tui *tui_alloc(const tui_options *opts)
{
	tui *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	if (opts && opts->assets_dir) {
		snprintf(t->assets_dir, sizeof t->assets_dir, "%s", opts->assets_dir);
		t->have_assets = true;
	}
	if (opts) {
		t->save_error = opts->save_error;
		t->save_error_ctx = opts->save_error_ctx;
	}
	t->guide.brand_open = SIZE_MAX;
	t->guide.page_for = SIZE_MAX;
	return t;
}

static void curses_setup(tui *t, const tui_options *opts)
{
	t->curses_on = true;
	cbreak(); /* not raw(): ^C still raises SIGINT, which we catch */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	wtimeout(stdscr, TUI_TICK_MS);
	tui_colors_init(t, opts && opts->no_color);
}

/* ncursesw needs a UTF-8 LC_CTYPE to draw wide characters; when main's
 * locale is not UTF-8, C.UTF-8 is the best guess at the terminal. */
static void ensure_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	if (!cs || strcmp(cs, "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

int tui_open(const tui_options *opts, tui **out)
{
	const char *why;
	tui *t;

	*out = NULL;
	t = tui_alloc(opts);
	if (!t)
		return TUI_ERR_NOMEM;
	*out = t;
	why = tui_terminal_problem();
	if (why) {
		snprintf(
		        t->err, sizeof t->err, "cannot start the trainer: %s (%s)", why,
		        strncmp(why, "standard", 8) == 0
		                ? "run ipr-drill in a terminal window, not through a pipe or a file"
		                : "set TERM to your terminal's type, e.g. TERM=xterm-256color");
		return TUI_ERR_NO_TERMINAL;
	}
	ensure_utf8();
	install_signals(); /* before newterm, so curses keeps our handlers */
	t->scr = newterm(NULL, stdout, stdin);
	if (!t->scr) {
		snprintf(t->err, sizeof t->err, "cannot start the trainer: curses failed to start");
		return TUI_ERR_NO_TERMINAL;
	}
	set_term(t->scr);
	curses_setup(t, opts);
	return TUI_OK;
}

int tui_bench_open(FILE *in, FILE *out_f, const tui_options *opts, tui **out)
{
	tui *t = tui_alloc(opts);

	*out = t;
	if (!t)
		return TUI_ERR_NOMEM;
	ensure_utf8();
	t->scr = newterm(NULL, out_f, in);
	if (!t->scr) {
		snprintf(t->err, sizeof t->err, "newterm failed (is TERM set?)");
		return TUI_ERR_NO_TERMINAL;
	}
	set_term(t->scr);
	curses_setup(t, opts);
	return TUI_OK;
}

void tui_close(tui *t)
{
	if (!t)
		return;
	tui_ex_end(t);
	if (t->curses_on) {
		endwin();
		t->curses_on = false;
	}
	if (t->scr) {
		delscreen(t->scr);
		t->scr = NULL;
	}
	tui_doc_free(&t->help);
	free(t);
}

const char *tui_errmsg(const tui *t)
{
	return t ? t->err : "out of memory";
}

/* ---- shared by the screens ---- */

void tui_set_status(tui *t, bool bad, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->status, sizeof t->status, fmt, ap);
	va_end(ap);
	t->status_bad = bad;
}

void tui_ask(tui *t, enum tui_confirm_op op, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->confirm.text, sizeof t->confirm.text, fmt, ap);
	va_end(ap);
	t->confirm.op = op;
	t->ov = OV_CONFIRM;
}

static const char *item_or_question(tui *t, const engine_decision *d, char *buf, size_t size)
{
	const pack *p = engine_pack(t->e);

	if (d->question >= 0) {
		snprintf(buf, size, "Question %ld", d->question + 1);
	} else if (d->shipment >= 0) {
		const pack_shipment *s = &p->shipments[d->shipment];
		if (d->item >= 0) {
			char it[256];
			tui_item_title(&s->contents[d->item], it, sizeof it);
			snprintf(buf, size, "%s, item %ld (%s)", s->id.text, d->item + 1, it);
		} else {
			snprintf(buf, size, "%s", s->id.text);
		}
	} else {
		snprintf(buf, size, "-");
	}
	return buf;
}

/* Practice feedback: the decisions the last command scored. */
static void feedback_new(tui *t)
{
	size_t n;
	const engine_decision *d = engine_decisions(t->e, &n);

	if (n <= t->decisions_seen) {
		t->decisions_seen = n;
		return;
	}
	if (engine_is_exam(t->e)) {
		t->decisions_seen = n;
		return;
	}
	tui_doc_clear(&t->feedback);
	for (size_t k = t->decisions_seen; k < n; k++) {
		char where[512];
		item_or_question(t, &d[k], where, sizeof where);
		tui_doc_add(&t->feedback, d[k].correct ? ROLE_GOOD : ROLE_BAD, 0,
		            "%s  %s: %s (%+lld)",
		            d[k].correct      ? "RIGHT"
		            : d[k].points > 0 ? "PARTLY RIGHT"
		                              : "WRONG",
		            engine_part_name(d[k].part), where, d[k].points);
		if (d[k].question >= 0) {
			char ans[1024];
			tui_question_answer_text(t, (size_t)d[k].question, false, ans, sizeof ans);
			tui_doc_add(&t->feedback, ROLE_NORMAL, 2, "You: %s", ans);
			tui_question_answer_text(t, (size_t)d[k].question, true, ans, sizeof ans);
			tui_doc_add(&t->feedback, ROLE_NORMAL, 2, "Key: %s", ans);
		} else {
			tui_doc_add(&t->feedback, ROLE_NORMAL, 2, "You: %s",
			            d[k].given ? d[k].given : "-");
			tui_doc_add(&t->feedback, ROLE_NORMAL, 2, "Key: %s",
			            d[k].key ? d[k].key : "-");
		}
		/* a shipment's explanation once, not per part */
		if (d[k].explain && !(k > t->decisions_seen && d[k - 1].explain &&
		                      strcmp(d[k - 1].explain, d[k].explain) == 0))
			tui_doc_add_text(&t->feedback, ROLE_DIM, 2, d[k].explain);
		tui_doc_add_text(&t->feedback, ROLE_NORMAL, 0, "");
	}
	t->decisions_seen = n;
	t->ov = OV_FEEDBACK;
}

enum engine_status tui_after(tui *t, enum engine_status st)
{
	char msg[400];

	t->board.last_ship = SIZE_MAX; /* the declaration pane shows flags and selection */
	if (st == ENGINE_OK) {
		t->status[0] = '\0';
		feedback_new(t);
		return st;
	}
	engine_status_text(t->e, st, msg, sizeof msg);
	const char *why =
	        st == ENGINE_E_RECORD && t->save_error ? t->save_error(t->save_error_ctx) : NULL;
	if (st == ENGINE_E_RECORD)
		tui_set_status(t, true, "Your answer was NOT saved: %s; try again",
		               why && *why ? why : msg);
	else
		tui_set_status(t, st != ENGINE_E_NO_CHANGE, "%s", msg);
	if (st == ENGINE_E_TIME_UP)
		feedback_new(t);
	return st;
}

bool tui_too_small(void)
{
	return LINES < TUI_MIN_ROWS || COLS < TUI_MIN_COLS;
}

int tui_read_key(tui *t)
{
	wint_t ch;
	int r;

	(void)t;
	r = wget_wch(stdscr, &ch);
	if (r == ERR)
		return -1;
	if (r == KEY_CODE_YES)
		return TUI_FKEY((int)ch);
	return (int)ch;
}

void tui_help_open(tui *t, enum tui_keymap_id km)
{
	tui_help_line lines[96];
	const tui_keymap *m = tui_keymap_get(km);
	size_t n = tui_keymap_help(m, lines, sizeof lines / sizeof lines[0]);

	if (n > sizeof lines / sizeof lines[0])
		n = sizeof lines / sizeof lines[0];
	tui_doc_clear(&t->help);
	tui_doc_add(&t->help, ROLE_HEADER, 0, "Keys: %s", m->title);
	tui_doc_add_text(&t->help, ROLE_NORMAL, 0, "");
	for (size_t i = 0; i < n; i++)
		tui_doc_add(&t->help, ROLE_NORMAL, 0, "%-16s %s", lines[i].keys, lines[i].help);
	t->help_open = true;
	t->help_for = km;
}

/* ---- the exercise loop ---- */

static enum tui_view view_for(enum engine_stage st)
{
	switch (st) {
	case ENGINE_STAGE_BRIEFING:
		return VIEW_BRIEFING;
	case ENGINE_STAGE_TARGETING:
		return VIEW_BOARD;
	case ENGINE_STAGE_EXAMINATION:
		return VIEW_EXAM;
	case ENGINE_STAGE_QUESTIONS:
		return VIEW_QUESTIONS;
	default:
		return VIEW_DEBRIEF;
	}
}

static enum tui_keymap_id view_keymap(const tui *t)
{
	static const enum tui_keymap_id ids[] = {
	        [VIEW_BRIEFING] = KM_BRIEFING,   [VIEW_BOARD] = KM_BOARD,     [VIEW_EXAM] = KM_EXAM,
	        [VIEW_QUESTIONS] = KM_QUESTIONS, [VIEW_DEBRIEF] = KM_DEBRIEF,
	};
	return ids[t->view];
}

static enum tui_keymap_id top_keymap(const tui *t)
{
	if (tui_too_small())
		return KM_TOO_SMALL;
	if (t->help_open)
		return KM_PAGER;
	if (t->ov != OV_NONE)
		return tui_overlay_keymap(t);
	if (t->guide.open)
		return t->guide.searching ? KM_SEARCH : KM_GUIDE;
	return view_keymap(t);
}

static void sync_view(tui *t)
{
	enum engine_stage st = engine_stage(t->e);

	if (st == t->stage_seen)
		return;
	t->stage_seen = st;
	t->view = view_for(st);
	if (st == ENGINE_STAGE_DEBRIEF && t->ov != OV_FEEDBACK && t->ov != OV_NONE)
		t->ov = OV_NONE;
}

void tui_ex_frame(tui *t)
{
	if (tui_too_small()) {
		tui_draw_too_small(t);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	werase(stdscr);
	if (t->guide.open) {
		tui_guide_draw(t);
	} else {
		switch (t->view) {
		case VIEW_BRIEFING:
			tui_briefing_draw(t);
			break;
		case VIEW_BOARD:
			tui_board_draw(t);
			break;
		case VIEW_EXAM:
			tui_exam_draw(t);
			break;
		case VIEW_QUESTIONS:
			tui_questions_draw(t);
			break;
		case VIEW_DEBRIEF:
			tui_debrief_draw(t);
			break;
		}
	}
	if (t->ov != OV_NONE || t->help_open)
		tui_overlay_draw(t);
	tui_hint_bar(t, top_keymap(t));
	tui_status_bar(t);
	wnoutrefresh(stdscr);
	doupdate();
}

int tui_ex_begin(tui *t, engine *e)
{
	t->e = e;
	t->stage_seen = ENGINE_STAGE_COUNT;
	t->ov = OV_NONE;
	t->help_open = false;
	t->guide.open = false;
	t->status[0] = '\0';
	engine_decisions(e, &t->decisions_seen);
	if (tui_board_init(t) != 0) {
		snprintf(t->err, sizeof t->err, "out of memory preparing the targeting board");
		return TUI_ERR_NOMEM;
	}
	sync_view(t);
	tui_ex_frame(t);
	return TUI_OK;
}

void tui_ex_end(tui *t)
{
	tui_board_free(t);
	tui_guide_free(t);
	tui_exam_free(t);
	tui_questions_free(t);
	tui_debrief_free(t);
	tui_doc_free(&t->briefing);
	tui_doc_free(&t->feedback);
	tui_doc_free(&t->art);
	t->briefing_built = false;
	t->e = NULL;
}

static int view_key(tui *t, enum tui_action a, int key)
{
	(void)key;
	switch (t->view) {
	case VIEW_BRIEFING:
		return tui_briefing_key(t, a);
	case VIEW_BOARD:
		return tui_board_key(t, a);
	case VIEW_EXAM:
		return tui_exam_key(t, a);
	case VIEW_QUESTIONS:
		return tui_questions_key(t, a);
	case VIEW_DEBRIEF:
		return tui_debrief_key(t, a);
	}
	return TUI_R_NONE;
}

/* The keys every exercise screen shares, then the screen's own. */
static int dispatch(tui *t, int key)
{
	enum tui_keymap_id km = top_keymap(t);
	enum tui_action a = tui_key_action(tui_keymap_get(km), key);

	if (km == KM_TOO_SMALL)
		return a == ACT_QUIT ? TUI_R_QUIT : TUI_R_NONE;
	if (t->help_open) {
		if (!tui_doc_scroll(&t->help, a, LINES - 6) && a != ACT_NONE)
			t->help_open = false;
		return TUI_R_NONE;
	}
	if (t->ov != OV_NONE)
		return tui_overlay_key(t, a);
	if (t->guide.open)
		return tui_guide_key(t, a, key);
	t->status[0] = '\0';
	switch (a) {
	case ACT_HELP:
		tui_help_open(t, km);
		return TUI_R_NONE;
	case ACT_GUIDE:
		if (t->view == VIEW_EXAM)
			return tui_exam_key(t, a); /* opens at the item's brand */
		tui_open_guide(t, SIZE_MAX, SIZE_MAX);
		return TUI_R_NONE;
	case ACT_QUIT:
		if (t->view == VIEW_DEBRIEF)
			return TUI_R_DONE;
		tui_ask(t, CONF_QUIT,
		        "Leave the exercise now? Everything you answered is saved and you can "
		        "resume this attempt from the home screen.");
		return TUI_R_NONE;
	case ACT_FINISH:
		tui_ask(t, CONF_FINISH,
		        "Finish the exercise now? What you answered counts; everything still "
		        "open scores nothing, and shipments not yet targeted are released.");
		return TUI_R_NONE;
	default:
		return view_key(t, a, key);
	}
}

int tui_ex_key(tui *t, int key)
{
	int r = TUI_R_NONE;

	if (key == TUI_FKEY(KEY_RESIZE)) {
		t->board.pane_top = 0;
	} else if (key >= 0) {
		r = dispatch(t, key);
	}
	sync_view(t);
	tui_ex_frame(t);
	if (r & TUI_R_QUIT)
		return TUI_EX_QUIT;
	if (r & TUI_R_DONE)
		return TUI_EX_DONE;
	return TUI_EX_GO_ON;
}

void tui_ex_idle(tui *t)
{
	enum engine_status st = engine_tick(t->e);

	if (st == ENGINE_E_TIME_UP) {
		t->ov = OV_NONE;
		t->help_open = false;
		t->guide.open = false;
		tui_set_status(t, true, "Time is up: your answers so far count.");
		feedback_new(t);
	} else if (st != ENGINE_OK) {
		tui_after(t, st);
	}
	/* while the briefing is read, too: the first `s` then finds its index */
	if (engine_stage(t->e) <= ENGINE_STAGE_TARGETING)
		tui_board_idle(t);
}

int tui_run_exercise(tui *t, engine *e)
{
	int rc;

	if (!t || !e)
		return TUI_ERR_NOMEM;
	t->err[0] = '\0';
	rc = tui_ex_begin(t, e);
	while (rc == TUI_OK) {
		int key;
		if (tui_signal_caught) {
			rc = TUI_ERR_SIGNAL;
			break;
		}
		key = tui_read_key(t);
		if (tui_signal_caught) {
			rc = TUI_ERR_SIGNAL;
			break;
		}
		if (key < 0) {
			tui_ex_idle(t);
			sync_view(t);
			tui_ex_frame(t);
			continue;
		}
		int r = tui_ex_key(t, key);
		if (r != TUI_EX_GO_ON) {
			rc = r == TUI_EX_QUIT ? TUI_QUIT : TUI_OK;
			break;
		}
	}
	if (rc == TUI_ERR_SIGNAL) {
		snprintf(t->err, sizeof t->err,
		         "stopped by a signal; the attempt is saved and can be resumed");
		endwin();
		t->curses_on = false;
	}
	tui_ex_end(t);
	return rc;
}

void tui_bench_dump(tui *t, FILE *f)
{
	wchar_t line[1024];
	char out[4096];

	(void)t;
	for (int y = 0; y < LINES; y++) {
		int n = mvwinnwstr(stdscr, y, 0, line, COLS < 1023 ? COLS : 1023);
		if (n == ERR)
			n = 0;
		line[n] = L'\0';
		size_t k = wcstombs(out, line, sizeof out - 1);
		if (k == (size_t)-1)
			k = 0;
		out[k] = '\0';
		while (k > 0 && out[k - 1] == ' ')
			out[--k] = '\0';
		fprintf(f, "%s\n", out);
	}
}

/* ---- helpers for screens ---- */

const char *tui_item_title(const pack_item *it, char *buf, size_t size)
{
	if (it->brand && it->product_ref)
		snprintf(buf, size, "%s %s", it->brand->name.text ? it->brand->name.text : "",
		         it->product_ref->name.text ? it->product_ref->name.text : "");
	else if (it->description.text)
		snprintf(buf, size, "%s", it->description.text);
	else
		snprintf(buf, size, "%s", it->product.text ? it->product.text : "item");
	return buf;
}

int tui_find_brand(const pack *p, const pack_brand *b)
{
	for (size_t i = 0; i < p->brand_count; i++)
		if (&p->brands[i] == b)
			return (int)i;
	return -1;
}
