/* validate.c - the rules that need the whole model: unique ids, references
 * between nodes, answer-key consistency, and paths to art files. */
#include "internal.h"
#include "ipr-drill/text.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- unique ids ---- */

struct id_ref {
	const pack_str *s;
	const char *file;
};

static int cmp_str_ptr(const void *a, const void *b)
{
	const pack_str *x = ((const struct id_ref *)a)->s, *y = ((const struct id_ref *)b)->s;
	int c = strcmp(x->text, y->text);
	if (c)
		return c;
	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	return x->pos.column < y->pos.column ? -1 : (x->pos.column > y->pos.column);
}

/* Reports every id of the list (count entries, stride bytes apart, the id
 * at offset) that repeats an earlier one. */
static void check_unique(struct load_ctx *ctx, const void *base, size_t count, size_t stride,
                         size_t offset, size_t file_offset, const char *what)
{
	struct id_ref *ids;
	size_t n = 0;

	if (count < 2)
		return;
	ids = malloc(count * sizeof(*ids));
	if (!ids) {
		ctx->diags->out_of_memory = true;
		return;
	}
	for (size_t i = 0; i < count; i++) {
		const char *entry = (const char *)base + i * stride;
		const pack_str *s = (const pack_str *)(entry + offset);
		if (s->text) {
			ids[n].s = s;
			ids[n++].file = file_offset == SIZE_MAX
			                        ? ctx->file
			                        : *(const char *const *)(entry + file_offset);
		}
	}
	qsort(ids, n, sizeof(*ids), cmp_str_ptr);
	for (size_t i = 1, first = 0; i < n; i++) {
		if (strcmp(ids[i].s->text, ids[first].s->text) != 0)
			first = i; /* a new run of equal ids starts */
		else
			ctx_diag(ctx, PACK_ERROR, ids[i].file, &ids[i].s->pos,
			         "duplicate %s id '%s' (first used at %s:%u)", what, ids[i].s->text,
			         ids[first].file, ids[first].s->pos.line);
	}
	free(ids);
}

#define UNIQUE(ctx, arr, n, type, member, what)                                                    \
	check_unique(ctx, arr, n, sizeof(type), offsetof(type, member), SIZE_MAX, what)

/* ---- "did you mean" over ids ---- */

/* Reports that ref names nothing in ids[]; suggests the nearest id. */
static void unknown_ref(struct load_ctx *ctx, const pack_str *ref, const char *what,
                        const char **ids, size_t n, const char *where)
{
	const char *hint = nearest_word(ref->text, ids, n);
	if (hint)
		ctx_diag(ctx, PACK_ERROR, ctx->file, &ref->pos,
		         "unknown %s '%s'%s; did you mean '%s'?", what, ref->text, where, hint);
	else
		ctx_diag(ctx, PACK_ERROR, ctx->file, &ref->pos, "unknown %s '%s'%s", what,
		         ref->text, where);
}

/* A malloc'd array of the ids of a list (count entries, stride apart). */
static const char **collect_ids(struct load_ctx *ctx, const void *base, size_t count, size_t stride,
                                size_t offset, size_t *n)
{
	const char **ids = malloc((count + 1) * sizeof(*ids));
	*n = 0;
	if (!ids) {
		ctx->diags->out_of_memory = true;
		return NULL;
	}
	for (size_t i = 0; i < count; i++) {
		const pack_str *s = (const pack_str *)((const char *)base + i * stride + offset);
		if (s->text)
			ids[(*n)++] = s->text;
	}
	return ids;
}

/* ---- art ---- */

/* root/rel when it exists as a regular file inside root; malloc'd. */
static char *try_art(const char *root, const char *rel)
{
	struct stat st;
	char *path;

	if (!root)
		return NULL;
	path = path_join(root, rel);
	if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode) && path_inside(path, root))
		return path;
	free(path);
	return NULL;
}

char *art_resolve(const char *node_file, const char *rel, const char *assets_dir,
                  const char *pack_dir)
{
	char *dir, *path, *sibling;

	if (!rel || !path_stays_inside(rel))
		return NULL;
	dir = path_dirname(node_file);
	path = try_art(dir, rel);
	free(dir);
	if (!path)
		path = try_art(assets_dir, rel);
	/* The installed and source layouts keep assets/ beside scenarios/, and
	 * brand libraries one folder further down in scenarios/brands/. */
	static const char *const siblings[] = {"../assets", "../../assets"};
	for (size_t i = 0; !path && pack_dir && i < 2; i++) {
		if ((sibling = path_join(pack_dir, siblings[i])) != NULL) {
			path = try_art(sibling, rel);
			free(sibling);
		}
	}
	return path;
}

