/* schema.c - the tables that map pack format 1 onto the model, and the
 * checks on single scalars (slugs, codes, dates, paths). */
#include "internal.h"

#include "iso_codes.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const mode_names[] = {"sea",  "air",     "road",      "rail",
                                         "post", "express", "passenger", NULL};
static const char *const verdict_names[] = {"none", "genuine", "counterfeit", NULL};

const char *const *schema_mode_names(void)
{
	return mode_names;
}

/* ---- leaf mappings ---- */

static const struct field money_fields[] = {
        {.key = "amount", .kind = K_NUM, .offset = offsetof(pack_money, amount), .required = true},
        {.key = "currency",
         .kind = K_CURRENCY,
         .offset = offsetof(pack_money, currency),
         .required = true},
};
const struct schema schema_money = {"money", sizeof(pack_money), offsetof(pack_money, pos),
                                    money_fields, COUNT(money_fields)};

static const struct field indicator_fields[] = {
        {.key = "id", .kind = K_SLUG, .offset = offsetof(pack_indicator, id), .required = true},
        {.key = "name", .kind = K_TEXT, .offset = offsetof(pack_indicator, name), .required = true},
        {.key = "description",
         .kind = K_TEXT,
         .offset = offsetof(pack_indicator, description),
         .required = true},
};
static const struct schema schema_indicator = {"indicator", sizeof(pack_indicator),
                                               offsetof(pack_indicator, pos), indicator_fields,
                                               COUNT(indicator_fields)};
static const struct schema schema_action = {"action", sizeof(pack_action),
                                            offsetof(pack_action, pos), indicator_fields,
                                            COUNT(indicator_fields)};

static const struct field feature_fields[] = {
        {.key = "id", .kind = K_SLUG, .offset = offsetof(pack_feature, id), .required = true},
        {.key = "name", .kind = K_TEXT, .offset = offsetof(pack_feature, name), .required = true},
        {.key = "genuine",
         .kind = K_TEXT,
         .offset = offsetof(pack_feature, genuine),
         .required = true},
        {.key = "watch_for", .kind = K_TEXT, .offset = offsetof(pack_feature, watch_for)},
};
static const struct schema schema_feature = {"feature", sizeof(pack_feature),
                                             offsetof(pack_feature, pos), feature_fields,
                                             COUNT(feature_fields)};

static const struct field product_fields[] = {
        {.key = "id", .kind = K_SLUG, .offset = offsetof(pack_product, id), .required = true},
        {.key = "name", .kind = K_TEXT, .offset = offsetof(pack_product, name), .required = true},
        {.key = "retail_price",
         .kind = K_MAP,
         .offset = offsetof(pack_product, retail_price),
         .child = &schema_money},
        {.key = "art", .kind = K_PATH, .offset = offsetof(pack_product, art)},
        {.key = "features",
         .kind = K_SEQ_MAP,
         .offset = offsetof(pack_product, features),
         .aux_offset = offsetof(pack_product, feature_count),
         .child = &schema_feature,
         .required = true},
};
static const struct schema schema_product = {"product", sizeof(pack_product),
                                             offsetof(pack_product, pos), product_fields,
                                             COUNT(product_fields)};

static const struct field alert_fields[] = {
        {.key = "date", .kind = K_DATE, .offset = offsetof(pack_alert, date), .required = true},
        {.key = "text", .kind = K_TEXT, .offset = offsetof(pack_alert, text), .required = true},
};
static const struct schema schema_alert = {"alert", sizeof(pack_alert), offsetof(pack_alert, pos),
                                           alert_fields, COUNT(alert_fields)};

/* rights_holder's keys land in the brand itself (K_INLINE). */
static const struct field holder_fields[] = {
        {.key = "name",
         .kind = K_TEXT,
         .offset = offsetof(pack_brand, holder_name),
         .required = true},
        {.key = "contact",
         .kind = K_TEXT,
         .offset = offsetof(pack_brand, holder_contact),
         .required = true},
};
static const struct schema schema_holder = {"rights_holder", sizeof(pack_brand), SIZE_MAX,
                                            holder_fields, COUNT(holder_fields)};

