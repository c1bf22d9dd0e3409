/* screen_dashboard.c - the instructor's live dashboard.  It runs no SQL:
 * rows come from the caller's poll callback.  Every string is drawn
 * through tui_put(), which sanitises it. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define POLL_MS 500

enum dash_view { DV_TABLE, DV_DETAIL, DV_HELP };

struct dash {
	const tui_dash_row *rows;
	size_t count;
	size_t *order; /* display position -> row */
	bool leaderboard;
	size_t cursor, top;
	size_t detail_top;
	enum dash_view view;
	char selected[TUI_FIELD_MAX * 2]; /* trainee under the cursor, kept across refreshes */
	char msg[256];
	int64_t polled_at;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double accuracy(const tui_dash_row *r)
{
	return r->best > 0 ? (double)r->score / (double)r->best : 0.0;
}

static const tui_dash_row *g_rows; /* for qsort's comparison only */

/* Accuracy first, then points, then name: never time taken. */
static int by_accuracy(const void *a, const void *b)
{
	const tui_dash_row *x = &g_rows[*(const size_t *)a], *y = &g_rows[*(const size_t *)b];
	double ax = accuracy(x), ay = accuracy(y);
	if (ax != ay)
		return ax > ay ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(x->trainee ? x->trainee : "", y->trainee ? y->trainee : "");
}

static void reorder(struct dash *d)
{
	for (size_t i = 0; i < d->count; i++)
		d->order[i] = i;
	if (d->leaderboard && d->count > 1) {
		g_rows = d->rows;
		qsort(d->order, d->count, sizeof *d->order, by_accuracy);
	}
	/* Keep the cursor on the same trainee. */
	for (size_t i = 0; i < d->count; i++) {
		const char *n = d->rows[d->order[i]].trainee;
		if (n && strcmp(n, d->selected) == 0) {
			d->cursor = i;
			return;
		}
	}
	if (d->cursor >= d->count)
		d->cursor = d->count ? d->count - 1 : 0;
}

static void remember(struct dash *d)
{
	d->selected[0] = '\0';
	if (d->cursor < d->count)
		snprintf(d->selected, sizeof d->selected, "%s",
		         d->rows[d->order[d->cursor]].trainee ? d->rows[d->order[d->cursor]].trainee
		                                              : "");
}

static void draw_bar(tui *t, const char *title, const char *hints)
{
	tui_put(t, 0, 0, COLS, ROLE_TITLE, true, title);
	tui_put(t, LINES - 1, 0, COLS, ROLE_STATUS, true, hints);
}

static void draw_table(tui *t, struct dash *d, const tui_dash_callbacks *cb)
{
	char title[512];
	snprintf(title, sizeof title, " Dashboard%s - %zu trainees%s",
	         d->leaderboard ? " (leaderboard by accuracy)" : "", d->count,
	         cb->title ? cb->title : "");
	draw_bar(t, title, " Up/Down move  Enter decisions  l leaderboard  ? help  q quit");
	int y = 2, name_w = COLS - 68;
	if (name_w < 12)
		name_w = 12;
	int x = 0;
	const char *heads[] = {d->leaderboard ? "#" : "",
	                       "Trainee",
	                       "Pack",
	                       "Stage",
	                       "Progress",
	                       "Score",
	                       "Acc.",
	                       "Time",
	                       "Status"};
	int widths[] = {4, name_w, 16, 12, 9, 7, 6, 8, 11};
	for (int c = 0; c < 9; c++) {
		tui_put(t, y, x, widths[c], ROLE_HEADER, true, heads[c]);
		x += widths[c] + 1;
	}
	int rows = LINES - 5;
	d->top = tui_scroll_to(d->top, d->cursor, (size_t)rows);
	for (int i = 0; i < rows && d->top + (size_t)i < d->count; i++) {
		size_t pos = d->top + (size_t)i;
		const tui_dash_row *r = &d->rows[d->order[pos]];
		enum tui_role role = pos == d->cursor ? ROLE_CURSOR : ROLE_NORMAL;
		char cell[9][64];
		snprintf(cell[0], 64, "%s", d->leaderboard ? "" : "");
		if (d->leaderboard)
			snprintf(cell[0], 64, "%zu", pos + 1);
		if (r->todo > 0)
			snprintf(cell[4], 64, "%lld/%lld", r->done, r->todo);
		else
			snprintf(cell[4], 64, "%lld ans.", r->responses);
		snprintf(cell[5], 64, "%lld", r->score);
		if (r->best > 0)
			snprintf(cell[6], 64, "%3.0f%%", 100.0 * accuracy(r));
		else
			snprintf(cell[6], 64, "-");
		tui_format_clock(r->elapsed_ms, cell[7], 64);
		const char *text[9] = {cell[0], r->trainee, r->pack_id, r->stage, cell[4],
		                       cell[5], cell[6],    cell[7],    r->status};
		x = 0;
		for (int c = 0; c < 9; c++) {
			tui_put(t, y + 1 + i, x, widths[c] + (c < 8 ? 1 : 0), role, true,
			        text[c] ? text[c] : "");
			x += widths[c] + 1;
		}
	}
	if (d->count == 0)
		tui_put(t, y + 2, 2, COLS - 4, ROLE_DIM, false,
		        "No attempts yet: trainees appear here as soon as they start a pack.");
	if (d->msg[0])
		tui_put(t, LINES - 2, 0, COLS, ROLE_BAD, true, d->msg);
}

