/* screen_examine.c - examination of each selected shipment: its items on
 * the left; for the chosen item, every feature with the guide's text beside
 * what the officer sees once it is examined; evidence, verdicts, the art
 * and the action. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "ipr-drill/text.h"

#define LIST_W (COLS >= 120 ? 30 : 22)

typedef struct row {
	size_t ship; /* position in exam.ships */
	long item;   /* -1: the shipment's heading */
} row;

static size_t row_count(tui *t)
{
	size_t n = 0;
	const pack *p = engine_pack(t->e);

	for (size_t k = 0; k < t->exam.ship_count; k++)
		n += 1 + p->shipments[t->exam.ships[k]].item_count;
	return n;
}

static row row_at(tui *t, size_t r)
{
	const pack *p = engine_pack(t->e);

	for (size_t k = 0; k < t->exam.ship_count; k++) {
		size_t items = p->shipments[t->exam.ships[k]].item_count;
		if (r == 0)
			return (row){k, -1};
		if (r <= items)
			return (row){k, (long)r - 1};
		r -= items + 1;
	}
	return (row){0, -1};
}

static void build(tui *t)
{
	tui_exam *x = &t->exam;
	const pack *p = engine_pack(t->e);
	const size_t *order = engine_shipment_order(t->e);

	free(x->ships);
	memset(x, 0, sizeof *x);
	x->ships = malloc((p->shipment_count ? p->shipment_count : 1) * sizeof *x->ships);
	if (!x->ships)
		return;
	for (size_t k = 0; k < p->shipment_count; k++)
		if (engine_shipment(t->e, order[k])->examined)
			x->ships[x->ship_count++] = order[k];
	x->item = x->ship_count ? 1 : 0; /* the first item, below its heading */
	x->built = true;
}

void tui_exam_free(tui *t)
{
	free(t->exam.ships);
	memset(&t->exam, 0, sizeof t->exam);
}

static const char *verdict_mark(enum pack_verdict v)
{
	return v == PACK_VERDICT_GENUINE       ? "genuine"
	       : v == PACK_VERDICT_COUNTERFEIT ? "COUNTERFEIT"
	                                       : "?";
}

static bool all_verdicts(const engine_shipment_state *ss)
{
	for (size_t i = 0; i < ss->shipment->item_count; i++)
		if (ss->items[i].verdict == PACK_VERDICT_NONE)
			return false;
	return true;
}

static bool all_actions(tui *t)
{
	for (size_t k = 0; k < t->exam.ship_count; k++)
		if (!engine_shipment(t->e, t->exam.ships[k])->action)
			return false;
	return true;
}

static void draw_list(tui *t, int y, int h)
{
	tui_exam *x = &t->exam;
	size_t n = row_count(t);

	x->list_top = tui_scroll_to(x->list_top, x->item, (size_t)h);
	for (int r = 0; r < h && x->list_top + (size_t)r < n; r++) {
		size_t k = x->list_top + (size_t)r;
		row rw = row_at(t, k);
		const engine_shipment_state *ss = engine_shipment(t->e, x->ships[rw.ship]);
		char line[512], title[256];
		enum tui_role role = ROLE_NORMAL;
		if (rw.item < 0) {
			snprintf(line, sizeof line, "%s  %s", ss->shipment->id.text,
			         ss->action ? ss->action->name.text : "(no action)");
			role = ROLE_HEADER;
		} else {
			const engine_item_state *is = &ss->items[rw.item];
			tui_item_title(is->item, title, sizeof title);
			snprintf(line, sizeof line, " %ld %s", rw.item + 1, title);
			role = is->verdict == PACK_VERDICT_COUNTERFEIT ? ROLE_BAD
			       : is->verdict == PACK_VERDICT_GENUINE   ? ROLE_GOOD
			                                               : ROLE_NORMAL;
		}
		if (k == x->item)
			role = x->feature_focus ? ROLE_CURSOR2 : ROLE_CURSOR;
		bool judged = rw.item >= 0 && ss->items[rw.item].verdict != PACK_VERDICT_NONE;
		tui_put(t, y + r, 0, LIST_W - 1, role, true, "");
		tui_put(t, y + r, 0, judged ? LIST_W - 4 : LIST_W - 1, role, false, line);
		if (judged)
			tui_put(t, y + r, LIST_W - 3, 2, role, false,
			        ss->items[rw.item].verdict == PACK_VERDICT_GENUINE ? "G" : "C");
	}
}

