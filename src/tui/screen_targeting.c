/* screen_targeting.c - the targeting board: every shipment a row, sortable
 * by any column, the cursor's declaration beside or below, indicators and
 * selection for examination.
 *
 * Speed (issue 3: p99 under 16 ms per key with 50,000 shipments): each
 * column's sorted index is built once, the first time it is needed or
 * while the trainee is idle, and reversing only reads it backwards; a
 * frame draws only the visible rows; the declaration pane is rebuilt only
 * when the cursor's shipment or the engine state changes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "ipr-drill/text.h"

static const char *const col_names[COL_COUNT] = {
        "Order", "Shipment", "Mode", "Origin", "Consignee", "Goods", "Declared value",
};

/* A sort entry: the first 16 bytes of the string (or an order-preserving
 * form of the number) as two integers, sorted with a stable LSD radix sort
 * (entries start in display order, so ties keep it); only runs whose
 * 16-byte prefixes are equal and longer go through strcmp.  qsort with
 * strcmp on the pack's scattered strings cost 45 ms per column at 50,000
 * rows, over the 16 ms a keypress may take. */
typedef struct sort_ent {
	uint64_t k0, k1;
	const char *str; /* for ties beyond the prefix */
	uint32_t rank;   /* display position: ties keep the exercise's order */
	uint32_t idx;    /* pack index */
} sort_ent;

static uint64_t be64(const char *s, size_t *used)
{
	uint64_t v = 0;
	size_t i = 0;

	for (; i < 8 && s[i]; i++)
		v = (v << 8) | (unsigned char)s[i];
	*used = i;
	for (size_t k = i; k < 8; k++)
		v <<= 8;
	return v;
}

static void str_key(sort_ent *e, const char *s)
{
	size_t n;

	e->k0 = be64(s, &n);
	e->k1 = n == 8 ? be64(s + 8, &n) : 0;
	e->str = s;
}

/* Doubles ordered as unsigned integers: flip the sign bit of positives,
 * every bit of negatives. */
static uint64_t num_key(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof u);
	return (u >> 63) ? ~u : (u | ((uint64_t)1 << 63));
}