static void draw_detail(tui *t, struct dash *d)
{
	if (d->cursor >= d->count) {
		d->view = DV_TABLE;
		return;
	}
	const tui_dash_row *r = &d->rows[d->order[d->cursor]];
	char title[512];
	snprintf(title, sizeof title, " Decisions of %s - %s, %s, %lld points",
	         r->trainee ? r->trainee : "", r->pack_id ? r->pack_id : "",
	         r->stage ? r->stage : "", r->score);
	draw_bar(t, title, " Up/Down scroll  Esc back  q quit");
	int y = 2;
	tui_put(t, y, 0, 30, ROLE_HEADER, true, "Decision");
	tui_put(t, y, 31, 20, ROLE_HEADER, true, "Given");
	tui_put(t, y, 52, 18, ROLE_HEADER, true, "Key");
	tui_put(t, y, 71, COLS - 71, ROLE_HEADER, true, "Points");
	int rows = LINES - 4;
	if (r->decision_count == 0)
		tui_put(t, y + 2, 2, COLS - 4, ROLE_DIM, false, "No scored decision yet.");
	if (d->detail_top > r->decision_count)
		d->detail_top = r->decision_count;
	for (int i = 0; i < rows && d->detail_top + (size_t)i < r->decision_count; i++) {
		const tui_dash_decision *x = &r->decisions[d->detail_top + (size_t)i];
		enum tui_role role = x->correct ? ROLE_GOOD : ROLE_BAD;
		tui_put(t, y + 1 + i, 0, 31, ROLE_NORMAL, true, x->what ? x->what : "");
		tui_put(t, y + 1 + i, 31, 21, role, true, x->given ? x->given : "");
		tui_put(t, y + 1 + i, 52, 19, ROLE_DIM, true, x->key ? x->key : "");
		tui_putf(t, y + 1 + i, 71, COLS - 71, role, "%lld/%lld", x->points, x->best);
	}
}

