/* overlay.c - the boxes drawn over a screen: confirmations, the indicator
 * and action lists, practice feedback, art side by side, and `?` help. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "ipr-drill/text.h"

/* The box every overlay uses: centred, at most 78 columns wide. */
static void box_geom_w(int want_h, int want_w, int *y, int *x, int *h, int *w)
{
	*w = COLS - 4 < want_w ? COLS - 4 : want_w;
	*h = want_h < LINES - 4 ? want_h : LINES - 4;
	if (*h < 5)
		*h = 5;
	*y = (LINES - 2 - *h) / 2;
	*x = (COLS - *w) / 2;
}

static void box_geom(int want_h, int *y, int *x, int *h, int *w)
{
	box_geom_w(want_h, 78, y, x, h, w);
}

static void draw_doc_box(tui *t, tui_doc *d, const char *title, int want_w)
{
	int y, x, h, w;
	size_t rows = tui_doc_layout(d, (size_t)(COLS - 4 < want_w ? COLS - 4 : want_w) - 5);

	box_geom_w((int)rows + 2, want_w, &y, &x, &h, &w);
	tui_box(t, y, x, h, w, title);
	tui_doc_draw(t, d, y + 1, x + 2, h - 2, w - 4);
}

static void draw_confirm(tui *t)
{
	tui_span lines[12];
	int y, x, h, w;
	size_t n;
	char *safe = text_sanitize(t->confirm.text, false);

	if (!safe)
		return;
	n = tui_wrap(safe, 70, lines, 12);
	if (n > 12)
		n = 12;
	box_geom((int)n + 4, &y, &x, &h, &w);
	tui_box(t, y, x, h, w, "Please confirm");
	for (size_t i = 0; i < n; i++)
		tui_put_span(t, y + 1 + (int)i, x + 2, w - 4, ROLE_NORMAL, safe, lines[i]);
	tui_put(t, y + h - 2, x + 2, w - 4, ROLE_EMPH, false, "y yes    n no");
	free(safe);
}

static const pack_indicator *const *picker_list(const tui *t, size_t *n)
{
	return t->ov == OV_INDICATORS ? engine_indicators(t->e, n) : engine_actions(t->e, n);
}

static void draw_picker(tui *t)
{
	size_t n;
	const pack_indicator *const *list = picker_list(t, &n);
	const engine_shipment_state *ss = engine_shipment(t->e, t->picker_ship);
	int y, x, h, w;
	char title[256];
	tui_span dl[6];

	box_geom((int)n + 9, &y, &x, &h, &w);
	snprintf(title, sizeof title, "%s for %s",
	         t->ov == OV_INDICATORS ? "Risk indicators" : "Action",
	         ss ? ss->shipment->id.text : "?");
	tui_box(t, y, x, h, w, title);
	int list_h = h - 2 - 6;
	t->picker_top = tui_scroll_to(t->picker_top, t->picker_cursor, (size_t)list_h);
	for (int r = 0; r < list_h && t->picker_top + (size_t)r < n; r++) {
		size_t k = t->picker_top + (size_t)r;
		bool cur = k == t->picker_cursor;
		char line[512];
		if (t->ov == OV_INDICATORS)
			snprintf(line, sizeof line, "[%s] %s%s", ss && ss->flagged[k] ? "x" : " ",
			         list[k]->name.text, list[k]->builtin ? "" : "  (this pack)");
		else
			snprintf(line, sizeof line, "%s%s", list[k]->name.text,
			         list[k]->builtin ? "" : "  (this pack)");
		tui_put(t, y + 1 + r, x + 2, w - 4, cur ? ROLE_CURSOR : ROLE_NORMAL, true, line);
	}
	tui_hline(t, y + h - 7, x + 1, w - 2);
	if (t->picker_cursor < n) {
		char *safe = text_sanitize(list[t->picker_cursor]->description.text
		                                   ? list[t->picker_cursor]->description.text
		                                   : "",
		                           false);
		if (safe) {
			size_t m = tui_wrap(safe, (size_t)w - 4, dl, 5);
			for (size_t i = 0; i < m && i < 5; i++)
				tui_put_span(t, y + h - 6 + (int)i, x + 2, w - 4, ROLE_DIM, safe,
				             dl[i]);
			free(safe);
		}
	}
}

