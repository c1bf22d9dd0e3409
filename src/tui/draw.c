/* draw.c - the only place with low-level curses drawing: text in display
 * columns (sanitised here, drawn as wide characters), bars, boxes, the
 * colour roles with their monochrome fallback, and the page (tui_doc)
 * renderer every pager uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "internal.h"
#include "ipr-drill/text.h"

void tui_colors_init(tui *t, bool no_color)
{
	const char *nc = getenv("NO_COLOR");
	static const attr_t mono[ROLE_COUNT] = {
	        [ROLE_NORMAL] = A_NORMAL,     [ROLE_TITLE] = A_REVERSE,
	        [ROLE_STATUS] = A_REVERSE,    [ROLE_CURSOR] = A_REVERSE | A_BOLD,
	        [ROLE_CURSOR2] = A_UNDERLINE, [ROLE_HEADER] = A_BOLD,
	        [ROLE_GOOD] = A_BOLD,         [ROLE_BAD] = A_BOLD | A_UNDERLINE,
	        [ROLE_EMPH] = A_BOLD,         [ROLE_DIM] = A_DIM,
	};

	memcpy(t->attr, mono, sizeof mono);
	memset(t->pair, 0, sizeof t->pair);
	t->color = !no_color && !(nc && nc[0]) && has_colors();
	if (!t->color || start_color() != OK) {
		t->color = false;
		return;
	}
	use_default_colors();
	init_pair(1, COLOR_WHITE, COLOR_BLUE);
	init_pair(2, COLOR_YELLOW, -1);
	init_pair(3, COLOR_GREEN, -1);
	init_pair(4, COLOR_RED, -1);
	init_pair(5, COLOR_CYAN, -1);
	init_pair(6, COLOR_BLACK, COLOR_CYAN);
	t->pair[ROLE_TITLE] = 1, t->attr[ROLE_TITLE] = A_BOLD;
	t->pair[ROLE_STATUS] = 1, t->attr[ROLE_STATUS] = A_NORMAL;
	t->pair[ROLE_CURSOR] = 6, t->attr[ROLE_CURSOR] = A_NORMAL;
	t->pair[ROLE_HEADER] = 2, t->attr[ROLE_HEADER] = A_BOLD;
	t->pair[ROLE_GOOD] = 3, t->attr[ROLE_GOOD] = A_BOLD;
	t->pair[ROLE_BAD] = 4, t->attr[ROLE_BAD] = A_BOLD;
	t->pair[ROLE_EMPH] = 5, t->attr[ROLE_EMPH] = A_BOLD;
}

void tui_role_set(tui *t, enum tui_role r)
{
	wattr_set(stdscr, t->attr[r], t->pair[r], NULL);
}

/* Draws len bytes of sanitised UTF-8 at the cursor as wide characters. */
static void put_bytes(const char *s, size_t len)
{
	wchar_t buf[128];
	size_t i = 0, n = 0;

	while (i < len) {
		uint32_t cp;
		size_t k = text_utf8_decode(s + i, len - i, &cp);
		if (k == 0) { /* cannot happen after text_sanitize; be safe */
			cp = 0xFFFD;
			k = 1;
		}
		if (cp == '\t' || cp == '\n')
			cp = ' ';
		buf[n++] = (wchar_t)cp;
		i += k;
		if (n == sizeof buf / sizeof buf[0]) {
			waddnwstr(stdscr, buf, (int)n);
			n = 0;
		}
	}
	if (n)
		waddnwstr(stdscr, buf, (int)n);
}

static void pad_to(int y, int end)
{
	int cy, cx;
	getyx(stdscr, cy, cx);
	if (cy != y)
		return;
	for (; cx < end && cx < COLS; cx++)
		waddch(stdscr, ' ');
}

int tui_put(tui *t, int y, int x, int w, enum tui_role r, bool pad, const char *s)
{
	char *safe;
	size_t bytes;
	bool ell;
	int used;

	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	safe = text_sanitize(s ? s : "", false);
	if (!safe)
		return 0;
	bytes = tui_truncate(safe, (size_t)w, &ell);
	tui_role_set(t, r);
	wmove(stdscr, y, x);
	put_bytes(safe, bytes);
	if (ell)
		put_bytes(TUI_ELLIPSIS, strlen(TUI_ELLIPSIS));
	{
		char save = safe[bytes];
		safe[bytes] = '\0';
		used = (int)text_width(safe) + (ell ? 1 : 0);
		safe[bytes] = save;
	}
	if (pad)
		pad_to(y, x + w);
	free(safe);
	tui_role_set(t, ROLE_NORMAL);
	return used;
}