static int cmp_ent(const void *a, const void *b)
{
	const sort_ent *x = a, *y = b;

	if (x->k0 != y->k0)
		return x->k0 < y->k0 ? -1 : 1;
	if (x->k1 != y->k1)
		return x->k1 < y->k1 ? -1 : 1;
	if (x->str && y->str && (x->k1 & 0xff) && (y->k1 & 0xff)) {
		int c = strcmp(x->str, y->str); /* both longer than 16 bytes */
		if (c)
			return c;
	}
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static unsigned byte_of(const sort_ent *e, unsigned pass)
{
	/* passes 0-7: k1 from its lowest byte; 8-15: k0 */
	return pass < 8 ? (unsigned)(e->k1 >> (8 * pass)) & 0xff
	                : (unsigned)(e->k0 >> (8 * (pass - 8))) & 0xff;
}

/* Sorts n entries by (k0, k1), stably, then orders equal long prefixes by
 * the whole string.  False when memory runs out (ents unchanged then). */
static bool radix_sort(sort_ent *ents, size_t n)
{
	sort_ent *tmp = malloc((n ? n : 1) * sizeof *tmp), *src = ents, *dst = tmp;
	size_t count[256];

	if (!tmp)
		return false;
	for (unsigned pass = 0; pass < 16; pass++) {
		memset(count, 0, sizeof count);
		for (size_t k = 0; k < n; k++)
			count[byte_of(&src[k], pass)]++;
		if (n == 0 || count[byte_of(&src[0], pass)] == n)
			continue; /* every entry has the same byte here */
		for (size_t c = 0, sum = 0; c < 256; c++) {
			size_t here = count[c];
			count[c] = sum;
			sum += here;
		}
		for (size_t k = 0; k < n; k++)
			dst[count[byte_of(&src[k], pass)]++] = src[k];
		sort_ent *sw = src;
		src = dst;
		dst = sw;
	}
	if (src != ents)
		memcpy(ents, src, n * sizeof *ents);
	free(tmp);
	for (size_t a = 0; a < n;) {
		size_t z = a + 1;
		while (z < n && ents[z].k0 == ents[a].k0 && ents[z].k1 == ents[a].k1)
			z++;
		if (z - a > 1 && (ents[a].k1 & 0xff))
			qsort(ents + a, z - a, sizeof *ents, cmp_ent);
		a = z;
	}
	return true;
}

static const char *str_or(const pack_str *s)
{
	return s->text ? s->text : "";
}

bool tui_board_index(tui *t, enum board_col col)
{
	tui_board *b = &t->board;
	const pack *p = engine_pack(t->e);
	const size_t *order = engine_shipment_order(t->e);
	sort_ent *disp, tmp_ent;
	uint32_t *rank;
	size_t *idx;

	if (b->index[col])
		return true;
	if (b->n > UINT32_MAX)
		return false;
	rank = malloc((b->n ? b->n : 1) * sizeof *rank);
	disp = malloc((b->n ? b->n : 1) * sizeof *disp);
	idx = malloc((b->n ? b->n : 1) * sizeof *idx);
	if (!rank || !disp || !idx) {
		free(rank);
		free(disp);
		free(idx);
		return false;
	}
	/* Read the pack in its own order (its strings lie in load order, so
	 * this walks memory forwards: 4x faster than display order at 50,000
	 * rows) and place each entry at its display position. */
	for (size_t k = 0; k < b->n; k++)
		rank[order[k]] = (uint32_t)k;
	for (size_t k = 0; k < b->n; k++) {
		const pack_shipment *s = &p->shipments[k];
		const pack_declaration *d = &s->declaration;
		sort_ent *e = &tmp_ent;
		*e = (sort_ent){0};
		e->rank = rank[k];
		e->idx = (uint32_t)k;
		switch (col) {
		case COL_ID:
			str_key(e, str_or(&s->id));
			break;
		case COL_MODE:
			e->k0 = (uint64_t)s->mode;
			break;
		case COL_ORIGIN:
			str_key(e, str_or(&d->origin));
			break;
		case COL_CONSIGNEE:
			str_key(e, str_or(&d->consignee));
			break;
		case COL_GOODS:
			str_key(e, str_or(&d->goods));
			break;
		case COL_VALUE:
			e->k0 = num_key(d->value.amount.value);
			break;
		default:
			e->k0 = e->rank;
			break;
		}
		disp[e->rank] = *e;
	}
	free(rank);
	if (!radix_sort(disp, b->n)) {
		free(disp);
		free(idx);
		return false;
	}
	for (size_t k = 0; k < b->n; k++)
		idx[k] = disp[k].idx;
	free(disp);
	b->index[col] = idx;
	return true;
}

int tui_board_init(tui *t)
{
	tui_board *b = &t->board;
	const size_t *order = engine_shipment_order(t->e);

	tui_board_free(t);
	b->n = engine_pack(t->e)->shipment_count;
	b->last_ship = SIZE_MAX;
	b->idle_next = COL_ID;
	b->index[COL_ORDER] = malloc((b->n ? b->n : 1) * sizeof(size_t));
	if (!b->index[COL_ORDER])
		return -1;
	if (b->n)
		memcpy(b->index[COL_ORDER], order, b->n * sizeof(size_t));
	return 0;
}

void tui_board_free(tui *t)
{
	tui_board *b = &t->board;

	for (int c = 0; c < COL_COUNT; c++)
		free(b->index[c]);
	tui_doc_free(&b->decl);
	memset(b, 0, sizeof *b);
}

void tui_board_idle(tui *t)
{
	tui_board *b = &t->board;

	while (b->idle_next < COL_COUNT && b->index[b->idle_next])
		b->idle_next++;
	if (b->idle_next < COL_COUNT)
		tui_board_index(t, (enum board_col)b->idle_next++);
}

/* Pack index of display row d. */
static size_t ship_at(const tui_board *b, size_t d)
{
	return b->index[b->sort][b->reverse ? b->n - 1 - d : d];
}

static void add_field(tui_doc *d, const char *label, const char *value)
{
	if (value && value[0])
		tui_doc_add_kv(d, ROLE_NORMAL, 0, 11, label, value);
}

static void build_decl(tui *t, size_t s)
{
	const pack *p = engine_pack(t->e);
	const pack_shipment *sh = &p->shipments[s];
	const pack_declaration *d = &sh->declaration;
	const engine_shipment_state *ss = engine_shipment(t->e, s);
	tui_doc *doc = &t->board.decl;
	char buf[1024], amt[64];
	size_t used = 0;
	size_t ni;
	const pack_indicator *const *inds = engine_indicators(t->e, &ni);

	tui_doc_clear(doc);
	tui_doc_add(doc, ss->selected ? ROLE_GOOD : ROLE_HEADER, 0, "%s \xc2\xb7 %s%s", sh->id.text,
	            pack_mode_name(sh->mode),
	            ss->selected ? " \xc2\xb7 SELECTED for examination" : "");
	add_field(doc, "Consignor", d->consignor.text);
	add_field(doc, "Consignee", d->consignee.text);
	add_field(doc, "Origin", d->origin.text);
	buf[0] = '\0';
	for (size_t k = 0; k < d->route.count && used < sizeof buf; k++)
		used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", k ? " > " : "",
		                         d->route.items[k].text);
	add_field(doc, "Route", buf);
	add_field(doc, "Goods", d->goods.text);
	add_field(doc, "HS code", d->hs_code.text);
	if (d->packages.present)
		tui_doc_add(doc, ROLE_NORMAL, 0, "%-11s %lld", "Packages", d->packages.value);
	if (d->gross_kg.present)
		tui_doc_add(doc, ROLE_NORMAL, 0, "%-11s %g kg", "Gross", d->gross_kg.value);
	if (d->value.present) {
		tui_format_amount(d->value.amount.value, amt, sizeof amt);
		tui_doc_add(doc, ROLE_NORMAL, 0, "%-11s %s %s", "Value", str_or(&d->value.currency),
		            amt);
	}
	add_field(doc, "Remarks", d->remarks.text);
	used = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < ni && used < sizeof buf; k++)
		if (ss->flagged[k])
			used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s",
			                         used ? ", " : "", inds[k]->name.text);
	tui_doc_add_kv(doc, ss->flag_count ? ROLE_EMPH : ROLE_DIM, 0, 11, "Flagged",
	               ss->flag_count ? buf : "none yet (i to flag)");
	t->board.last_ship = s;
}