void tui_overlay_draw(tui *t)
{
	switch (t->ov) {
	case OV_CONFIRM:
		draw_confirm(t);
		break;
	case OV_INDICATORS:
	case OV_ACTIONS:
		draw_picker(t);
		break;
	case OV_FEEDBACK:
		draw_doc_box(t, &t->feedback,
		             engine_stage(t->e) == ENGINE_STAGE_DEBRIEF && engine_timed_out(t->e)
		                     ? "Time is up"
		                     : "Feedback",
		             78);
		break;
	case OV_ART:
		draw_doc_box(t, &t->art, "Art: the item | the guide", 200);
		break;
	case OV_NONE:
		break;
	}
	if (t->help_open)
		draw_doc_box(t, &t->help, "Help", 78);
}

enum tui_keymap_id tui_overlay_keymap(const tui *t)
{
	switch (t->ov) {
	case OV_CONFIRM:
		return KM_CONFIRM;
	case OV_INDICATORS:
		return KM_INDICATORS;
	case OV_ACTIONS:
		return KM_ACTIONS;
	default:
		return KM_PAGER;
	}
}

void tui_picker_open(tui *t, enum tui_overlay kind, size_t s)
{
	t->ov = kind;
	t->picker_ship = s;
	t->picker_cursor = 0;
	t->picker_top = 0;
}

static int confirm_yes(tui *t)
{
	size_t s = t->confirm.s, i = t->confirm.i;

	t->ov = OV_NONE;
	switch (t->confirm.op) {
	case CONF_QUIT:
		return TUI_R_QUIT;
	case CONF_FINISH:
	case CONF_FINISH_QUESTIONS:
		tui_after(t, engine_finish(t->e));
		break;
	case CONF_TARGETING:
		tui_after(t, engine_confirm(t->e));
		break;
	case CONF_GENUINE:
	case CONF_COUNTERFEIT: {
		enum pack_verdict v = t->confirm.op == CONF_GENUINE ? PACK_VERDICT_GENUINE
		                                                    : PACK_VERDICT_COUNTERFEIT;
		if (tui_after(t, engine_verdict(t->e, s, i, v)) == ENGINE_OK) {
			const engine_shipment_state *ss = engine_shipment(t->e, s);
			bool all = true;
			for (size_t k = 0; k < ss->shipment->item_count; k++)
				all = all && ss->items[k].verdict != PACK_VERDICT_NONE;
			if (all && !ss->action) {
				if (t->ov == OV_FEEDBACK) {
					t->then_actions = true;
					t->then_ship = s;
				} else {
					tui_picker_open(t, OV_ACTIONS, s);
				}
			}
		}
		break;
	}
	case CONF_ACTION:
		tui_after(t, engine_act(t->e, s, t->confirm.action_id));
		break;
	case CONF_END_EXAM:
		tui_after(t, engine_end_examination(t->e));
		break;
	case CONF_ANSWER:
		tui_questions_submit(t);
		break;
	}
	return TUI_R_NONE;
}

static void picker_choose(tui *t)
{
	size_t n;
	const pack_indicator *const *list = picker_list(t, &n);
	const engine_shipment_state *ss = engine_shipment(t->e, t->picker_ship);

	if (t->picker_cursor >= n || !ss)
		return;
	if (t->ov == OV_INDICATORS) {
		const char *id = list[t->picker_cursor]->id.text;
		if (ss->flagged[t->picker_cursor])
			tui_after(t, engine_unflag(t->e, t->picker_ship, id));
		else
			tui_after(t, engine_flag(t->e, t->picker_ship, id));
		return;
	}
	t->ov = OV_NONE;
	tui_after(t, engine_act(t->e, t->picker_ship, list[t->picker_cursor]->id.text));
}