static void shipment_summary(tui *t, int y, int x0, int h, int w, const engine_shipment_state *ss)
{
	const pack_shipment *s = ss->shipment;
	const pack_declaration *d = &s->declaration;
	tui_doc doc = {0};
	char amt[64], title[256];

	tui_doc_add(&doc, ROLE_HEADER, 0, "%s \xc2\xb7 %s \xc2\xb7 from %s", s->id.text,
	            pack_mode_name(s->mode), d->origin.text ? d->origin.text : "?");
	tui_doc_add(&doc, ROLE_NORMAL, 0, "Consignor  %s", d->consignor.text);
	tui_doc_add(&doc, ROLE_NORMAL, 0, "Consignee  %s", d->consignee.text);
	tui_doc_add(&doc, ROLE_NORMAL, 0, "Goods      %s", d->goods.text);
	if (d->value.present) {
		tui_format_amount(d->value.amount.value, amt, sizeof amt);
		tui_doc_add(&doc, ROLE_NORMAL, 0, "Value      %s %s", d->value.currency.text, amt);
	}
	tui_doc_add_text(&doc, ROLE_NORMAL, 0, "");
	for (size_t i = 0; i < s->item_count; i++) {
		const engine_item_state *is = &ss->items[i];
		tui_item_title(is->item, title, sizeof title);
		tui_doc_add(&doc, ROLE_NORMAL, 2, "Item %zu: %s x%lld \xe2\x80\x94 verdict: %s",
		            i + 1, title, is->item->quantity.present ? is->item->quantity.value : 1,
		            verdict_mark(is->verdict));
	}
	tui_doc_add_text(&doc, ROLE_NORMAL, 0, "");
	if (ss->action)
		tui_doc_add(&doc, ROLE_GOOD, 0, "Action: %s", ss->action->name.text);
	else if (all_verdicts(ss))
		tui_doc_add_text(&doc, ROLE_EMPH, 0,
		                 "Every item has its verdict: press a to choose the action.");
	else
		tui_doc_add_text(
		        &doc, ROLE_DIM, 0,
		        "Open an item (Down), examine its features, then judge it (G / C).");
	tui_doc_draw(t, &doc, y, x0, h, w);
	tui_doc_free(&doc);
}

/* Rows a feature block takes at width w: its title, then the taller of
 * the two wrapped columns. */
static size_t block_h(const char *left, const char *right, size_t cw)
{
	size_t a = tui_wrap_count(left, cw), b = tui_wrap_count(right, cw);
	return 1 + (a > b ? a : b) + 1;
}

static void feature_texts(const engine_feature_state *fs, char **left, char **right)
{
	char buf[4096];

	if (fs->guide)
		snprintf(buf, sizeof buf, "Guide: %s%s%s", fs->guide->genuine.text,
		         fs->guide->watch_for.text ? "\nWatch for: " : "",
		         fs->guide->watch_for.text ? fs->guide->watch_for.text : "");
	else
		snprintf(buf, sizeof buf, "Guide: (no guide entry for this feature)");
	*left = text_sanitize(buf, true);
	if (fs->examined)
		snprintf(buf, sizeof buf, "Seen: %s", fs->observed->text.text);
	else
		snprintf(buf, sizeof buf, "Seen: not examined yet (Enter examines it)");
	*right = text_sanitize(buf, true);
}

static void draw_col(tui *t, int y, int x, size_t cw, int maxh, const char *s, enum tui_role r)
{
	size_t pos = 0, len = strlen(s);
	int k = 0;

	do {
		tui_span sp;
		pos = tui_wrap_next(s, pos, cw, &sp);
		if (k < maxh)
			tui_put_span(t, y + k, x, (int)cw, r, s, sp);
		k++;
	} while (pos < len);
}