/* Checks an art file's text: UTF-8, no control characters but newline and
 * tab, at most 20 rows of 60 columns. */
static void check_art_text(struct load_ctx *ctx, const pack_str *art, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0, rows = 0;
	ssize_t n;

	if (!f) {
		ctx_diag(ctx, PACK_ERROR, ctx->file, &art->pos, "cannot read art file '%s'",
		         art->text);
		return;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		rows++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!text_utf8_valid(line, (size_t)n)) {
			ctx_diag(ctx, PACK_ERROR, ctx->file, &art->pos,
			         "art file '%s' line %zu is not UTF-8", art->text, rows);
			break;
		}
		if (text_find_control(line, (size_t)n, true) >= 0) {
			ctx_diag(ctx, PACK_ERROR, ctx->file, &art->pos,
			         "art file '%s' line %zu holds a control character", art->text,
			         rows);
			break;
		}
		size_t cols = text_width(line);
		if (cols > PACK_ART_MAX_COLUMNS) {
			ctx_diag(ctx, PACK_ERROR, ctx->file, &art->pos,
			         "art file '%s' line %zu is %zu columns wide; the most is %d",
			         art->text, rows, cols, PACK_ART_MAX_COLUMNS);
			break;
		}
	}
	if (rows > PACK_ART_MAX_ROWS)
		ctx_diag(ctx, PACK_ERROR, ctx->file, &art->pos,
		         "art file '%s' has %zu rows; the most is %d", art->text, rows,
		         PACK_ART_MAX_ROWS);
	free(line);
	fclose(f);
}

static void check_art(struct load_ctx *ctx, const pack_str *art)
{
	const char *assets = ctx->opts ? ctx->opts->assets_dir : NULL;
	char *path;

	if (!art->text)
		return;
	if (!path_stays_inside(art->text)) {
		ctx_diag(ctx, PACK_ERROR, ctx->file, &art->pos,
		         "art path '%s' must be relative and stay inside the assets folder or the "
		         "pack's folder",
		         art->text);
		return;
	}
	path = art_resolve(ctx->file, art->text, assets, ctx->p->base_dir);
	if (!path) {
		ctx_diag(ctx, PACK_ERROR, ctx->file, &art->pos,
		         "art file '%s' not found beside the pack nor in the assets folder",
		         art->text);
		return;
	}
	if (ctx->opts && ctx->opts->check_art)
		check_art_text(ctx, art, path);
	free(path);
}

/* ---- brands ---- */

static void check_money(struct load_ctx *ctx, const pack_money *m, const char *what)
{
	if (m->amount.present && m->amount.value < 0)
		ctx_diag(ctx, PACK_ERROR, ctx->file, &m->amount.pos,
		         "%s amount must not be negative", what);
}

static void check_brands(struct load_ctx *ctx, const pack *p)
{
	check_unique(ctx, p->brands, p->brand_count, sizeof(pack_brand), offsetof(pack_brand, id),
	             offsetof(pack_brand, file), "brand");
	for (size_t b = 0; b < p->brand_count; b++) {
		const pack_brand *brand = &p->brands[b];
		ctx->file = brand->file; /* a brand may come from an included library */
		UNIQUE(ctx, brand->products, brand->product_count, pack_product, id, "product");
		check_art(ctx, &brand->art);
		for (size_t i = 0; i < brand->product_count; i++) {
			const pack_product *prod = &brand->products[i];
			UNIQUE(ctx, prod->features, prod->feature_count, pack_feature, id,
			       "feature");
			check_money(ctx, &prod->retail_price, "retail_price");
			check_art(ctx, &prod->art);
		}
	}
}

/* ---- shipments ---- */

struct id_lists {
	const char **indicators, **actions, **brands;
	size_t indicator_count, action_count, brand_count;
	const pack_brand **by_id; /* brands sorted by id, for lookups per item */
};

static int cmp_brand_ptr(const void *a, const void *b)
{
	const pack_brand *x = *(const pack_brand *const *)a, *y = *(const pack_brand *const *)b;
	return strcmp(x->id.text ? x->id.text : "", y->id.text ? y->id.text : "");
}