enum { C_MARK, C_ID, C_MODE, C_ORIGIN, C_CONSIGNEE, C_GOODS, C_VALUE, C_N };

static void draw_row(tui *t, int y, const size_t *w, size_t s, bool cur)
{
	const pack_shipment *sh = &engine_pack(t->e)->shipments[s];
	const pack_declaration *d = &sh->declaration;
	const engine_shipment_state *ss = engine_shipment(t->e, s);
	enum tui_role r = cur ? (t->board.pane_focus ? ROLE_CURSOR2 : ROLE_CURSOR) : ROLE_NORMAL;
	char mark[16], val[96], amt[64];
	int x = 0;

	snprintf(mark, sizeof mark, "%s%c", ss->selected ? "X" : " ",
	         ss->flag_count ? (ss->flag_count > 9 ? '+' : (char)('0' + ss->flag_count)) : ' ');
	tui_format_amount(d->value.amount.value, amt, sizeof amt);
	snprintf(val, sizeof val, "%s %s", str_or(&d->value.currency), amt);
	const char *cells[C_N] = {mark,
	                          str_or(&sh->id),
	                          pack_mode_name(sh->mode),
	                          str_or(&d->origin),
	                          str_or(&d->consignee),
	                          str_or(&d->goods),
	                          val};
	if (cur)
		tui_fill(t, y, 0, 1, (int)(w[C_N] ? w[C_N] : (size_t)COLS), r);
	for (int c = 0; c < C_N; c++) {
		enum tui_role cr = r;
		if (!cur && c == C_MARK && ss->selected)
			cr = ROLE_GOOD;
		if (c == C_VALUE) { /* right-aligned */
			size_t vw = text_width(val);
			int off = vw < w[c] ? (int)(w[c] - vw) : 0;
			tui_put(t, y, x + off, (int)w[c] - off, cr, false, val);
		} else {
			tui_put(t, y, x, (int)w[c], cr, false, cells[c]);
		}
		x += (int)w[c] + 1;
	}
}

static void table_geometry(int *table_w, int *table_h, int *pane_y, int *pane_x, int *pane_h,
                           int *pane_w)
{
	int body_top = 2, body_h = LINES - 4;

	if (COLS >= 140) {
		*pane_w = 52;
		*table_w = COLS - *pane_w - 1;
		*table_h = body_h - 1;
		*pane_y = body_top;
		*pane_x = *table_w + 1;
		*pane_h = body_h;
	} else {
		*pane_h = body_h / 2 > 11 ? 11 : body_h / 2;
		*table_w = COLS;
		*table_h = body_h - *pane_h - 2;
		*pane_y = body_top + 1 + *table_h + 1;
		*pane_x = 0;
		*pane_w = COLS;
	}
}