static void item_view(tui *t, int y, int x0, int h, int w, size_t s, long i)
{
	tui_exam *x = &t->exam;
	const engine_item_state *is = &engine_shipment(t->e, s)->items[i];
	char title[256];
	size_t cw = (size_t)(w - 3) / 2;

	tui_item_title(is->item, title, sizeof title);
	tui_putf(t, y, x0, w, ROLE_HEADER, "Item %ld: %s x%lld", i + 1, title,
	         is->item->quantity.present ? is->item->quantity.value : 1);
	if (is->verdict != PACK_VERDICT_NONE)
		tui_putf(t, y + 1, x0, w,
		         is->verdict == PACK_VERDICT_GENUINE ? ROLE_GOOD : ROLE_BAD,
		         "Verdict: %s \xc2\xb7 %zu feature(s) cited", verdict_mark(is->verdict),
		         is->cited_count);
	else
		tui_putf(t, y + 1, x0, w, ROLE_DIM,
		         "No verdict yet \xc2\xb7 %zu cited as evidence \xc2\xb7 G genuine, C "
		         "counterfeit%s",
		         is->cited_count, is->item->art.text ? " \xc2\xb7 v art" : "");
	if (is->item->description.text && is->item->product.text)
		tui_put(t, y + 2, x0, w, ROLE_NORMAL, false, is->item->description.text);
	int top = y + 3, avail = h - 3;
	if (is->feature_count == 0) {
		tui_put(t, top, x0, w, ROLE_DIM, false, "No features to examine on this item.");
		return;
	}
	if (x->feature >= is->feature_count)
		x->feature = is->feature_count - 1;
	/* keep the cursor's block on screen */
	if (x->feature < x->feat_top)
		x->feat_top = x->feature;
	for (;;) {
		size_t sum = 0;
		for (size_t f = x->feat_top; f <= x->feature; f++) {
			char *l, *r;
			feature_texts(&is->features[f], &l, &r);
			sum += (l && r) ? block_h(l, r, cw) : 2;
			free(l);
			free(r);
		}
		if (sum <= (size_t)avail || x->feat_top >= x->feature)
			break;
		x->feat_top++;
	}
	for (size_t f = x->feat_top; f < is->feature_count && top < y + h; f++) {
		const engine_feature_state *fs = &is->features[f];
		char *l, *r, head[512];
		bool cur = f == x->feature;
		const char *name = fs->guide ? fs->guide->name.text : fs->observed->key.text;
		snprintf(head, sizeof head, "%s %s%s%s", cur ? ">" : " ", name,
		         fs->examined ? "  [examined]" : "", fs->cited ? "  [EVIDENCE]" : "");
		tui_put(t, top, x0, w,
		        cur ? (x->feature_focus ? ROLE_CURSOR : ROLE_CURSOR2) : ROLE_EMPH, true,
		        head);
		feature_texts(fs, &l, &r);
		if (l && r) {
			size_t bh = block_h(l, r, cw) - 2;
			int room = y + h - top - 1;
			draw_col(t, top + 1, x0 + 2, cw, room, l, ROLE_NORMAL);
			draw_col(t, top + 1, x0 + 3 + (int)cw, cw - 1, room, r,
			         fs->examined ? ROLE_NORMAL : ROLE_DIM);
			top += (int)bh + 2;
		} else {
			top += 2;
		}
		free(l);
		free(r);
	}
}

void tui_exam_draw(tui *t)
{
	tui_exam *x = &t->exam;
	int h = LINES - 5;

	if (!x->built)
		build(t);
	tui_title_bar(t, "Examination");
	if (x->ship_count == 0) {
		tui_put(t, 2, 2, COLS - 4, ROLE_DIM, false,
		        "No shipment was selected for examination.");
		return;
	}
	if (all_actions(t))
		tui_put(t, 1, 0, COLS, ROLE_EMPH, false,
		        "Every examined shipment has its action: press D to end the examination.");
	else
		tui_putf(t, 1, 0, COLS, ROLE_DIM,
		         "%zu shipment%s to examine \xc2\xb7 Tab: items / features", x->ship_count,
		         x->ship_count == 1 ? "" : "s");
	draw_list(t, 2, h);
	tui_vline(t, 2, LIST_W - 1, h);
	row rw = row_at(t, x->item);
	size_t s = x->ships[rw.ship];
	if (rw.item < 0)
		shipment_summary(t, 2, LIST_W + 1, h, COLS - LIST_W - 2, engine_shipment(t->e, s));
	else
		item_view(t, 2, LIST_W + 1, h, COLS - LIST_W - 2, s, rw.item);
}