static void draw_help(tui *t)
{
	draw_bar(t, " Dashboard - keys", " any key returns");
	static const char *const lines[] = {
	        "Up/Down, j/k, PgUp/PgDn  move between trainees",
	        "Enter                    show the trainee's decisions so far",
	        "l or Tab                 toggle the leaderboard (ranked by accuracy:",
	        "                         points so far / the most those decisions could earn)",
	        "Esc, Backspace           back to the table",
	        "?                        this help",
	        "q                        quit (trainees are not affected)",
	        "",
	        "The screen refreshes within a second of any answer.  It only reads the",
	        "database, in short transactions, so trainees are never held up.",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		tui_put(t, 2 + (int)i, 2, COLS - 4, ROLE_NORMAL, false, lines[i]);
}

static void draw(tui *t, struct dash *d, const tui_dash_callbacks *cb)
{
	werase(stdscr);
	if (tui_too_small())
		tui_draw_too_small(t);
	else if (d->view == DV_HELP)
		draw_help(t);
	else if (d->view == DV_DETAIL)
		draw_detail(t, d);
	else
		draw_table(t, d, cb);
	wnoutrefresh(stdscr);
	doupdate();
}

static int poll_rows(struct dash *d, const tui_dash_callbacks *cb, bool *redraw)
{
	const tui_dash_row *rows = NULL;
	size_t count = 0;
	bool changed = false;
	char msg[256] = "";
	d->polled_at = now_ms();
	if (cb->poll(cb->ctx, &rows, &count, &changed, msg, sizeof msg) != 0) {
		if (strcmp(msg, d->msg) != 0) {
			snprintf(d->msg, sizeof d->msg, "%s", msg);
			*redraw = true;
		}
		return 0;
	}
	if (d->msg[0]) {
		d->msg[0] = '\0';
		*redraw = true;
	}
	if (!changed)
		return 0;
	size_t *order = count ? malloc(count * sizeof *order) : NULL;
	if (count && !order)
		return -1;
	/* d->selected already names the trainee under the cursor: the old
	 * rows are gone by now. */
	free(d->order);
	d->order = order;
	d->rows = rows;
	d->count = count;
	reorder(d);
	*redraw = true;
	return 0;
}

static bool nav(struct dash *d, int key)
{
	size_t page = LINES > 6 ? (size_t)LINES - 6 : 1;
	if (key == TUI_FKEY(KEY_UP) || key == 'k') {
		if (d->view == DV_DETAIL && d->detail_top > 0)
			d->detail_top--;
		else if (d->view == DV_TABLE && d->cursor > 0)
			d->cursor--;
	} else if (key == TUI_FKEY(KEY_DOWN) || key == 'j') {
		if (d->view == DV_DETAIL)
			d->detail_top++;
		else if (d->cursor + 1 < d->count)
			d->cursor++;
	} else if (key == TUI_FKEY(KEY_PPAGE)) {
		d->cursor = d->cursor > page ? d->cursor - page : 0;
	} else if (key == TUI_FKEY(KEY_NPAGE)) {
		d->cursor =
		        d->count ? (d->cursor + page < d->count ? d->cursor + page : d->count - 1)
		                 : 0;
	} else {
		return false;
	}
	remember(d);
	return true;
}

int tui_dashboard(tui *t, const tui_dash_callbacks *cb)
{
	struct dash d;
	memset(&d, 0, sizeof d);
	bool redraw = true;
	int rc = TUI_OK;
	if (poll_rows(&d, cb, &redraw) != 0) {
		snprintf(t->err, sizeof t->err, "out of memory");
		return TUI_ERR_NOMEM;
	}
	for (;;) {
		if (tui_signal_caught) {
			rc = TUI_ERR_SIGNAL;
			break;
		}
		if (redraw) {
			draw(t, &d, cb);
			redraw = false;
		}
		int key = tui_read_key(t); /* waits at most TUI_TICK_MS */
		if (now_ms() - d.polled_at >= POLL_MS && poll_rows(&d, cb, &redraw) != 0) {
			snprintf(t->err, sizeof t->err, "out of memory");
			rc = TUI_ERR_NOMEM;
			break;
		}
		if (key < 0)
			continue;
		redraw = true;
		if (key == TUI_FKEY(KEY_RESIZE))
			continue;
		if (key == 'q' || key == 'Q')
			break;
		if (tui_too_small())
			continue;
		if (d.view == DV_HELP) {
			d.view = DV_TABLE;
			continue;
		}
		if (key == '?') {
			d.view = DV_HELP;
		} else if (nav(&d, key)) {
			/* moved */
		} else if (d.view == DV_DETAIL &&
		           (key == TUI_ESC || key == TUI_FKEY(KEY_BACKSPACE) || key == 127 ||
		            key == TUI_FKEY(KEY_LEFT))) {
			d.view = DV_TABLE;
		} else if (d.view == DV_TABLE &&
		           (key == '\n' || key == '\r' || key == TUI_FKEY(KEY_ENTER)) && d.count) {
			d.view = DV_DETAIL;
			d.detail_top = 0;
		} else if (d.view == DV_TABLE && (key == 'l' || key == '\t')) {
			d.leaderboard = !d.leaderboard;
			reorder(&d);
			d.cursor = 0;
			remember(&d);
		}
	}
	free(d.order);
	return rc;
}
