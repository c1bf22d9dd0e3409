/* screen_guide.c - the brand guide (like the WCO IPM): brands, their
 * products and features, importers, countries, routes, alerts, the rights
 * holder's contact and art; `/` searches brand, product and feature names.
 * Reachable with `g` from every exercise screen; Esc goes back. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "ipr-drill/text.h"

#define LIST_W 30

static const pack *gp(tui *t)
{
	return engine_pack(t->e);
}

static void push(tui_guide *g, unsigned char kind, size_t b, size_t p, size_t f)
{
	if (g->node_count == g->node_cap) {
		size_t cap = g->node_cap ? g->node_cap * 2 : 64;
		tui_guide_node *n = realloc(g->nodes, cap * sizeof *n);
		if (!n)
			return; /* the list is shorter; nothing else breaks */
		g->nodes = n;
		g->node_cap = cap;
	}
	g->nodes[g->node_count++] = (tui_guide_node){kind, b, p, f};
}

static void rebuild(tui *t)
{
	tui_guide *g = &t->guide;
	const pack *p = gp(t);

	g->node_count = 0;
	g->page_for = SIZE_MAX;
	for (size_t b = 0; b < p->brand_count; b++) {
		const pack_brand *br = &p->brands[b];
		if (!g->query[0]) {
			push(g, 0, b, 0, 0);
			if (g->brand_open == b)
				for (size_t k = 0; k < br->product_count; k++)
					push(g, 1, b, k, 0);
			continue;
		}
		if (tui_contains(br->name.text, g->query) || tui_contains(br->id.text, g->query))
			push(g, 0, b, 0, 0);
		for (size_t k = 0; k < br->product_count; k++) {
			const pack_product *pr = &br->products[k];
			if (tui_contains(pr->name.text, g->query))
				push(g, 1, b, k, 0);
			for (size_t f = 0; f < pr->feature_count; f++)
				if (tui_contains(pr->features[f].name.text, g->query))
					push(g, 2, b, k, f);
		}
	}
	if (g->cursor >= g->node_count)
		g->cursor = g->node_count ? g->node_count - 1 : 0;
}

static void list_strs(tui_doc *d, const char *label, const pack_strs *s)
{
	char buf[2048];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < s->count && used < sizeof buf; k++)
		used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", k ? "; " : "",
		                         s->items[k].text);
	tui_doc_add_kv(d, ROLE_NORMAL, 0, 21, label, s->count ? buf : "(not given)");
}

static void add_art(tui *t, tui_doc *d, const pack_str *art)
{
	char *text;

	if (!art->text)
		return;
	text = pack_read_art(gp(t), art, t->have_assets ? t->assets_dir : NULL);
	tui_doc_add_text(d, ROLE_NORMAL, 0, "");
	if (!text) {
		tui_doc_add(d, ROLE_DIM, 0, "(art %s could not be read)", art->text);
		return;
	}
	tui_doc_add_pre(d, ROLE_NORMAL, 0, text);
	free(text);
}

static void brand_page(tui *t, tui_doc *d, const pack_brand *br)
{
	tui_doc_add(d, ROLE_HEADER, 0, "%s", br->name.text);
	tui_doc_add_kv(d, ROLE_NORMAL, 0, 21, "Category", br->category.text);
	tui_doc_add_kv(d, ROLE_NORMAL, 0, 21, "Rights holder",
	               br->holder_name.text ? br->holder_name.text : "(not given)");
	tui_doc_add_kv(d, ROLE_NORMAL, 0, 21, "Contact",
	               br->holder_contact.text ? br->holder_contact.text : "(not given)");
	list_strs(d, "Authorised importers", &br->authorised_importers);
	list_strs(d, "Made in", &br->made_in);
	list_strs(d, "Genuine routes", &br->routes);
	if (br->notes.text) {
		tui_doc_add_text(d, ROLE_NORMAL, 0, "");
		tui_doc_add_text(d, ROLE_NORMAL, 0, br->notes.text);
	}
	tui_doc_add_text(d, ROLE_NORMAL, 0, "");
	tui_doc_add(d, ROLE_HEADER, 0, "Alerts (%zu)", br->alert_count);
	for (size_t a = 0; a < br->alert_count; a++)
		tui_doc_add(d, ROLE_EMPH, 2, "%s: %s",
		            br->alerts[a].date.text ? br->alerts[a].date.text : "undated",
		            br->alerts[a].text.text);
	tui_doc_add_text(d, ROLE_NORMAL, 0, "");
	tui_doc_add(d, ROLE_HEADER, 0, "Products (%zu; Enter opens the list)", br->product_count);
	for (size_t k = 0; k < br->product_count; k++)
		tui_doc_add(d, ROLE_NORMAL, 2, "%s", br->products[k].name.text);
	add_art(t, d, &br->art);
}

