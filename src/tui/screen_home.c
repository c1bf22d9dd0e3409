/* screen_home.c - sign in (name, optional organisation and country), then
 * choose a pack or resume an interrupted attempt. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

typedef struct home {
	char fields[3][TUI_FIELD_MAX];
	int field;
	bool listing;
	bool list_resume; /* focus on the resumable list */
	size_t cursor[2], top[2];
	const tui_pack_entry *packs;
	size_t pack_count;
	const tui_resumable *res;
	size_t res_count;
	char msg[512];
	bool confirm_quit;
} home;

static const char *const labels[3] = {"Your name", "Organisation (optional)", "Country (optional)"};

static void draw_form(tui *t, home *h)
{
	int y = 3;

	tui_title_bar(t, "Sign in");
	tui_put(t, 2, 2, COLS - 4, ROLE_NORMAL, false,
	        "Welcome. Type your name to record your results, then press Enter.");
	for (int f = 0; f < 3; f++) {
		y += 2;
		tui_put(t, y, 4, 26, f == h->field ? ROLE_EMPH : ROLE_NORMAL, false, labels[f]);
		tui_put(t, y, 30, 44, f == h->field ? ROLE_CURSOR : ROLE_CURSOR2, true,
		        h->fields[f]);
		if (f == h->field) {
			char tmp[TUI_FIELD_MAX + 2];
			snprintf(tmp, sizeof tmp, "%s_", h->fields[f]);
			tui_put(t, y, 30, 44, ROLE_CURSOR, true, tmp);
		}
	}
	tui_put(t, y + 3, 4, COLS - 8, ROLE_DIM, false,
	        "Tab moves between fields; Enter continues; Esc leaves; F1 shows every key.");
	if (h->msg[0])
		tui_put(t, y + 5, 4, COLS - 8, ROLE_BAD, false, h->msg);
}

/* "2026-11-29T02:30:58.690Z" -> "2026-11-29 02:30 UTC": minutes are enough
 * to tell one's attempts apart. */
static const char *short_time(const char *iso, char *buf, size_t size)
{
	if (!iso)
		return "-";
	if (strlen(iso) < 16 || iso[10] != 'T') {
		snprintf(buf, size, "%s", iso);
		return buf;
	}
	snprintf(buf, size, "%.10s %.5s UTC", iso, iso + 11);
	return buf;
}

static void draw_lists(tui *t, home *h)
{
	int y = 2, avail = LINES - 5;
	int pack_h = h->res_count ? avail * 2 / 3 - 2 : avail - 1;
	char line[1024], best[64];

	tui_title_bar(t, "Choose a pack");
	tui_putf(t, 1, 0, COLS, ROLE_DIM, "Signed in as %s", h->fields[0]);
	/* The title takes what the other columns leave (they need 48). */
	int title_w = COLS - 48 > 34 ? COLS - 48 : 34;
	tui_putf(t, y, 0, COLS, ROLE_HEADER, "%-*s %-7s %4s %6s %5s %-8s %s", title_w, "Pack",
	         "Lang", "Min", "Ships", "Qs", "Mode", "Best");
	h->top[0] = tui_scroll_to(h->top[0], h->cursor[0], (size_t)pack_h);
	for (int r = 0; r < pack_h && h->top[0] + (size_t)r < h->pack_count; r++) {
		size_t k = h->top[0] + (size_t)r;
		const tui_pack_entry *p = &h->packs[k];
		bool cur = k == h->cursor[0];
		char min[24];
		if (p->minutes >= 0)
			snprintf(min, sizeof min, "%lld", p->minutes);
		else
			snprintf(min, sizeof min, "-");
		if (p->has_best)
			snprintf(best, sizeof best, "%lld/%lld", p->best_score, p->best_max);
		else
			snprintf(best, sizeof best, "-");
		enum tui_role role =
		        cur ? (h->list_resume ? ROLE_CURSOR2 : ROLE_CURSOR) : ROLE_NORMAL;
		tui_fill(t, y + 1 + r, 0, 1, COLS, role);
		tui_put(t, y + 1 + r, 0, title_w, role, false, p->title);
		snprintf(line, sizeof line, "%-7s %4s %6zu %5zu %-8s %s",
		         p->language ? p->language : "", min, p->shipments, p->questions,
		         p->mode ? p->mode : "", best);
		tui_put(t, y + 1 + r, title_w + 1, COLS - title_w - 1, role, false, line);
	}
	if (h->pack_count == 0)
		tui_put(t, y + 1, 2, COLS - 4, ROLE_DIM, false,
		        "No packs were found. See the README for where packs are looked for.");
	if (h->res_count) {
		int ry = y + pack_h + 2, rh = LINES - 3 - ry - 1;
		tui_put(t, ry, 0, COLS, ROLE_HEADER, true,
		        "Interrupted attempts (Tab to switch, Enter resumes)");
		h->top[1] = tui_scroll_to(h->top[1], h->cursor[1], (size_t)(rh > 0 ? rh : 1));
		for (int r = 0; r < rh && h->top[1] + (size_t)r < h->res_count; r++) {
			size_t k = h->top[1] + (size_t)r;
			const tui_resumable *a = &h->res[k];
			bool cur = k == h->cursor[1];
			enum tui_role role =
			        cur ? (h->list_resume ? ROLE_CURSOR : ROLE_CURSOR2) : ROLE_NORMAL;
			char started[24], last[24];
			snprintf(line, sizeof line,
			         "%s \xc2\xb7 started %s \xc2\xb7 last answer %s \xc2\xb7 %lld "
			         "answers",
			         a->pack_title ? a->pack_title : a->pack_id,
			         short_time(a->started_at, started, sizeof started),
			         short_time(a->last_answered_at, last, sizeof last), a->responses);
			tui_put(t, ry + 1 + r, 0, COLS, role, true, line);
		}
	}
	if (h->msg[0])
		tui_put(t, LINES - 3, 0, COLS, ROLE_BAD, true, h->msg);
}