void tui_board_draw(tui *t)
{
	tui_board *b = &t->board;
	int tw, th, py, px, ph, pw;
	size_t w[C_N + 1];
	static const size_t min[C_N] = {2, 8, 7, 6, 10, 10, 10};
	static const unsigned weight[C_N] = {0, 1, 0, 0, 3, 4, 1};
	char head[256];
	long long budget = engine_budget(t->e);

	tui_title_bar(t, "Targeting board");
	if (budget >= 0)
		snprintf(head, sizeof head, "%zu shipments \xc2\xb7 %zu of %lld examinations used",
		         b->n, engine_budget_used(t->e), budget);
	else
		snprintf(head, sizeof head, "%zu shipments \xc2\xb7 %zu selected (no limit)", b->n,
		         engine_budget_used(t->e));
	tui_put(t, 1, 0, COLS, ROLE_EMPH, false, head);
	{
		char sort[96];
		snprintf(sort, sizeof sort, "sorted by %s %s", col_names[b->sort],
		         b->reverse ? "(reversed)" : "");
		tui_put(t, 1, COLS - 36, 36, ROLE_DIM, false, sort);
	}
	table_geometry(&tw, &th, &py, &px, &ph, &pw);
	tui_columns(min, weight, C_N, 1, (size_t)tw, w);
	w[C_N] = (size_t)tw;
	{
		static const char *const heads[C_N] = {"",          "Shipment", "Mode", "Origin",
		                                       "Consignee", "Goods",    "Value"};
		static const enum board_col cols[C_N] = {COL_ORDER,  COL_ID,        COL_MODE,
		                                         COL_ORIGIN, COL_CONSIGNEE, COL_GOODS,
		                                         COL_VALUE};
		int x = 0;
		tui_fill(t, 2, 0, 1, tw, ROLE_HEADER);
		for (int c = 0; c < C_N; c++) {
			char h[64];
			snprintf(h, sizeof h, "%s%s", heads[c],
			         c && cols[c] == b->sort ? (b->reverse ? " v" : " ^") : "");
			tui_put(t, 2, x, (int)w[c], ROLE_HEADER, false, h);
			x += (int)w[c] + 1;
		}
	}
	if (b->n == 0) {
		tui_put(t, 3, 0, tw, ROLE_DIM, false, "This pack has no shipments.");
		return;
	}
	if (b->cursor >= b->n)
		b->cursor = b->n - 1;
	b->top = tui_scroll_to(b->top, b->cursor, (size_t)th);
	for (int r = 0; r < th && b->top + (size_t)r < b->n; r++) {
		size_t d = b->top + (size_t)r;
		draw_row(t, 3 + r, w, ship_at(b, d), d == b->cursor);
	}
	/* the declaration */
	size_t s = ship_at(b, b->cursor);
	if (s != b->last_ship)
		build_decl(t, s);
	if (COLS >= 140) {
		tui_vline(t, py, px - 1, ph);
		tui_doc_draw(t, &b->decl, py, px + 1, ph, pw - 1);
	} else {
		tui_hline(t, py - 1, 0, COLS);
		tui_put(t, py - 1, 2, 24, ROLE_DIM, false,
		        b->pane_focus ? " Declaration (Tab) " : " Declaration ");
		tui_doc_draw(t, &b->decl, py, px + 1, ph, pw - 2);
	}
}

/* Moves the cursor to the display row of pack index s. */
static void cursor_to(tui_board *b, size_t s)
{
	for (size_t d = 0; d < b->n; d++) {
		if (ship_at(b, d) == s) {
			b->cursor = d;
			return;
		}
	}
}

int tui_board_key(tui *t, enum tui_action a)
{
	tui_board *b = &t->board;
	int tw, th, py, px, ph, pw;
	size_t s;

	table_geometry(&tw, &th, &py, &px, &ph, &pw);
	if (b->pane_focus && tui_doc_scroll(&b->decl, a, ph))
		return TUI_R_NONE;
	if (tui_list_nav(&b->cursor, b->n, a, (size_t)th))
		return TUI_R_NONE;
	if (b->n == 0 && a != ACT_CONFIRM)
		return TUI_R_NONE;
	s = b->n ? ship_at(b, b->cursor) : 0;
	switch (a) {
	case ACT_TAB:
		b->pane_focus = !b->pane_focus;
		break;
	case ACT_SORT: {
		enum board_col next = (enum board_col)((b->sort + 1) % COL_COUNT);
		if (!tui_board_index(t, next)) {
			tui_set_status(t, true, "Out of memory: cannot sort.");
			break;
		}
		b->sort = next;
		cursor_to(b, s);
		break;
	}
	case ACT_SORT_REV:
		b->reverse = !b->reverse;
		b->cursor = b->n - 1 - b->cursor;
		break;
	case ACT_INDICATORS:
		tui_picker_open(t, OV_INDICATORS, s);
		break;
	case ACT_SELECT: {
		const engine_shipment_state *ss = engine_shipment(t->e, s);
		enum engine_status st =
		        ss->selected ? engine_deselect(t->e, s) : engine_select(t->e, s);
		if (tui_after(t, st) == ENGINE_OK) {
			long long budget = engine_budget(t->e);
			if (budget >= 0)
				tui_set_status(t, false, "%zu of %lld examinations used",
				               engine_budget_used(t->e), budget);
		}
		break;
	}
	case ACT_CONFIRM: {
		size_t used = engine_budget_used(t->e);
		tui_ask(t, CONF_TARGETING,
		        "Confirm targeting? %zu shipment%s will be examined; the other %zu will be "
		        "released unexamined. Flags and selections cannot be changed afterwards.",
		        used, used == 1 ? "" : "s", b->n - used);
		break;
	}
	default:
		break;
	}
	return TUI_R_NONE;
}