int tui_putf(tui *t, int y, int x, int w, enum tui_role r, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return tui_put(t, y, x, w, r, false, buf);
}

int tui_put_span(tui *t, int y, int x, int w, enum tui_role r, const char *s, tui_span sp)
{
	size_t bytes;
	char *copy;
	int used;

	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	copy = malloc(sp.len + 1);
	if (!copy)
		return 0;
	memcpy(copy, s + sp.start, sp.len);
	copy[sp.len] = '\0';
	bytes = text_fit(copy, (size_t)w); /* a span is laid out to fit already */
	copy[bytes] = '\0';
	tui_role_set(t, r);
	wmove(stdscr, y, x);
	put_bytes(copy, bytes);
	used = (int)text_width(copy);
	free(copy);
	tui_role_set(t, ROLE_NORMAL);
	return used;
}

void tui_fill(tui *t, int y, int x, int h, int w, enum tui_role r)
{
	tui_role_set(t, r);
	for (int row = y; row < y + h && row < LINES; row++) {
		wmove(stdscr, row, x);
		for (int c = x; c < x + w && c < COLS; c++)
			waddch(stdscr, ' ');
	}
	tui_role_set(t, ROLE_NORMAL);
}

void tui_hline(tui *t, int y, int x, int w)
{
	(void)t;
	if (w > 0 && y >= 0 && y < LINES)
		mvwhline(stdscr, y, x, ACS_HLINE, w);
}

void tui_vline(tui *t, int y, int x, int h)
{
	(void)t;
	if (h > 0 && x >= 0 && x < COLS)
		mvwvline(stdscr, y, x, ACS_VLINE, h);
}

void tui_box(tui *t, int y, int x, int h, int w, const char *title)
{
	if (h < 2 || w < 2)
		return;
	tui_fill(t, y, x, h, w, ROLE_NORMAL);
	mvwaddch(stdscr, y, x, ACS_ULCORNER);
	mvwaddch(stdscr, y, x + w - 1, ACS_URCORNER);
	mvwaddch(stdscr, y + h - 1, x, ACS_LLCORNER);
	mvwaddch(stdscr, y + h - 1, x + w - 1, ACS_LRCORNER);
	tui_hline(t, y, x + 1, w - 2);
	tui_hline(t, y + h - 1, x + 1, w - 2);
	tui_vline(t, y + 1, x, h - 2);
	tui_vline(t, y + 1, x + w - 1, h - 2);
	if (title && w > 6) {
		tui_put(t, y, x + 2, 1, ROLE_NORMAL, false, " ");
		int used = tui_put(t, y, x + 3, w - 6, ROLE_HEADER, false, title);
		tui_put(t, y, x + 3 + used, 1, ROLE_NORMAL, false, " ");
	}
}

void tui_title_bar(tui *t, const char *screen)
{
	const pack *p = t->e ? engine_pack(t->e) : NULL;
	char left[768];

	snprintf(left, sizeof left, " ipr-drill \xc2\xb7 %s%s%s", screen, p ? " \xc2\xb7 " : "",
	         p && p->title.text ? p->title.text : "");
	tui_fill(t, 0, 0, 1, COLS, ROLE_TITLE);
	tui_put(t, 0, 0, COLS - 9, ROLE_TITLE, false, left);
	tui_put(t, 0, COLS - 8, 8, ROLE_TITLE, false, "? help ");
}

void tui_hint_bar(tui *t, enum tui_keymap_id km)
{
	char hints[512];

	tui_keymap_hints(tui_keymap_get(km), hints, sizeof hints);
	tui_put(t, LINES - 2, 0, COLS, ROLE_DIM, true, hints);
}

