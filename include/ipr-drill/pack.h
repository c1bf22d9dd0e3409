/* pack.h - exercise packs: the immutable in-memory model, the loader and
 * the validator (pack format 1, see docs/pack-format.md).
 *
 * A pack is loaded once with pack_load_file() or pack_load_buffer(); the
 * returned model never changes and is freed with pack_free().  Every node
 * keeps the line and column (1-based) it came from, so that any later
 * message can point into the source.  Problems are reported through a
 * pack_diags list as PATH:LINE:COLUMN: error|warning: MESSAGE.
 *
 * The pack module depends only on libyaml and the text module; it knows
 * nothing of the store, the engine or any front end. */
#ifndef IPR_DRILL_PACK_H
#define IPR_DRILL_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PACK_FORMAT_VERSION    1
#define PACK_MAX_DEPTH         32
#define PACK_DEFAULT_MAX_BYTES ((size_t)64 * 1024 * 1024)
#define PACK_SLUG_MAX          64
#define PACK_ART_MAX_COLUMNS   60
#define PACK_ART_MAX_ROWS      20

/* Where a node starts in its source file (1-based; 0 when unknown).  The
 * file is the pack's own (pack.path), except under a brand that came from
 * an included library (pack_brand.file); positions leave it out to keep
 * the model small. */
typedef struct pack_pos {
	uint32_t line;
	uint32_t column;
} pack_pos;

/* A scalar string with its position; text is NULL when the key was absent. */
typedef struct pack_str {
	const char *text;
	pack_pos pos;
} pack_str;

typedef struct pack_int {
	long long value;
	bool present;
	pack_pos pos;
} pack_int;

typedef struct pack_num {
	double value;
	bool present;
	pack_pos pos;
} pack_num;

typedef struct pack_bool {
	bool value;
	bool present;
	pack_pos pos;
} pack_bool;

/* A list of strings (authors, routes, made_in, evidence, ...). */
typedef struct pack_strs {
	const pack_str *items;
	size_t count;
	pack_pos pos;
} pack_strs;

typedef struct pack_money {
	pack_num amount;
	pack_str currency;
	bool present;
	pack_pos pos;
} pack_money;

typedef struct pack_indicator {
	pack_str id, name, description;
	bool builtin;
	pack_pos pos;
} pack_indicator;

typedef pack_indicator pack_action;

typedef struct pack_feature {
	pack_str id, name, genuine, watch_for;
	pack_pos pos;
} pack_feature;

typedef struct pack_product {
	pack_str id, name, art;
	pack_money retail_price;
	const pack_feature *features;
	size_t feature_count;
	pack_pos pos;
} pack_product;

typedef struct pack_alert {
	pack_str date, text;
	pack_pos pos;
} pack_alert;

typedef struct pack_brand {
	pack_str id, name, category, notes, art;
	pack_str holder_name, holder_contact; /* rights_holder */
	pack_strs authorised_importers, made_in, routes;
	const pack_alert *alerts;
	size_t alert_count;
	const pack_product *products;
	size_t product_count;
	const char *file; /* the file this brand was read from */
	pack_pos pos;
} pack_brand;

typedef struct pack_declaration {
	pack_str consignor, consignee, goods, origin, hs_code, remarks;
	pack_strs route;
	pack_int packages;
	pack_num gross_kg;
	pack_money value;
	pack_pos pos;
} pack_declaration;

/* One entry of a shipment's targeting key or of an item's observations. */
typedef struct pack_keyed_text {
	pack_str key;  /* indicator id / feature id; key.pos is the entry's */
	pack_str text; /* why / what the officer sees */
} pack_keyed_text;

enum pack_verdict { PACK_VERDICT_NONE, PACK_VERDICT_GENUINE, PACK_VERDICT_COUNTERFEIT };

typedef struct pack_item {
	pack_str product; /* "brand-id/product-id" as written */
	pack_str description, art, explain;
	pack_int quantity;
	const pack_keyed_text *observed;
	size_t observed_count;
	enum pack_verdict verdict;
	pack_pos verdict_pos;
	pack_strs evidence;
	/* Resolved by the validator; NULL for unbranded goods or bad refs. */
	const pack_brand *brand;
	const pack_product *product_ref;
	pack_pos pos;
} pack_item;

enum pack_mode {
	PACK_MODE_SEA,
	PACK_MODE_AIR,
	PACK_MODE_ROAD,
	PACK_MODE_RAIL,
	PACK_MODE_POST,
	PACK_MODE_EXPRESS,
	PACK_MODE_PASSENGER,
	PACK_MODE_COUNT
};

typedef struct pack_shipment {
	pack_str id;
	enum pack_mode mode;
	pack_pos mode_pos;
	pack_declaration declaration;
	const pack_keyed_text *indicators; /* the targeting key: id + why */
	size_t indicator_count;
	const pack_item *contents;
	size_t item_count;
	pack_str action;
	pack_str explain;
	pack_pos pos;
} pack_shipment;