static const struct field brand_fields[] = {
        {.key = "id", .kind = K_SLUG, .offset = offsetof(pack_brand, id), .required = true},
        {.key = "name", .kind = K_TEXT, .offset = offsetof(pack_brand, name), .required = true},
        {.key = "category",
         .kind = K_SLUG,
         .offset = offsetof(pack_brand, category),
         .required = true},
        {.key = "rights_holder", .kind = K_INLINE, .child = &schema_holder},
        {.key = "authorised_importers",
         .kind = K_SEQ_STR,
         .offset = offsetof(pack_brand, authorised_importers),
         .item_kind = K_TEXT},
        {.key = "made_in",
         .kind = K_SEQ_STR,
         .offset = offsetof(pack_brand, made_in),
         .item_kind = K_COUNTRY},
        {.key = "routes",
         .kind = K_SEQ_STR,
         .offset = offsetof(pack_brand, routes),
         .item_kind = K_TEXT},
        {.key = "alerts",
         .kind = K_SEQ_MAP,
         .offset = offsetof(pack_brand, alerts),
         .aux_offset = offsetof(pack_brand, alert_count),
         .child = &schema_alert},
        {.key = "notes", .kind = K_TEXT, .offset = offsetof(pack_brand, notes)},
        {.key = "art", .kind = K_PATH, .offset = offsetof(pack_brand, art)},
        {.key = "products",
         .kind = K_SEQ_MAP,
         .offset = offsetof(pack_brand, products),
         .aux_offset = offsetof(pack_brand, product_count),
         .child = &schema_product,
         .required = true},
};
static const struct schema schema_brand = {"brand", sizeof(pack_brand), offsetof(pack_brand, pos),
                                           brand_fields, COUNT(brand_fields)};

/* ---- shipments ---- */

static const struct field declaration_fields[] = {
        {.key = "consignor",
         .kind = K_TEXT,
         .offset = offsetof(pack_declaration, consignor),
         .required = true},
        {.key = "consignee",
         .kind = K_TEXT,
         .offset = offsetof(pack_declaration, consignee),
         .required = true},
        {.key = "goods",
         .kind = K_TEXT,
         .offset = offsetof(pack_declaration, goods),
         .required = true},
        {.key = "origin", .kind = K_COUNTRY, .offset = offsetof(pack_declaration, origin)},
        {.key = "route",
         .kind = K_SEQ_STR,
         .offset = offsetof(pack_declaration, route),
         .item_kind = K_TEXT},
        {.key = "hs_code", .kind = K_TEXT, .offset = offsetof(pack_declaration, hs_code)},
        {.key = "packages", .kind = K_INT, .offset = offsetof(pack_declaration, packages)},
        {.key = "gross_kg", .kind = K_NUM, .offset = offsetof(pack_declaration, gross_kg)},
        {.key = "value",
         .kind = K_MAP,
         .offset = offsetof(pack_declaration, value),
         .child = &schema_money},
        {.key = "remarks", .kind = K_TEXT, .offset = offsetof(pack_declaration, remarks)},
};
static const struct schema schema_declaration = {"declaration", sizeof(pack_declaration),
                                                 offsetof(pack_declaration, pos),
                                                 declaration_fields, COUNT(declaration_fields)};

static const struct field key_indicator_fields[] = {
        {.key = "id", .kind = K_SLUG, .offset = offsetof(pack_keyed_text, key), .required = true},
        {.key = "why", .kind = K_TEXT, .offset = offsetof(pack_keyed_text, text), .required = true},
};
static const struct schema schema_key_indicator = {"indicator", sizeof(pack_keyed_text), SIZE_MAX,
                                                   key_indicator_fields,
                                                   COUNT(key_indicator_fields)};

static const struct field item_fields[] = {
        {.key = "product", .kind = K_TEXT, .offset = offsetof(pack_item, product)},
        {.key = "description", .kind = K_TEXT, .offset = offsetof(pack_item, description)},
        {.key = "quantity",
         .kind = K_INT,
         .offset = offsetof(pack_item, quantity),
         .required = true},
        {.key = "art", .kind = K_PATH, .offset = offsetof(pack_item, art)},
        {.key = "observed",
         .kind = K_DYNMAP,
         .offset = offsetof(pack_item, observed),
         .aux_offset = offsetof(pack_item, observed_count),
         .item_kind = K_TEXT},
        {.key = "verdict",
         .kind = K_ENUM,
         .offset = offsetof(pack_item, verdict),
         .aux_offset = offsetof(pack_item, verdict_pos),
         .enum_values = verdict_names,
         .required = true},
        {.key = "evidence",
         .kind = K_SEQ_STR,
         .offset = offsetof(pack_item, evidence),
         .item_kind = K_SLUG},
        {.key = "explain", .kind = K_TEXT, .offset = offsetof(pack_item, explain)},
};
static const struct schema schema_item = {"item", sizeof(pack_item), offsetof(pack_item, pos),
                                          item_fields, COUNT(item_fields)};

