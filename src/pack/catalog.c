/* catalog.c - the built-in indicators and actions, and lookups on a model. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define BUILTIN(id_, name_, desc_)                                                                 \
	{                                                                                          \
		.id = {id_, {0}}, .name = {name_, {0}}, .description = {desc_, {0}},               \
		.builtin = true                                                                    \
	}

static const pack_indicator builtin_indicators[] = {
        BUILTIN("undervalued", "Undervalued",
                "The declared value is far below what such goods cost, even below the raw "
                "material's price."),
        BUILTIN("vague-description", "Vague description",
                "The goods are described in words no buyer would order by (\"gifts\", \"parts\", "
                "\"samples\")."),
        BUILTIN("description-mismatch", "Description does not fit",
                "The declared goods do not fit the consignor, consignee, packaging or container."),
        BUILTIN("weight-mismatch", "Weight does not fit",
                "The gross weight is implausible for the declared goods and packages."),
        BUILTIN("hs-mismatch", "HS code does not fit",
                "The tariff classification does not match the description of the goods."),
        BUILTIN("unusual-route", "Unusual route",
                "Routing through third countries or free zones without commercial logic."),
        BUILTIN("origin-not-made-in", "Origin not a manufacturing country",
                "The goods come from a country where the rights holder does not make them."),
        BUILTIN("unauthorised-importer", "Unauthorised importer",
                "The consignee is not among the rights holder's authorised importers."),
        BUILTIN("new-trader", "New trader",
                "The consignor or consignee has no history of imports."),
        BUILTIN("residential-consignee", "Residential consignee",
                "Commercial quantities addressed to a private home."),
        BUILTIN("third-party-payment", "Third-party payment",
                "Freight or goods paid by an unrelated party, often in another country."),
        BUILTIN("known-offender", "Known offender",
                "A party to the shipment has a record of IPR infringements."),
        BUILTIN("split-consignment", "Split consignment",
                "One order split into many small parcels, to stay under thresholds."),
        BUILTIN("brand-not-declared", "Brand not declared",
                "Branded goods declared as unbranded or generic."),
        BUILTIN("high-risk-goods", "High-risk goods",
                "Goods often counterfeited or dangerous when fake (medicines, chargers, parts)."),
        BUILTIN("document-anomaly", "Document anomaly",
                "Invoice or papers missing logo, address or payment terms, or inconsistent."),
};

static const pack_action builtin_actions[] = {
        BUILTIN("release", "Release", "No infringement suspected: release the goods."),
        BUILTIN("detain", "Detain",
                "Suspend release and notify the rights holder and the declarant (TRIPS Art. "
                "51-55, 58)."),
        BUILTIN("de-minimis", "Release as de minimis",
                "Release small quantities of non-commercial goods in personal luggage or small "
                "consignments (TRIPS Art. 60)."),
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const pack_indicator *pack_builtin_indicators(size_t *count)
{
	*count = COUNT(builtin_indicators);
	return builtin_indicators;
}

const pack_action *pack_builtin_actions(size_t *count)
{
	*count = COUNT(builtin_actions);
	return builtin_actions;
}

/* Finds id in a list of indicators or actions. */
static const pack_indicator *find_entry(const pack_indicator *list, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].id.text && !strcmp(list[i].id.text, id))
			return &list[i];
	return NULL;
}

const pack_indicator *pack_find_indicator(const pack *p, const char *id)
{
	const pack_indicator *e = find_entry(builtin_indicators, COUNT(builtin_indicators), id);
	return e ? e : find_entry(p->indicators, p->indicator_count, id);
}

const pack_action *pack_find_action(const pack *p, const char *id)
{
	const pack_action *e = find_entry(builtin_actions, COUNT(builtin_actions), id);
	return e ? e : find_entry(p->actions, p->action_count, id);
}

const pack_brand *pack_find_brand(const pack *p, const char *brand_id)
{
	for (size_t i = 0; i < p->brand_count; i++)
		if (p->brands[i].id.text && !strcmp(p->brands[i].id.text, brand_id))
			return &p->brands[i];
	return NULL;
}

const pack_product *pack_find_product(const pack_brand *b, const char *product_id)
{
	for (size_t i = 0; i < b->product_count; i++)
		if (b->products[i].id.text && !strcmp(b->products[i].id.text, product_id))
			return &b->products[i];
	return NULL;
}

const pack_feature *pack_find_feature(const pack_product *prod, const char *feature_id)
{
	for (size_t i = 0; i < prod->feature_count; i++)
		if (prod->features[i].id.text && !strcmp(prod->features[i].id.text, feature_id))
			return &prod->features[i];
	return NULL;
}

bool pack_shipment_holds_counterfeit(const pack_shipment *s)
{
	for (size_t i = 0; i < s->item_count; i++)
		if (s->contents[i].verdict == PACK_VERDICT_COUNTERFEIT)
			return true;
	return false;
}

const char *pack_mode_name(enum pack_mode mode)
{
	const char *const *names = schema_mode_names();
	return mode < PACK_MODE_COUNT ? names[mode] : "?";
}

const char *pack_verdict_name(enum pack_verdict v)
{
	switch (v) {
	case PACK_VERDICT_GENUINE:
		return "genuine";
	case PACK_VERDICT_COUNTERFEIT:
		return "counterfeit";
	default:
		return "none";
	}
}

/* The file an art node came from: its brand's when it is a brand's or a
 * product's art (brands may come from included libraries), else the
 * pack's own. */
static const char *art_file(const pack *p, const pack_str *art)
{
	for (size_t b = 0; b < p->brand_count; b++) {
		const pack_brand *brand = &p->brands[b];
		if (art == &brand->art)
			return brand->file;
		for (size_t i = 0; i < brand->product_count; i++)
			if (art == &brand->products[i].art)
				return brand->file;
	}
	return p->path;
}

char *pack_read_art(const pack *p, const pack_str *art, const char *assets_dir)
{
	char *path, *text = NULL;
	FILE *f;
	long size;

	if (!art->text)
		return NULL;
	path = art_resolve(art_file(p, art), art->text, assets_dir, p->base_dir);
	if (!path)
		return NULL;
	f = fopen(path, "rb");
	free(path);
	if (!f)
		return NULL;
	/* Art is at most 20 rows of 60 columns: anything over 64 KiB is not art. */
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && size <= 65536 &&
	    fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)size + 1)) != NULL) {
		size_t n = fread(text, 1, (size_t)size, f);
		text[n] = '\0';
	}
	fclose(f);
	return text;
}