int tui_overlay_key(tui *t, enum tui_action a)
{
	size_t n;

	switch (t->ov) {
	case OV_CONFIRM:
		if (a == ACT_YES)
			return confirm_yes(t);
		if (a == ACT_NO)
			t->ov = OV_NONE;
		return TUI_R_NONE;
	case OV_INDICATORS:
	case OV_ACTIONS:
		picker_list(t, &n);
		if (tui_list_nav(&t->picker_cursor, n, a, (size_t)(LINES > 20 ? LINES - 20 : 1)))
			return TUI_R_NONE;
		if (a == ACT_TOGGLE || a == ACT_ENTER)
			picker_choose(t);
		else if (a == ACT_BACK)
			t->ov = OV_NONE;
		else if (a == ACT_HELP)
			tui_help_open(t, tui_overlay_keymap(t));
		return TUI_R_NONE;
	case OV_FEEDBACK:
	case OV_ART: {
		tui_doc *d = t->ov == OV_FEEDBACK ? &t->feedback : &t->art;
		if (tui_doc_scroll(d, a, LINES - 8))
			return TUI_R_NONE;
		if (a == ACT_ENTER || a == ACT_BACK) {
			t->ov = OV_NONE;
			if (t->then_actions) {
				t->then_actions = false;
				tui_picker_open(t, OV_ACTIONS, t->then_ship);
			} else if (t->then_offer_finish) {
				t->then_offer_finish = false;
				tui_questions_offer_finish(t);
			}
		}
		return TUI_R_NONE;
	}
	case OV_NONE:
		break;
	}
	return TUI_R_NONE;
}

/* Pads every line of a to width columns (a is sanitised, tabs kept as one
 * column like text_width counts them). */
static void art_side_by_side(tui_doc *d, const char *left, const char *right)
{
	char *l = text_sanitize(left ? left : "(no art for the item)", true);
	char *r = text_sanitize(right ? right : "(no art in the guide)", true);
	size_t lw = 0, out_len = 0, cap;
	char *out;
	const char *p;

	if (!l || !r)
		goto done;
	for (p = l; *p;) {
		size_t n = strcspn(p, "\n");
		char save = p[n];
		((char *)p)[n] = '\0';
		size_t w = text_width(p);
		((char *)p)[n] = save;
		lw = w > lw ? w : lw;
		p += n + (save ? 1 : 0);
	}
	cap = (strlen(l) + strlen(r)) * 2 + (lw + 8) * (PACK_ART_MAX_ROWS * 4 + 64);
	out = malloc(cap);
	if (!out)
		goto done;
	const char *a = l, *b = r;
	while ((*a || *b) && out_len + lw + 16 < cap) {
		size_t na = strcspn(a, "\n"), nb = strcspn(b, "\n");
		char sa = a[na];
		((char *)a)[na] = '\0';
		size_t w = text_width(a);
		out_len += (size_t)snprintf(out + out_len, cap - out_len, "%s", a);
		((char *)a)[na] = sa;
		for (; w < lw + 3; w++)
			out[out_len++] = ' ';
		if (out_len + nb + 2 >= cap)
			break;
		memcpy(out + out_len, b, nb);
		out_len += nb;
		out[out_len++] = '\n';
		a += na + (sa ? 1 : 0);
		b += nb + (b[nb] ? 1 : 0);
	}
	out[out_len] = '\0';
	tui_doc_add_pre(d, ROLE_NORMAL, 0, out);
	free(out);
done:
	free(l);
	free(r);
}

void tui_art_open(tui *t, size_t s, size_t i)
{
	const pack *p = engine_pack(t->e);
	const pack_item *it = &p->shipments[s].contents[i];
	const char *assets = t->have_assets ? t->assets_dir : NULL;
	char *item_art = it->art.text ? pack_read_art(p, &it->art, assets) : NULL;
	char *guide_art = NULL;

	if (it->product_ref && it->product_ref->art.text)
		guide_art = pack_read_art(p, &it->product_ref->art, assets);
	else if (it->brand && it->brand->art.text)
		guide_art = pack_read_art(p, &it->brand->art, assets);
	tui_doc_clear(&t->art);
	if (!item_art && !guide_art) {
		tui_doc_add_text(&t->art, ROLE_DIM, 0, "This pack has no art for this item.");
	} else {
		/* each side's heading as its first line, so they line up */
		const char *li = item_art ? item_art : "(no art for the item)";
		const char *gi = guide_art ? guide_art : "(no art in the guide)";
		size_t ll = strlen(li) + 32, gl = strlen(gi) + 32;
		char *l = malloc(ll), *g = malloc(gl);
		if (l && g) {
			snprintf(l, ll, "FOUND IN THE SHIPMENT\n\n%s", li);
			snprintf(g, gl, "THE GUIDE'S PICTURE\n\n%s", gi);
			art_side_by_side(&t->art, l, g);
		}
		free(l);
		free(g);
	}
	free(item_art);
	free(guide_art);
	t->ov = OV_ART;
}