void tui_status_bar(tui *t)
{
	char left[256] = "", clock[32];
	size_t used = 0;
	engine *e = t->e;

	if (e) {
		enum engine_stage st = engine_stage(e);
		used += (size_t)snprintf(left, sizeof left, " %s", engine_stage_name(st));
		if (!engine_is_exam(e) || st == ENGINE_STAGE_DEBRIEF) {
			engine_scores sc;
			engine_scores_get(e, &sc);
			used += (size_t)snprintf(left + used, sizeof left - used,
			                         " \xc2\xb7 score %lld of %lld", sc.total,
			                         sc.total_max);
		} else {
			used += (size_t)snprintf(left + used, sizeof left - used, " \xc2\xb7 exam");
		}
		int64_t rem = engine_remaining_ms(e);
		if (rem >= 0 && st != ENGINE_STAGE_DEBRIEF && used < sizeof left) {
			tui_format_clock(rem, clock, sizeof clock);
			snprintf(left + used, sizeof left - used, " \xc2\xb7 %s left", clock);
		}
	}
	tui_fill(t, LINES - 1, 0, 1, COLS, ROLE_STATUS);
	int w = tui_put(t, LINES - 1, 0, COLS, ROLE_STATUS, false, left);
	if (t->status[0] && w + 3 < COLS) {
		tui_put(t, LINES - 1, w, 3, ROLE_STATUS, false, w ? " | " : " ");
		tui_put(t, LINES - 1, w + 3, COLS - w - 3, t->status_bad ? ROLE_BAD : ROLE_STATUS,
		        false, t->status);
	}
}

void tui_draw_too_small(tui *t)
{
	char size[64];

	werase(stdscr);
	snprintf(size, sizeof size, "(now %dx%d)", COLS, LINES);
	tui_put(t, 0, 0, COLS, ROLE_BAD, false, "Please enlarge the terminal");
	tui_put(t, 1, 0, COLS, ROLE_NORMAL, false, "to at least 80x24.");
	tui_put(t, 2, 0, COLS, ROLE_DIM, false, size);
	tui_put(t, 3, 0, COLS, ROLE_DIM, false, "q quits");
}

size_t tui_scroll_to(size_t top, size_t cursor, size_t h)
{
	if (h == 0)
		return cursor;
	if (cursor < top)
		return cursor;
	if (cursor >= top + h)
		return cursor - h + 1;
	return top;
}

bool tui_list_nav(size_t *cursor, size_t count, enum tui_action a, size_t page)
{
	size_t c = *cursor;

	if (page == 0)
		page = 1;
	switch (a) {
	case ACT_UP:
		c = c ? c - 1 : 0;
		break;
	case ACT_DOWN:
		c = c + 1 < count ? c + 1 : c;
		break;
	case ACT_PGUP:
		c = c > page ? c - page : 0;
		break;
	case ACT_PGDN:
		c = count == 0 ? 0 : (c + page < count ? c + page : count - 1);
		break;
	case ACT_HOME:
		c = 0;
		break;
	case ACT_END:
		c = count ? count - 1 : 0;
		break;
	default:
		return false;
	}
	*cursor = c;
	return true;
}

/* ---- pages ---- */

void tui_doc_clear(tui_doc *d)
{
	for (size_t i = 0; i < d->count; i++)
		free(d->paras[i].text);
	d->count = 0;
	d->row_count = 0;
	d->laid_width = 0;
	d->top = 0;
}

void tui_doc_free(tui_doc *d)
{
	tui_doc_clear(d);
	free(d->paras);
	free(d->rows);
	memset(d, 0, sizeof *d);
}

static void doc_push(tui_doc *d, enum tui_role role, unsigned indent, const char *text, bool pre,
                     unsigned hang)
{
	char *safe;

	if (d->count == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		tui_para *np = realloc(d->paras, cap * sizeof *np);
		if (!np) {
			d->oom = true;
			return;
		}
		d->paras = np;
		d->cap = cap;
	}
	safe = text_sanitize(text ? text : "", true);
	if (!safe) {
		d->oom = true;
		return;
	}
	d->paras[d->count++] =
	        (tui_para){safe, role, (unsigned short)indent, (unsigned short)hang, pre};
	d->laid_width = 0;
}

void tui_doc_add_text(tui_doc *d, enum tui_role role, unsigned indent, const char *text)
{
	doc_push(d, role, indent, text, false, 0);
}