static const struct field shipment_fields[] = {
        {.key = "id", .kind = K_SLUG, .offset = offsetof(pack_shipment, id), .required = true},
        {.key = "mode",
         .kind = K_ENUM,
         .offset = offsetof(pack_shipment, mode),
         .aux_offset = offsetof(pack_shipment, mode_pos),
         .enum_values = mode_names,
         .required = true},
        {.key = "declaration",
         .kind = K_MAP,
         .offset = offsetof(pack_shipment, declaration),
         .child = &schema_declaration,
         .required = true},
        {.key = "indicators",
         .kind = K_SEQ_MAP,
         .offset = offsetof(pack_shipment, indicators),
         .aux_offset = offsetof(pack_shipment, indicator_count),
         .child = &schema_key_indicator},
        {.key = "contents",
         .kind = K_SEQ_MAP,
         .offset = offsetof(pack_shipment, contents),
         .aux_offset = offsetof(pack_shipment, item_count),
         .child = &schema_item,
         .required = true},
        {.key = "action",
         .kind = K_SLUG,
         .offset = offsetof(pack_shipment, action),
         .required = true},
        {.key = "explain", .kind = K_TEXT, .offset = offsetof(pack_shipment, explain)},
};
static const struct schema schema_shipment = {"shipment", sizeof(pack_shipment),
                                              offsetof(pack_shipment, pos), shipment_fields,
                                              COUNT(shipment_fields)};

/* ---- questions ---- */

static const struct field choice_fields[] = {
        {.key = "text", .kind = K_TEXT, .offset = offsetof(pack_choice, text), .required = true},
        {.key = "correct", .kind = K_BOOL, .offset = offsetof(pack_choice, correct)},
};
static const struct schema schema_choice = {"choice", sizeof(pack_choice),
                                            offsetof(pack_choice, pos), choice_fields,
                                            COUNT(choice_fields)};

static const struct field question_fields[] = {
        {.key = "id", .kind = K_SLUG, .offset = offsetof(pack_question, id), .required = true},
        {.key = "topic",
         .kind = K_SLUG,
         .offset = offsetof(pack_question, topic),
         .required = true},
        {.key = "prompt",
         .kind = K_TEXT,
         .offset = offsetof(pack_question, prompt),
         .required = true},
        {.key = "choices",
         .kind = K_SEQ_MAP,
         .offset = offsetof(pack_question, choices),
         .aux_offset = offsetof(pack_question, choice_count),
         .child = &schema_choice,
         .required = true},
        {.key = "explain", .kind = K_TEXT, .offset = offsetof(pack_question, explain)},
};
static const struct schema schema_question = {"question", sizeof(pack_question),
                                              offsetof(pack_question, pos), question_fields,
                                              COUNT(question_fields)};

/* ---- settings and scoring ---- */

static const struct field settings_fields[] = {
        {.key = "mode", .kind = K_TEXT, .offset = offsetof(struct raw_settings, mode)},
        {.key = "inspections", .kind = K_INT, .offset = offsetof(struct raw_settings, inspections)},
        {.key = "time_limit_minutes",
         .kind = K_INT,
         .offset = offsetof(struct raw_settings, time_limit_minutes)},
        {.key = "shuffle", .kind = K_BOOL, .offset = offsetof(struct raw_settings, shuffle)},
};
static const struct schema schema_settings = {"settings", sizeof(struct raw_settings),
                                              offsetof(struct raw_settings, pos), settings_fields,
                                              COUNT(settings_fields)};

#define SCORE(name)                                                                                \
	{                                                                                          \
		.key = #name, .kind = K_SCORE, .offset = offsetof(pack_scoring, name)              \
	}
static const struct field scoring_fields[] = {
        SCORE(target_hit),       SCORE(target_miss),         SCORE(false_alarm),
        SCORE(clear_release),    SCORE(indicator_hit),       SCORE(indicator_false),
        SCORE(verdict_correct),  SCORE(verdict_missed_fake), SCORE(verdict_false_fake),
        SCORE(evidence_hit),     SCORE(evidence_false),      SCORE(action_correct),
        SCORE(question_correct),
};
static const struct schema schema_scoring = {"scoring", sizeof(pack_scoring), SIZE_MAX,
                                             scoring_fields, COUNT(scoring_fields)};

/* ---- the top level ---- */