int tui_exam_key(tui *t, enum tui_action a)
{
	tui_exam *x = &t->exam;

	if (!x->built)
		build(t);
	if (x->ship_count == 0) {
		if (a == ACT_DONE)
			tui_after(t, engine_end_examination(t->e));
		return TUI_R_NONE;
	}
	row rw = row_at(t, x->item);
	size_t s = x->ships[rw.ship];
	const engine_shipment_state *ss = engine_shipment(t->e, s);
	const engine_item_state *is = rw.item >= 0 ? &ss->items[rw.item] : NULL;
	size_t fcount = is ? is->feature_count : 0;

	if (x->feature_focus && is) {
		if (tui_list_nav(&x->feature, fcount, a, 3))
			return TUI_R_NONE;
	} else {
		size_t before = x->item;
		if (tui_list_nav(&x->item, row_count(t), a, (size_t)(LINES - 5))) {
			if (x->item != before) {
				x->feature = 0;
				x->feat_top = 0;
			}
			return TUI_R_NONE;
		}
	}
	switch (a) {
	case ACT_TAB:
		x->feature_focus = is && !x->feature_focus;
		break;
	case ACT_ENTER:
		if (!is)
			break;
		if (!x->feature_focus) {
			x->feature_focus = true;
			break;
		}
		if (x->feature < fcount)
			tui_after(t, engine_examine(t->e, s, (size_t)rw.item, x->feature));
		break;
	case ACT_CITE:
		if (!is || x->feature >= fcount)
			break;
		if (is->features[x->feature].cited)
			tui_after(t, engine_uncite(t->e, s, (size_t)rw.item, x->feature));
		else
			tui_after(t, engine_cite(t->e, s, (size_t)rw.item, x->feature));
		break;
	case ACT_GENUINE:
	case ACT_COUNTERFEIT: {
		char title[256];
		if (!is) {
			tui_set_status(t, true, "Choose an item first (Down).");
			break;
		}
		if (is->verdict != PACK_VERDICT_NONE) {
			tui_after(t, ENGINE_E_ALREADY_ANSWERED);
			break;
		}
		tui_item_title(is->item, title, sizeof title);
		t->confirm.s = s;
		t->confirm.i = (size_t)rw.item;
		tui_ask(t, a == ACT_GENUINE ? CONF_GENUINE : CONF_COUNTERFEIT,
		        "Judge item %ld of %s (%s) %s? %zu feature(s) cited as evidence. A verdict "
		        "is "
		        "final.",
		        rw.item + 1, ss->shipment->id.text, title,
		        a == ACT_GENUINE ? "GENUINE" : "COUNTERFEIT", is->cited_count);
		break;
	}
	case ACT_ACTION:
		if (ss->action) {
			tui_after(t, ENGINE_E_ALREADY_ANSWERED);
		} else if (!all_verdicts(ss)) {
			tui_after(t, ENGINE_E_INCOMPLETE);
		} else {
			tui_picker_open(t, OV_ACTIONS, s);
		}
		break;
	case ACT_ART:
		if (is)
			tui_art_open(t, s, (size_t)rw.item);
		break;
	case ACT_GUIDE:
		if (is && is->item->brand) {
			int b = tui_find_brand(engine_pack(t->e), is->item->brand);
			size_t pidx = SIZE_MAX;
			if (b >= 0 && is->item->product_ref)
				pidx = (size_t)(is->item->product_ref - is->item->brand->products);
			tui_open_guide(t, b >= 0 ? (size_t)b : SIZE_MAX, b >= 0 ? pidx : SIZE_MAX);
		} else {
			tui_open_guide(t, SIZE_MAX, SIZE_MAX);
		}
		break;
	case ACT_DONE:
		if (!all_actions(t))
			tui_after(t, ENGINE_E_INCOMPLETE);
		else
			tui_ask(t, CONF_END_EXAM,
			        "End the examination%s? Verdicts and actions cannot be changed "
			        "afterwards.",
			        engine_pack(t->e)->question_count ? " and go on to the questions"
			                                          : "");
		break;
	default:
		break;
	}
	return TUI_R_NONE;
}