/* focus: the feature to scroll to (SIZE_MAX: none); its paragraph goes
 * to *focus_para. */
static void product_page(tui *t, tui_doc *d, const pack_brand *br, const pack_product *pr,
                         size_t focus, size_t *focus_para)
{
	char amt[64];

	tui_doc_add(d, ROLE_HEADER, 0, "%s \xc2\xb7 %s", br->name.text, pr->name.text);
	if (pr->retail_price.present) {
		tui_format_amount(pr->retail_price.amount.value, amt, sizeof amt);
		tui_doc_add(d, ROLE_NORMAL, 0, "Retail price: %s %s",
		            pr->retail_price.currency.text, amt);
	}
	list_strs(d, "Authorised importers", &br->authorised_importers);
	list_strs(d, "Made in", &br->made_in);
	for (size_t f = 0; f < pr->feature_count; f++) {
		const pack_feature *fe = &pr->features[f];
		tui_doc_add_text(d, ROLE_NORMAL, 0, "");
		if (f == focus)
			*focus_para = d->count;
		tui_doc_add_text(d, ROLE_HEADER, 0, fe->name.text);
		tui_doc_add(d, ROLE_GOOD, 2, "Genuine: %s", fe->genuine.text);
		if (fe->watch_for.text)
			tui_doc_add(d, ROLE_BAD, 2, "Watch for: %s", fe->watch_for.text);
	}
	add_art(t, d, &pr->art);
}

static void build_page(tui *t)
{
	tui_guide *g = &t->guide;
	const pack *p = gp(t);
	tui_doc *d = &g->page;

	tui_doc_clear(d);
	g->page_for = g->cursor;
	if (g->node_count == 0) {
		tui_doc_add_text(d, ROLE_DIM, 0,
		                 p->brand_count ? "Nothing matches the search."
		                                : "This pack has no brands.");
		return;
	}
	const tui_guide_node *n = &g->nodes[g->cursor];
	const pack_brand *br = &p->brands[n->brand];
	g->focus_para = SIZE_MAX;
	if (n->kind == 0)
		brand_page(t, d, br);
	else
		product_page(t, d, br, &br->products[n->product],
		             n->kind == 2 ? n->feature : SIZE_MAX, &g->focus_para);
}

void tui_guide_draw(tui *t)
{
	tui_guide *g = &t->guide;
	const pack *p = gp(t);
	int h = LINES - 5;

	tui_title_bar(t, "Brand guide");
	if (g->searching || g->query[0])
		tui_putf(t, 1, 0, COLS, g->searching ? ROLE_EMPH : ROLE_DIM, "Search: %s%s",
		         g->query,
		         g->searching ? "_" : "  (/ to change, Esc in the search clears it)");
	else
		tui_put(t, 1, 0, COLS, ROLE_DIM, false,
		        "Brands and products \xc2\xb7 / searches names");
	g->top = tui_scroll_to(g->top, g->cursor, (size_t)h);
	for (int r = 0; r < h && g->top + (size_t)r < g->node_count; r++) {
		size_t k = g->top + (size_t)r;
		const tui_guide_node *n = &g->nodes[k];
		const pack_brand *br = &p->brands[n->brand];
		char line[512];
		if (n->kind == 0)
			snprintf(line, sizeof line, "%s %s",
			         g->brand_open == n->brand && !g->query[0] ? "-" : "+",
			         br->name.text);
		else if (n->kind == 1)
			snprintf(line, sizeof line, "  %s", br->products[n->product].name.text);
		else
			snprintf(line, sizeof line, "  %s: %s", br->products[n->product].name.text,
			         br->products[n->product].features[n->feature].name.text);
		enum tui_role r2 =
		        k == g->cursor ? (g->pane_focus ? ROLE_CURSOR2 : ROLE_CURSOR) : ROLE_NORMAL;
		tui_put(t, 2 + r, 0, LIST_W, r2, true, line);
	}
	tui_vline(t, 2, LIST_W, h);
	if (g->page_for != g->cursor) {
		build_page(t);
		if (g->focus_para != SIZE_MAX) { /* a feature found by search */
			tui_doc_layout(&g->page, (size_t)(COLS - LIST_W - 4));
			g->page.top = tui_doc_row_of(&g->page, g->focus_para);
		}
	}
	tui_doc_draw(t, &g->page, 2, LIST_W + 2, h, COLS - LIST_W - 3);
}