static const struct field pack_fields[] = {
        {.key = "format", .kind = K_INT, .offset = offsetof(pack, format), .required = true},
        {.key = "id", .kind = K_SLUG, .offset = offsetof(pack, id), .required = true},
        {.key = "title", .kind = K_TEXT, .offset = offsetof(pack, title), .required = true},
        {.key = "version", .kind = K_TEXT, .offset = offsetof(pack, version), .required = true},
        {.key = "language", .kind = K_LANG, .offset = offsetof(pack, language)},
        {.key = "summary", .kind = K_TEXT, .offset = offsetof(pack, summary), .required = true},
        {.key = "authors",
         .kind = K_SEQ_STR,
         .offset = offsetof(pack, authors),
         .item_kind = K_TEXT},
        {.key = "estimated_minutes", .kind = K_INT, .offset = offsetof(pack, estimated_minutes)},
        {.key = "include",
         .kind = K_SEQ_STR,
         .offset = offsetof(pack, include),
         .item_kind = K_PATH},
        /* settings fill the loader's raw_settings, not the pack (offset 0 of it). */
        {.key = "settings", .kind = K_MAP, .offset = SIZE_MAX, .child = &schema_settings},
        {.key = "scoring",
         .kind = K_MAP,
         .offset = offsetof(pack, scoring),
         .child = &schema_scoring},
        {.key = "indicators",
         .kind = K_SEQ_MAP,
         .offset = offsetof(pack, indicators),
         .aux_offset = offsetof(pack, indicator_count),
         .child = &schema_indicator},
        {.key = "actions",
         .kind = K_SEQ_MAP,
         .offset = offsetof(pack, actions),
         .aux_offset = offsetof(pack, action_count),
         .child = &schema_action},
        {.key = "brands",
         .kind = K_SEQ_MAP,
         .offset = offsetof(pack, brands),
         .aux_offset = offsetof(pack, brand_count),
         .child = &schema_brand},
        {.key = "shipments",
         .kind = K_SEQ_MAP,
         .offset = offsetof(pack, shipments),
         .aux_offset = offsetof(pack, shipment_count),
         .child = &schema_shipment},
        {.key = "questions",
         .kind = K_SEQ_MAP,
         .offset = offsetof(pack, questions),
         .aux_offset = offsetof(pack, question_count),
         .child = &schema_question},
};
const struct schema schema_pack = {"pack", sizeof(pack), offsetof(pack, pos), pack_fields,
                                   COUNT(pack_fields)};

/* ---- scalar checks ---- */

bool slug_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > PACK_SLUG_MAX || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 1; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && c != '.' && c != '_' && c != '-')
			return false;
	}
	return true;
}

static int cmp_code(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

bool country_valid(const char *s)
{
	return bsearch(s, iso_countries, COUNT(iso_countries), sizeof(iso_countries[0]),
	               cmp_code) != NULL;
}

bool currency_valid(const char *s)
{
	return bsearch(s, iso_currencies, COUNT(iso_currencies), sizeof(iso_currencies[0]),
	               cmp_code) != NULL;
}

bool date_shaped(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	return true;
}

bool date_valid(const char *s)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	}
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	return true;
}

/* BCP 47 in its common shape: a 2-3 letter language (or 4-8 letters), then
 * subtags of 1-8 letters or digits joined by '-'. */
bool lang_valid(const char *s)
{
	size_t i = 0, run = 0, first = 0;
	bool in_first = true;

	for (;; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '-' || c == '\0') {
			if (run == 0 || run > 8)
				return false;
			if (in_first && (run == 1 || first != run))
				return false;
			in_first = false;
			run = 0;
			if (c == '\0')
				return true;
			continue;
		}
		if (in_first) {
			if (!isalpha(c))
				return false;
			first++;
		} else if (!isalnum(c)) {
			return false;
		}
		run++;
	}
}

bool path_stays_inside(const char *path)
{
	const char *p = path;

	if (*p == '\0' || *p == '/' || *p == '\\')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/\\");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p += n;
		if (*p)
			p++;
	}
	return true;
}

bool path_inside(const char *path, const char *root)
{
	char real_root[PATH_MAX], real_path[PATH_MAX];
	size_t n;

	if (!realpath(root, real_root) || !realpath(path, real_path))
		return false;
	n = strlen(real_root);
	return strncmp(real_path, real_root, n) == 0 && (real_path[n] == '/' || n == 1);
}

char *path_join(const char *dir, const char *rel)
{
	size_t a = strlen(dir), b = strlen(rel);
	char *out = malloc(a + b + 2);
	if (!out)
		return NULL;
	memcpy(out, dir, a);
	out[a] = '/';
	memcpy(out + a + 1, rel, b + 1);
	return out;
}

char *path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* ---- "did you mean" ---- */

size_t edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row;
	size_t result;

	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	if (lb > 256 || la > 256)
		return cap + 1;
	row = malloc((lb + 1) * sizeof(*row));
	if (!row)
		return cap + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t sub = prev + (a[i - 1] != b[j - 1]);
			size_t del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = cur;
		}
	}
	result = row[lb];
	free(row);
	return result > cap ? cap + 1 : result;
}

const char *nearest_word(const char *word, const char *const *candidates, size_t count)
{
	size_t len = strlen(word);
	size_t cap = len < 4 ? 1 : (len < 9 ? 2 : 3);
	size_t best = cap + 1;
	const char *found = NULL;

	for (size_t i = 0; i < count; i++) {
		size_t d = edit_distance(word, candidates[i], cap);
		if (d < best) {
			best = d;
			found = candidates[i];
		}
	}
	return found;
}