typedef struct pack_choice {
	pack_str text;
	pack_bool correct;
	pack_pos pos;
} pack_choice;

typedef struct pack_question {
	pack_str id, topic, prompt, explain;
	const pack_choice *choices;
	size_t choice_count;
	pack_pos pos;
} pack_question;

enum pack_exercise_mode { PACK_PRACTICE, PACK_EXAM };

/* The scoring table; every field holds the pack's value or the default. */
typedef struct pack_scoring {
	int target_hit, target_miss, false_alarm, clear_release;
	int indicator_hit, indicator_false;
	int verdict_correct, verdict_missed_fake, verdict_false_fake;
	int evidence_hit, evidence_false;
	int action_correct, question_correct;
} pack_scoring;

typedef struct pack_settings {
	enum pack_exercise_mode mode;
	long long inspections;        /* -1: no limit */
	long long time_limit_minutes; /* 0: none */
	bool shuffle;
	pack_pos pos;
} pack_settings;

typedef struct pack {
	pack_int format;
	pack_str id, title, version, language, summary;
	pack_strs authors, include;
	pack_int estimated_minutes;
	pack_settings settings;
	pack_scoring scoring;
	/* Pack-defined entries only; see pack_find_indicator() for built-ins. */
	const pack_indicator *indicators;
	size_t indicator_count;
	const pack_action *actions;
	size_t action_count;
	/* The pack's own brands followed by those of its includes. */
	const pack_brand *brands;
	size_t brand_count;
	const pack_shipment *shipments;
	size_t shipment_count;
	const pack_question *questions;
	size_t question_count;
	bool is_library;          /* a brand-library file: only format and brands */
	pack_pos pos;             /* where the top-level mapping starts */
	const char *path;         /* as given to the loader */
	const char *base_dir;     /* folder holding the pack, for includes and art */
	size_t source_bytes;      /* size of the pack file itself */
	struct pack_arena *arena; /* owns every byte of the model */
} pack;

/* ---- diagnostics ---- */

enum pack_severity { PACK_WARNING, PACK_ERROR };

typedef struct pack_diag {
	enum pack_severity severity;
	char *file;
	uint32_t line, column;
	char *message;
	char *source_line; /* the offending line when the source was a buffer */
} pack_diag;

typedef struct pack_diags {
	pack_diag *items;
	size_t count, capacity;
	size_t errors, warnings;
	bool out_of_memory;
} pack_diags;

void pack_diags_init(pack_diags *diags);
void pack_diags_free(pack_diags *diags);
/* Adds a diagnostic; on allocation failure sets out_of_memory and counts it. */
void pack_diag_add(pack_diags *diags, enum pack_severity severity, const char *file,
                   const pack_pos *pos, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Prints every diagnostic as PATH:LINE:COLUMN: error: MESSAGE, followed by
 * the source line (control characters made visible) and a caret under the
 * column when the source file can be read. */
void pack_diags_print(const pack_diags *diags, FILE *out, bool color);

/* ---- loading ---- */

typedef struct pack_load_options {
	size_t max_bytes;       /* 0: PACK_DEFAULT_MAX_BYTES */
	const char *assets_dir; /* the installed assets/ folder, or NULL */
	bool check_art;         /* read art files and check their size and text */
} pack_load_options;

/* Loads and validates the pack at path.  A file holding only `format` and
 * `brands` is loaded as a brand library (is_library set, no pack keys
 * required).  Returns the model, or NULL when
 * any error was found (every problem is added to diags) or memory ran out.
 * Warnings do not stop loading.  opts may be NULL for the defaults. */
pack *pack_load_file(const char *path, const pack_load_options *opts, pack_diags *diags);

/* The same from a buffer of len bytes.  name is used in messages; includes
 * and art resolve against base_dir (NULL: includes are an error). */
pack *pack_load_buffer(const char *data, size_t len, const char *name, const char *base_dir,
                       const pack_load_options *opts, pack_diags *diags);

void pack_free(pack *p);

/* ---- lookups on a loaded pack (NULL when absent) ---- */

const pack_brand *pack_find_brand(const pack *p, const char *brand_id);
const pack_product *pack_find_product(const pack_brand *b, const char *product_id);
const pack_feature *pack_find_feature(const pack_product *prod, const char *feature_id);
/* Built-in indicators first, then the pack's own. */
const pack_indicator *pack_find_indicator(const pack *p, const char *id);
const pack_action *pack_find_action(const pack *p, const char *id);

/* The built-in catalogues (static storage). */
const pack_indicator *pack_builtin_indicators(size_t *count);
const pack_action *pack_builtin_actions(size_t *count);

bool pack_shipment_holds_counterfeit(const pack_shipment *s);
const char *pack_mode_name(enum pack_mode mode);
const char *pack_verdict_name(enum pack_verdict v);

/* Reads a pack's art file (resolved as the validator does) into a newly
 * allocated NUL-terminated string the caller frees; NULL if unreadable. */
char *pack_read_art(const pack *p, const pack_str *art, const char *assets_dir);

#endif