void tui_open_guide(tui *t, size_t brand, size_t product)
{
	tui_guide *g = &t->guide;

	g->open = true;
	g->searching = false;
	if (brand == SIZE_MAX) {
		if (!g->nodes)
			rebuild(t);
		return;
	}
	g->query[0] = '\0';
	g->brand_open = brand;
	rebuild(t);
	for (size_t k = 0; k < g->node_count; k++) {
		const tui_guide_node *n = &g->nodes[k];
		if (n->brand == brand &&
		    (product == SIZE_MAX ? n->kind == 0 : (n->kind == 1 && n->product == product)))
			g->cursor = k;
	}
	g->page_for = SIZE_MAX;
}

void tui_guide_free(tui *t)
{
	tui_guide *g = &t->guide;

	free(g->nodes);
	tui_doc_free(&g->page);
	free(g->art);
	memset(g, 0, sizeof *g);
	g->brand_open = SIZE_MAX;
	g->page_for = SIZE_MAX;
}

static int search_key(tui *t, enum tui_action a, int key)
{
	tui_guide *g = &t->guide;

	switch (a) {
	case ACT_ENTER:
		g->searching = false;
		return TUI_R_NONE;
	case ACT_BACK:
		g->searching = false;
		g->query[0] = '\0';
		break;
	case ACT_ERASE:
		tui_utf8_erase_last(g->query);
		break;
	default:
		if (key > 0 && key < TUI_FKEY_BASE)
			tui_utf8_append(g->query, sizeof g->query, (unsigned long)key);
		break;
	}
	g->cursor = 0;
	rebuild(t);
	return TUI_R_NONE;
}

int tui_guide_key(tui *t, enum tui_action a, int key)
{
	tui_guide *g = &t->guide;
	int h = LINES - 5;

	if (g->searching)
		return search_key(t, a, key);
	if (g->pane_focus && tui_doc_scroll(&g->page, a, h))
		return TUI_R_NONE;
	if (tui_list_nav(&g->cursor, g->node_count, a, (size_t)h))
		return TUI_R_NONE;
	const tui_guide_node *n = g->cursor < g->node_count ? &g->nodes[g->cursor] : NULL;
	switch (a) {
	case ACT_BACK:
		g->open = false;
		break;
	case ACT_HELP:
		tui_help_open(t, KM_GUIDE);
		break;
	case ACT_TAB:
		g->pane_focus = !g->pane_focus;
		break;
	case ACT_SEARCH:
		g->searching = true;
		g->query[0] = '\0';
		g->cursor = 0;
		rebuild(t);
		break;
	case ACT_ENTER:
	case ACT_RIGHT:
		if (!n)
			break;
		if (n->kind == 0 && !g->query[0]) {
			size_t b = n->brand;
			g->brand_open = (g->brand_open == b && a == ACT_ENTER) ? SIZE_MAX : b;
			rebuild(t);
		} else {
			g->pane_focus = true;
		}
		break;
	case ACT_LEFT:
		if (g->pane_focus) {
			g->pane_focus = false;
		} else if (n && !g->query[0] && g->brand_open != SIZE_MAX) {
			size_t b = g->brand_open;
			g->brand_open = SIZE_MAX;
			rebuild(t);
			g->cursor = b;
		}
		break;
	default:
		break;
	}
	return TUI_R_NONE;
}