static void frame(tui *t, home *h)
{
	if (tui_too_small()) {
		tui_draw_too_small(t);
	} else {
		werase(stdscr);
		if (h->listing)
			draw_lists(t, h);
		else
			draw_form(t, h);
		if (h->confirm_quit) {
			snprintf(t->confirm.text, sizeof t->confirm.text, "Leave ipr-drill?");
			t->ov = OV_CONFIRM;
			tui_overlay_draw(t);
			t->ov = OV_NONE;
		} else if (t->help_open) {
			tui_overlay_draw(t);
		}
		tui_hint_bar(t, h->confirm_quit ? KM_CONFIRM
		                : t->help_open  ? KM_PAGER
		                : h->listing    ? KM_PACKS
		                                : KM_FORM);
		tui_status_bar(t);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

static int sign_in(tui *t, const tui_home_callbacks *cb, home *h)
{
	(void)t;
	h->msg[0] = '\0';
	if (!h->fields[0][0]) {
		snprintf(h->msg, sizeof h->msg, "Please type your name first.");
		h->field = 0;
		return 0;
	}
	if (cb && cb->signed_in &&
	    cb->signed_in(cb->ctx, h->fields[0], h->fields[1], h->fields[2], &h->packs,
	                  &h->pack_count, &h->res, &h->res_count, h->msg, sizeof h->msg) != 0) {
		if (!h->msg[0])
			snprintf(h->msg, sizeof h->msg, "Signing in failed.");
		return 0;
	}
	h->listing = true;
	h->list_resume = false;
	h->cursor[0] = h->cursor[1] = h->top[0] = h->top[1] = 0;
	return 0;
}

/* Returns 1 when the trainee chose (out filled), -1 to quit, 0 to go on. */
static int form_key(tui *t, const tui_home_callbacks *cb, home *h, enum tui_action a, int key)
{
	switch (a) {
	case ACT_TAB:
		h->field = (h->field + 1) % 3;
		break;
	case ACT_BACKTAB:
		h->field = (h->field + 2) % 3;
		break;
	case ACT_ENTER:
		sign_in(t, cb, h);
		break;
	case ACT_ERASE:
		tui_utf8_erase_last(h->fields[h->field]);
		break;
	case ACT_HELP:
		tui_help_open(t, KM_FORM);
		break;
	case ACT_QUIT:
		h->confirm_quit = true;
		break;
	default:
		if (key > 0 && key < TUI_FKEY_BASE)
			tui_utf8_append(h->fields[h->field], TUI_FIELD_MAX, (unsigned long)key);
		break;
	}
	return 0;
}

static int list_key(tui *t, home *h, enum tui_action a, tui_home_result *out)
{
	size_t *cur = &h->cursor[h->list_resume];
	size_t n = h->list_resume ? h->res_count : h->pack_count;

	if (tui_list_nav(cur, n, a, (size_t)(LINES / 2)))
		return 0;
	switch (a) {
	case ACT_TAB:
		if (h->res_count)
			h->list_resume = !h->list_resume;
		break;
	case ACT_BACK:
		h->listing = false;
		break;
	case ACT_HELP:
		tui_help_open(t, KM_PACKS);
		break;
	case ACT_QUIT:
		h->confirm_quit = true;
		break;
	case ACT_ENTER:
		if (n == 0)
			break;
		out->choice = h->list_resume ? TUI_HOME_RESUME : TUI_HOME_START;
		out->index = *cur;
		return 1;
	default:
		break;
	}
	return 0;
}

int tui_home(tui *t, const char *preset_name, const tui_home_callbacks *cb, tui_home_result *out)
{
	home h;

	if (!t || !out)
		return TUI_ERR_NOMEM;
	memset(&h, 0, sizeof h);
	memset(out, 0, sizeof *out);
	t->e = NULL;
	t->status[0] = '\0';
	if (preset_name)
		snprintf(h.fields[0], sizeof h.fields[0], "%s", preset_name);
	for (;;) {
		frame(t, &h);
		int key = tui_read_key(t);
		if (tui_signal_caught) {
			snprintf(t->err, sizeof t->err, "stopped by a signal");
			endwin();
			t->curses_on = false;
			return TUI_ERR_SIGNAL;
		}
		if (key < 0 || key == TUI_FKEY(KEY_RESIZE))
			continue;
		if (tui_too_small()) {
			if (key == 'q')
				return TUI_QUIT;
			continue;
		}
		if (h.confirm_quit) {
			enum tui_action a = tui_key_action(tui_keymap_get(KM_CONFIRM), key);
			if (a == ACT_YES)
				return TUI_QUIT;
			if (a == ACT_NO)
				h.confirm_quit = false;
			continue;
		}
		if (t->help_open) {
			enum tui_action a = tui_key_action(tui_keymap_get(KM_PAGER), key);
			if (!tui_doc_scroll(&t->help, a, LINES - 6) && a != ACT_NONE)
				t->help_open = false;
			continue;
		}
		enum tui_action a =
		        tui_key_action(tui_keymap_get(h.listing ? KM_PACKS : KM_FORM), key);
		int r = h.listing ? list_key(t, &h, a, out) : form_key(t, cb, &h, a, key);
		if (r == 1) {
			memcpy(out->name, h.fields[0], sizeof out->name);
			memcpy(out->organisation, h.fields[1], sizeof out->organisation);
			memcpy(out->country, h.fields[2], sizeof out->country);
			return TUI_OK;
		}
	}
}