static int cmp_brand_key(const void *key, const void *elem)
{
	const pack_brand *b = *(const pack_brand *const *)elem;
	return strcmp(key, b->id.text ? b->id.text : "");
}

/* A pack may have hundreds of brands and tens of thousands of items. */
static const pack_brand *find_brand(const struct id_lists *ids, size_t n, const char *id)
{
	const pack_brand *const *hit =
	        bsearch(id, ids->by_id, n, sizeof(*ids->by_id), cmp_brand_key);
	return hit ? *hit : NULL;
}

/* Resolves "brand/product" and reports what does not exist. */
static void resolve_product(struct load_ctx *ctx, const struct id_lists *ids, pack_item *item)
{
	const char *ref = item->product.text;
	const char *slash = strchr(ref, '/');
	char brand_id[PACK_SLUG_MAX + 1];

	if (!slash || strchr(slash + 1, '/') || slash == ref || !slash[1] ||
	    (size_t)(slash - ref) > PACK_SLUG_MAX) {
		ctx_diag(ctx, PACK_ERROR, ctx->file, &item->product.pos,
		         "product '%s' must be written brand-id/product-id", ref);
		return;
	}
	memcpy(brand_id, ref, (size_t)(slash - ref));
	brand_id[slash - ref] = '\0';
	item->brand = find_brand(ids, ctx->p->brand_count, brand_id);
	if (!item->brand) {
		pack_str b = {brand_id, item->product.pos};
		unknown_ref(ctx, &b, "brand", ids->brands, ids->brand_count,
		            " in product reference");
		return;
	}
	item->product_ref = pack_find_product(item->brand, slash + 1);
	if (!item->product_ref) {
		size_t n;
		const char **prods =
		        collect_ids(ctx, item->brand->products, item->brand->product_count,
		                    sizeof(pack_product), offsetof(pack_product, id), &n);
		pack_str pr = {slash + 1, item->product.pos};
		unknown_ref(ctx, &pr, "product", prods, n, " of this brand");
		free(prods);
	}
}

/* The feature whose name (not id) is within a typo of word, ignoring case
 * and spaces: authors often write the name where the id belongs. */
static const pack_feature *feature_by_name(const pack_product *prod, const char *word)
{
	for (size_t i = 0; i < prod->feature_count; i++) {
		const char *name = prod->features[i].name.text;
		char folded[PACK_SLUG_MAX + 1];
		size_t n = 0;
		for (; name && *name && n < PACK_SLUG_MAX; name++)
			if (*name != ' ')
				folded[n++] = (char)tolower((unsigned char)*name);
		folded[n] = '\0';
		const char *candidate = folded;
		if (nearest_word(word, &candidate, 1))
			return &prod->features[i];
	}
	return NULL;
}

static void check_observed(struct load_ctx *ctx, const pack_item *item)
{
	const pack_product *prod = item->product_ref;

	if (!prod)
		return;
	for (size_t i = 0; i < item->observed_count; i++) {
		const pack_str *key = &item->observed[i].key;
		if (pack_find_feature(prod, key->text))
			continue;
		/* Only a wrong key pays for the hint's candidate list. */
		const pack_feature *by_name = feature_by_name(prod, key->text);
		if (by_name) {
			ctx_diag(ctx, PACK_ERROR, ctx->file, &key->pos,
			         "unknown feature '%s' for this product; did you mean '%s'? (its "
			         "name is %s)",
			         key->text, by_name->id.text, by_name->name.text);
			continue;
		}
		size_t n;
		const char **features =
		        collect_ids(ctx, prod->features, prod->feature_count, sizeof(pack_feature),
		                    offsetof(pack_feature, id), &n);
		if (features)
			unknown_ref(ctx, key, "feature", features, n, " for this product");
		free(features);
	}
}

