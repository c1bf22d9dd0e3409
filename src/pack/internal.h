/* internal.h - shared between the pack module's files; not public. */
#ifndef IPR_DRILL_PACK_INTERNAL_H
#define IPR_DRILL_PACK_INTERNAL_H

#include "ipr-drill/pack.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- arena: every byte of a model, freed at once ---- */

struct pack_arena;
struct pack_arena *arena_new(void);
void arena_free(struct pack_arena *a);
/* NULL when memory runs out or size overflows. */
void *arena_alloc(struct pack_arena *a, size_t size);
char *arena_strndup(struct pack_arena *a, const char *s, size_t len);
void *arena_memdup(struct pack_arena *a, const void *src, size_t size);
/* Takes ownership of a malloc'd block of size bytes (shrunk to fit) and
 * returns where it now is; NULL when memory runs out (block is then still
 * the caller's). */
void *arena_adopt(struct pack_arena *a, void *block, size_t size);

/* ---- growable temporary vector (malloc'd, moved into the arena) ---- */

struct vec {
	char *data;
	size_t count, capacity, elem_size;
};
/* Appends a zeroed element and returns it; NULL when memory runs out. */
void *vec_push(struct vec *v);
void vec_free(struct vec *v);

/* ---- schema: how each YAML mapping maps onto a model struct ---- */

enum field_kind {
	K_TEXT,     /* pack_str: any scalar, no control characters */
	K_SLUG,     /* pack_str: an id */
	K_COUNTRY,  /* pack_str: ISO 3166-1 alpha-2 */
	K_CURRENCY, /* pack_str: ISO 4217 */
	K_DATE,     /* pack_str: YYYY-MM-DD */
	K_LANG,     /* pack_str: BCP 47 tag */
	K_PATH,     /* pack_str: a relative path, checked by the validator */
	K_INT,      /* pack_int */
	K_NUM,      /* pack_num */
	K_BOOL,     /* pack_bool */
	K_SCORE,    /* plain int in pack_scoring */
	K_ENUM,     /* int at offset, pack_pos at aux_offset */
	K_MAP,      /* a nested struct at offset */
	K_INLINE,   /* a nested mapping whose keys fill the same struct */
	K_SEQ_MAP,  /* array of child structs: pointer at offset, count at aux */
	K_SEQ_STR,  /* pack_strs whose items are of item_kind */
	K_DYNMAP,   /* map id -> text: pack_keyed_text array, count at aux */
};

struct schema;

struct field {
	const char *key;
	enum field_kind kind;
	size_t offset;
	size_t aux_offset;
	const struct schema *child;     /* K_MAP, K_INLINE, K_SEQ_MAP */
	enum field_kind item_kind;      /* K_SEQ_STR, K_DYNMAP values */
	const char *const *enum_values; /* K_ENUM, NULL-terminated */
	bool required;
};

struct schema {
	const char *name; /* used in messages: "shipment", "item", ... */
	size_t size;
	size_t pos_offset; /* where the struct keeps its own pack_pos */
	const struct field *fields;
	size_t field_count;
};

extern const struct schema schema_pack;
extern const struct schema schema_money;

const char *const *schema_mode_names(void);

/* ---- loader internals used by the validator ---- */

struct load_ctx {
	pack *p;
	struct pack_arena *arena;
	pack_diags *diags;
	const pack_load_options *opts;
	const char *source; /* buffer being parsed, or NULL for a file */
	size_t source_len;
	/* Raw settings as parsed, converted into p->settings afterwards. */
	struct raw_settings {
		pack_str mode;
		pack_int inspections, time_limit_minutes;
		pack_bool shuffle;
		pack_pos pos;
	} settings;
	uint64_t top_keys_seen; /* bit i: schema_pack.fields[i] was present */
	const char *file;       /* the validator's current file, for messages */
};

/* The path of an art file: the node's own folder first, then the assets
 * folder given, then <pack folder>/../assets and <pack folder>/../../assets.  A path that leaves
 * those folders (also through symbolic links) or does not exist gives NULL. Malloc'd. */
char *art_resolve(const char *node_file, const char *rel, const char *assets_dir,
                  const char *pack_dir);

/* Runs every semantic check on a parsed model. */
void validate_pack(struct load_ctx *ctx);

/* Levenshtein distance, capped: returns cap + 1 when larger. */
size_t edit_distance(const char *a, const char *b, size_t cap);
/* The candidate nearest to word when near enough for a hint, else NULL. */
const char *nearest_word(const char *word, const char *const *candidates, size_t count);

bool slug_valid(const char *s);
bool country_valid(const char *s);
bool currency_valid(const char *s);
bool date_valid(const char *s);
/* YYYY-MM-DD in shape, whether or not such a day exists. */
bool date_shaped(const char *s);
bool lang_valid(const char *s);

/* A relative path that stays inside its folder (no "..", not absolute). */
bool path_stays_inside(const char *path);
/* True when path, with symbolic links resolved, lies inside root. */
bool path_inside(const char *path, const char *root);
/* dir + "/" + rel, malloc'd; NULL when memory runs out. */
char *path_join(const char *dir, const char *rel);
/* The folder of path, malloc'd ("." when it has none). */
char *path_dirname(const char *path);

/* Adds a diagnostic and, for buffer sources, records the source line. */
void ctx_diag(struct load_ctx *ctx, enum pack_severity sev, const char *file, const pack_pos *pos,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