void tui_doc_add_kv(tui_doc *d, enum tui_role role, unsigned indent, unsigned label_w,
                    const char *label, const char *value)
{
	char buf[4096];

	snprintf(buf, sizeof buf, "%-*s %s", (int)label_w, label ? label : "", value ? value : "");
	doc_push(d, role, indent, buf, false, label_w + 1);
}

void tui_doc_add_pre(tui_doc *d, enum tui_role role, unsigned indent, const char *text)
{
	doc_push(d, role, indent, text, true, 0);
}

void tui_doc_add(tui_doc *d, enum tui_role role, unsigned indent, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	doc_push(d, role, indent, buf, false, 0);
}

static bool row_push(tui_doc *d, size_t para, tui_span sp)
{
	if (d->row_count == d->row_cap) {
		size_t cap = d->row_cap ? d->row_cap * 2 : 64;
		tui_doc_row *nr = realloc(d->rows, cap * sizeof *nr);
		if (!nr) {
			d->oom = true;
			return false;
		}
		d->rows = nr;
		d->row_cap = cap;
	}
	d->rows[d->row_count++] = (tui_doc_row){para, sp};
	return true;
}

size_t tui_doc_layout(tui_doc *d, size_t width)
{
	if (width == d->laid_width)
		return d->row_count;
	d->row_count = 0;
	d->laid_width = width;
	for (size_t p = 0; p < d->count; p++) {
		const tui_para *pa = &d->paras[p];
		size_t len = strlen(pa->text), pos = 0;
		size_t w = width > (size_t)pa->indent + 1 ? width - pa->indent : 1;
		size_t w2 = w > (size_t)pa->hang + 8 ? w - pa->hang : w; /* later rows */
		do {
			tui_span sp;
			if (pa->pre) {
				size_t end = pos;
				while (end < len && pa->text[end] != '\n')
					end++;
				sp = (tui_span){pos, end - pos};
				pos = end < len ? end + 1 : len;
			} else {
				pos = tui_wrap_next(pa->text, pos, pos ? w2 : w, &sp);
			}
			if (!row_push(d, p, sp))
				return d->row_count;
		} while (pos < len);
	}
	return d->row_count;
}

size_t tui_doc_row_of(const tui_doc *d, size_t para)
{
	for (size_t r = 0; r < d->row_count; r++)
		if (d->rows[r].para >= para)
			return r;
	return d->row_count;
}

void tui_doc_draw(tui *t, tui_doc *d, int y, int x, int h, int w)
{
	size_t rows;

	if (h <= 0 || w <= 1)
		return;
	/* The last column is kept for the scroll marks. */
	rows = tui_doc_layout(d, (size_t)w - 1);
	if (d->top + (size_t)h > rows)
		d->top = rows > (size_t)h ? rows - (size_t)h : 0;
	for (int i = 0; i < h && d->top + (size_t)i < rows; i++) {
		const tui_doc_row *r = &d->rows[d->top + (size_t)i];
		const tui_para *pa = &d->paras[r->para];
		int ind = pa->indent;
		if (r->span.start > 0 && !pa->pre &&
		    (size_t)w - 1 > (size_t)pa->indent + pa->hang + 8)
			ind += pa->hang; /* a later row of a hanging paragraph */
		tui_put_span(t, y + i, x + ind, w - 1 - ind, pa->role, pa->text, r->span);
	}
	if (d->top > 0)
		tui_put(t, y, x + w - 1, 1, ROLE_EMPH, false, "^");
	if (d->top + (size_t)h < rows)
		tui_put(t, y + h - 1, x + w - 1, 1, ROLE_EMPH, false, "v");
}

bool tui_doc_scroll(tui_doc *d, enum tui_action a, int h)
{
	size_t page = h > 1 ? (size_t)h - 1 : 1;
	size_t max = d->row_count > (size_t)h ? d->row_count - (size_t)h : 0;

	switch (a) {
	case ACT_UP:
		d->top = d->top ? d->top - 1 : 0;
		break;
	case ACT_DOWN:
		d->top = d->top < max ? d->top + 1 : max;
		break;
	case ACT_PGUP:
		d->top = d->top > page ? d->top - page : 0;
		break;
	case ACT_PGDN:
		d->top = d->top + page < max ? d->top + page : max;
		break;
	case ACT_HOME:
		d->top = 0;
		break;
	case ACT_END:
		d->top = max;
		break;
	default:
		return false;
	}
	return true;
}