static void check_evidence(struct load_ctx *ctx, const pack_item *item)
{
	const pack_strs *ev = &item->evidence;

	if (item->verdict == PACK_VERDICT_GENUINE && ev->pos.line) {
		ctx_diag(ctx, PACK_ERROR, ctx->file, &ev->pos,
		         "a genuine item has no evidence: remove 'evidence' or make the verdict "
		         "counterfeit");
		return;
	}
	if (item->verdict == PACK_VERDICT_COUNTERFEIT && ev->count == 0) {
		const pack_pos *pos = ev->pos.line ? &ev->pos : &item->verdict_pos;
		ctx_diag(ctx, PACK_ERROR, ctx->file, pos,
		         "a counterfeit item needs 'evidence': the observed features that give it "
		         "away");
	}
	UNIQUE(ctx, ev->items, ev->count, pack_str, text, "evidence");
	for (size_t i = 0; i < ev->count; i++) {
		bool found = false;
		const char *keys[64];
		size_t n = 0;
		for (size_t o = 0; o < item->observed_count; o++) {
			if (!strcmp(item->observed[o].key.text, ev->items[i].text))
				found = true;
			if (n < 64)
				keys[n++] = item->observed[o].key.text;
		}
		if (!found)
			unknown_ref(ctx, &ev->items[i], "evidence feature", keys, n,
			            " (evidence must name a feature in 'observed')");
	}
}

static void check_item(struct load_ctx *ctx, const struct id_lists *ids, pack_item *item)
{
	if (!item->product.text && !item->description.text) {
		ctx_diag(ctx, PACK_ERROR, ctx->file, &item->pos,
		         "item needs 'product' (brand-id/product-id) or 'description'");
		return;
	}
	if (item->product.text)
		resolve_product(ctx, ids, item);
	else if (item->observed_count)
		ctx_diag(ctx, PACK_ERROR, ctx->file, &item->observed[0].key.pos,
		         "an unbranded item has no guide features to observe: give it a 'product' "
		         "or remove 'observed'");
	if (item->quantity.present && item->quantity.value < 1)
		ctx_diag(ctx, PACK_ERROR, ctx->file, &item->quantity.pos,
		         "quantity must be at least 1");
	check_observed(ctx, item);
	check_evidence(ctx, item);
	check_art(ctx, &item->art);
	if (item->verdict == PACK_VERDICT_COUNTERFEIT && !item->explain.text)
		ctx_diag(ctx, PACK_WARNING, ctx->file, &item->pos,
		         "counterfeit item has no 'explain': the debrief will not say why");
}

static void check_shipment(struct load_ctx *ctx, const struct id_lists *ids, pack_shipment *s)
{
	const pack_declaration *d = &s->declaration;

	UNIQUE(ctx, s->indicators, s->indicator_count, pack_keyed_text, key, "indicator");
	for (size_t i = 0; i < s->indicator_count; i++) {
		const pack_str *id = &s->indicators[i].key;
		if (id->text && !pack_find_indicator(ctx->p, id->text))
			unknown_ref(ctx, id, "indicator", ids->indicators, ids->indicator_count,
			            "");
	}
	if (s->action.text && !pack_find_action(ctx->p, s->action.text))
		unknown_ref(ctx, &s->action, "action", ids->actions, ids->action_count, "");
	check_money(ctx, &d->value, "value");
	if (d->packages.present && d->packages.value < 0)
		ctx_diag(ctx, PACK_ERROR, ctx->file, &d->packages.pos,
		         "packages must not be negative");
	if (d->gross_kg.present && d->gross_kg.value < 0)
		ctx_diag(ctx, PACK_ERROR, ctx->file, &d->gross_kg.pos,
		         "gross_kg must not be negative");
	for (size_t i = 0; i < s->item_count; i++)
		check_item(ctx, ids, (pack_item *)&s->contents[i]);
}

/* ---- questions ---- */

static void check_question(struct load_ctx *ctx, const pack_question *q)
{
	size_t correct = 0;

	if (q->choice_count == 1)
		ctx_diag(ctx, PACK_ERROR, ctx->file, &q->choices[0].pos,
		         "a question needs at least two choices");
	for (size_t i = 0; i < q->choice_count; i++)
		correct += q->choices[i].correct.present && q->choices[i].correct.value;
	if (q->choice_count && !correct)
		ctx_diag(ctx, PACK_ERROR, ctx->file, &q->choices[0].pos,
		         "question '%s' has no correct choice: mark at least one 'correct: true'",
		         q->id.text ? q->id.text : "?");
	if (!q->explain.text)
		ctx_diag(ctx, PACK_WARNING, ctx->file, &q->pos,
		         "question has no 'explain': the trainee will not learn why");
}

/* ---- the pack ---- */

static void check_own_catalog(struct load_ctx *ctx, const pack_indicator *list, size_t n,
                              const char *what, bool actions)
{
	size_t count;
	const pack_indicator *builtin =
	        actions ? pack_builtin_actions(&count) : pack_builtin_indicators(&count);

	for (size_t i = 0; i < n; i++) {
		const pack_str *id = &list[i].id;
		for (size_t b = 0; id->text && b < count; b++)
			if (!strcmp(builtin[b].id.text, id->text))
				ctx_diag(ctx, PACK_ERROR, ctx->file, &id->pos,
				         "%s id '%s' is built in; choose another id", what,
				         id->text);
	}
	check_unique(ctx, list, n, sizeof(pack_indicator), offsetof(pack_indicator, id), SIZE_MAX,
	             what);
}

/* Built-in and pack ids, for "did you mean" hints. */
static bool make_id_lists(struct load_ctx *ctx, struct id_lists *ids)
{
	const pack *p = ctx->p;
	size_t nb_ind, nb_act, n;
	const pack_indicator *bi = pack_builtin_indicators(&nb_ind);
	const pack_action *ba = pack_builtin_actions(&nb_act);

	memset(ids, 0, sizeof(*ids));
	ids->indicators = malloc((nb_ind + p->indicator_count + 1) * sizeof(char *));
	ids->actions = malloc((nb_act + p->action_count + 1) * sizeof(char *));
	ids->brands = collect_ids(ctx, p->brands, p->brand_count, sizeof(pack_brand),
	                          offsetof(pack_brand, id), &ids->brand_count);
	ids->by_id = malloc((p->brand_count + 1) * sizeof(*ids->by_id));
	if (!ids->indicators || !ids->actions || !ids->brands || !ids->by_id) {
		ctx->diags->out_of_memory = true;
		return false;
	}
	for (n = 0; n < p->brand_count; n++)
		ids->by_id[n] = &p->brands[n];
	qsort(ids->by_id, p->brand_count, sizeof(*ids->by_id), cmp_brand_ptr);
	for (n = 0; n < nb_ind; n++)
		ids->indicators[ids->indicator_count++] = bi[n].id.text;
	for (n = 0; n < p->indicator_count; n++)
		if (p->indicators[n].id.text)
			ids->indicators[ids->indicator_count++] = p->indicators[n].id.text;
	for (n = 0; n < nb_act; n++)
		ids->actions[ids->action_count++] = ba[n].id.text;
	for (n = 0; n < p->action_count; n++)
		if (p->actions[n].id.text)
			ids->actions[ids->action_count++] = p->actions[n].id.text;
	return true;
}

void validate_pack(struct load_ctx *ctx)
{
	pack *p = ctx->p;
	struct id_lists ids;
	pack_pos top = p->pos.line ? p->pos : (pack_pos){1, 1};

	ctx->file = p->path;
	check_brands(ctx, p);
	ctx->file = p->path;
	if (p->is_library)
		return;
	if (p->shipment_count == 0 && p->question_count == 0)
		ctx_diag(ctx, PACK_ERROR, ctx->file, &top,
		         "a pack needs at least one shipment or one question");
	if (p->estimated_minutes.present && p->estimated_minutes.value < 1)
		ctx_diag(ctx, PACK_ERROR, ctx->file, &p->estimated_minutes.pos,
		         "estimated_minutes must be at least 1");
	check_own_catalog(ctx, p->indicators, p->indicator_count, "indicator", false);
	check_own_catalog(ctx, p->actions, p->action_count, "action", true);
	if (p->settings.inspections > 0 && (size_t)p->settings.inspections > p->shipment_count &&
	    p->shipment_count > 0)
		ctx_diag(ctx, PACK_WARNING, ctx->file, &p->settings.pos,
		         "inspections (%lld) is more than the %zu shipments: the budget limits "
		         "nothing",
		         p->settings.inspections, p->shipment_count);

	if (make_id_lists(ctx, &ids)) {
		UNIQUE(ctx, p->shipments, p->shipment_count, pack_shipment, id, "shipment");
		for (size_t i = 0; i < p->shipment_count; i++)
			check_shipment(ctx, &ids, (pack_shipment *)&p->shipments[i]);
	}
	free(ids.indicators);
	free(ids.actions);
	free(ids.brands);
	free(ids.by_id);

	UNIQUE(ctx, p->questions, p->question_count, pack_question, id, "question");
	for (size_t i = 0; i < p->question_count; i++)
		check_question(ctx, &p->questions[i]);
}
