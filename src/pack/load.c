/* load.c - a streaming, table-driven loader on libyaml's event API.
 *
 * Events are applied to an explicit stack of frames (never recursion), each
 * frame filling one model struct as its schema (schema.c) says.  Nesting is
 * capped at PACK_MAX_DEPTH; unknown or misplaced subtrees are skipped by
 * counting, so a hostile file costs neither stack nor memory.  Everything
 * lives in one arena, so every error path frees with a single call. */
#include "internal.h"
#include "ipr-drill/text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

enum frame_type { FR_MAP, FR_SEQ, FR_DYNMAP };

struct frame {
	enum frame_type type;
	const struct schema *schema; /* FR_MAP */
	char *obj;                   /* FR_MAP: the struct being filled */
	uint64_t seen;               /* FR_MAP: bit i set once fields[i] was read */
	const struct field *pending; /* FR_MAP: the field whose value comes next */
	bool have_key;               /* a key was read; its value comes next */
	bool skip_value;             /* ...and is to be skipped */
	const struct field *field;   /* FR_SEQ, FR_DYNMAP: the field being filled */
	char *owner;                 /* FR_SEQ, FR_DYNMAP: the struct holding it */
	struct vec vec;              /* FR_SEQ, FR_DYNMAP: the entries so far */
	pack_str dyn_key;            /* FR_DYNMAP: the pending key */
	pack_pos pos;
};

struct parser {
	struct load_ctx *ctx;
	pack *target; /* the pack (or included library) being filled */
	const char *file;
	yaml_parser_t yp;
	struct frame stack[PACK_MAX_DEPTH];
	int depth;
	int skip; /* > 0: inside a subtree being skipped */
	bool depth_reported, root_seen, root_is_map, done;
	uint64_t top_seen;
	FILE *in;
	size_t bytes, max_bytes;
	bool too_big, read_failed;
	pack_pos runon;     /* the last quoted scalar that spans lines */
	uint32_t runon_end; /* the line it ends on */
};

static pack_pos mark_pos(yaml_mark_t m)
{
	pack_pos pos = {(uint32_t)m.line + 1, (uint32_t)m.column + 1};
	return pos;
}

static void diag(struct parser *P, const pack_pos *pos, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void diag(struct parser *P, const pack_pos *pos, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ctx_diag(P->ctx, PACK_ERROR, P->file, pos, "%s", buf);
}

static void oom(struct parser *P)
{
	P->ctx->diags->out_of_memory = true;
	P->done = true;
}

/* ---- scalars ---- */

static bool is_null(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

/* Finds a control character other than newline and tab in valid UTF-8:
 * C0 and DEL are single bytes, C1 is 0xC2 0x80-0x9F.  Returns its code
 * point, or 0 when there is none. */
static uint32_t find_control(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
			return c ? c : 0x2400; /* NUL reported as its picture */
		if (c == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F)
			return s[i + 1];
	}
	return 0;
}

/* Finds a bidirectional override or isolate (U+202A-202E, U+2066-2069),
 * which can make text on screen read differently from the file.  Returns
 * its code point, or 0. */
static uint32_t find_bidi(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i + 2 < len; i++) {
		if (s[i] != 0xE2)
			continue;
		if (s[i + 1] == 0x80 && s[i + 2] >= 0xAA && s[i + 2] <= 0xAE)
			return 0x2000 + (uint32_t)(s[i + 2] - 0x80);
		if (s[i + 1] == 0x81 && s[i + 2] >= 0xA6 && s[i + 2] <= 0xA9)
			return 0x2040 + (uint32_t)(s[i + 2] - 0x80);
	}
	return 0;
}

static const char *kind_noun(enum field_kind k)
{
	switch (k) {
	case K_INT:
	case K_SCORE:
		return "a whole number";
	case K_NUM:
		return "a number";
	case K_BOOL:
		return "true or false";
	case K_MAP:
	case K_INLINE:
	case K_DYNMAP:
		return "a mapping (key: value lines)";
	case K_SEQ_MAP:
	case K_SEQ_STR:
		return "a list";
	case K_SLUG:
		return "an id";
	default:
		return "text";
	}
}

static const char *event_noun(yaml_event_type_t t)
{
	return t == YAML_MAPPING_START_EVENT    ? "a mapping"
	       : t == YAML_SEQUENCE_START_EVENT ? "a list"
	                                        : "a single value";
}

/* 0: parsed; 1: not a whole number; 2: out of range. */
static int parse_int(const char *s, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (end == s || *end)
		return 1;
	if (errno == ERANGE)
		return 2;
	*out = v;
	return 0;
}

/* Stores a scalar into dest according to kind; reports what is wrong. */
static void store_scalar(struct parser *P, enum field_kind kind, const char *key, char *dest,
                         const yaml_event_t *ev, bool required)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	pack_pos pos = mark_pos(ev->start_mark);
	uint32_t ctl;

	if (is_null(ev)) {
		if (required)
			diag(P, &pos, "'%s' must not be empty", key);
		if (kind == K_TEXT || kind == K_SLUG || kind == K_PATH || kind == K_COUNTRY ||
		    kind == K_CURRENCY || kind == K_DATE || kind == K_LANG)
			((pack_str *)dest)->pos = pos;
		return;
	}
	if (required && len == 0 && kind != K_SCORE) {
		diag(P, &pos, "'%s' must not be empty", key);
		return;
	}
	if (kind != K_SCORE && kind != K_INT && kind != K_NUM && kind != K_BOOL &&
	    (ctl = find_control((const unsigned char *)v, len)) != 0) {
		diag(P, &pos,
		     "'%s' holds the control character U+%04X; remove it (it could drive the "
		     "terminal)",
		     key, (unsigned)(ctl == 0x2400 ? 0 : ctl));
		return;
	}
	if (kind != K_SCORE && kind != K_INT && kind != K_NUM && kind != K_BOOL &&
	    (ctl = find_bidi((const unsigned char *)v, len)) != 0)
		ctx_diag(P->ctx, PACK_WARNING, P->file, &pos,
		         "'%s' holds the bidirectional control U+%04X, which can make the text "
		         "read differently on screen; remove it unless the script needs it",
		         key, (unsigned)ctl);
	switch (kind) {
	case K_INT: {
		pack_int *d = (pack_int *)dest;
		int bad = parse_int(v, &d->value);
		if (bad) {
			diag(P, &pos,
			     bad == 2 ? "'%s' is too large: '%s'"
			              : "'%s' must be a whole number, not '%s'",
			     key, v);
			return;
		}
		d->present = true;
		d->pos = pos;
		return;
	}
	case K_SCORE: {
		long long n;
		if (parse_int(v, &n) || n < -1000 || n > 1000) {
			diag(P, &pos, "'%s' must be a whole number from -1000 to 1000, not '%s'",
			     key, v);
			return;
		}
		*(int *)dest = (int)n;
		return;
	}
	case K_NUM: {
		pack_num *d = (pack_num *)dest;
		char *end;
		errno = 0;
		d->value = strtod(v, &end);
		if (errno || end == v || *end || !isfinite(d->value)) {
			diag(P, &pos, "'%s' must be a number, not '%s'", key, v);
			return;
		}
		d->present = true;
		d->pos = pos;
		return;
	}
	case K_BOOL: {
		pack_bool *d = (pack_bool *)dest;
		if (!strcmp(v, "true"))
			d->value = true;
		else if (!strcmp(v, "false"))
			d->value = false;
		else {
			diag(P, &pos, "'%s' must be true or false, not '%s'", key, v);
			return;
		}
		d->present = true;
		d->pos = pos;
		return;
	}
	default:
		break;
	}

	pack_str *d = (pack_str *)dest;
	d->pos = pos;
	if (kind == K_SLUG && !slug_valid(v)) {
		diag(P, &pos,
		     "'%s' is not a valid id: use at most %d ASCII letters, digits, '.', '_' or "
		     "'-', "
		     "starting with a letter or digit",
		     v, PACK_SLUG_MAX);
		return;
	}
	if (kind == K_COUNTRY && !country_valid(v)) {
		/* The one everyone writes: the United Kingdom's code is GB. */
		if (!strcmp(v, "UK"))
			diag(P, &pos,
			     "'UK' is not an ISO 3166-1 alpha-2 country code; did you mean 'GB'?");
		else
			diag(P, &pos,
			     "'%s' is not an ISO 3166-1 alpha-2 country code (like CN or AU)", v);
		return;
	}
	if (kind == K_CURRENCY && !currency_valid(v)) {
		diag(P, &pos, "'%s' is not an ISO 4217 currency code (like USD or EUR)", v);
		return;
	}
	if (kind == K_DATE && !date_valid(v)) {
		diag(P, &pos,
		     date_shaped(v) ? "'%s' is not a valid calendar date"
		                    : "'%s' is not a date in the form YYYY-MM-DD",
		     v);
		return;
	}
	if (kind == K_LANG && !lang_valid(v)) {
		diag(P, &pos, "'%s' is not a BCP 47 language tag (like en, fr or zh-Hans)", v);
		return;
	}
	d->text = arena_strndup(P->ctx->arena, v, len);
	if (!d->text)
		oom(P);
}

static void store_enum(struct parser *P, const struct field *f, char *obj, const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	pack_pos pos = mark_pos(ev->start_mark);
	const char *const *names = f->enum_values;
	size_t n = 0;
	char list[256] = "";

	/* The verdict table starts with "none", which a pack may not write. */
	size_t first = names == schema_mode_names() ? 0 : 1;
	for (n = first; names[n]; n++) {
		if (!strcmp(v, names[n])) {
			*(int *)(obj + f->offset) = (int)n;
			*(pack_pos *)(obj + f->aux_offset) = pos;
			return;
		}
	}
	for (size_t i = first; names[i]; i++) {
		strncat(list, i > first ? ", " : "", sizeof(list) - strlen(list) - 1);
		strncat(list, names[i], sizeof(list) - strlen(list) - 1);
	}
	const char *hint = nearest_word(v, names + first, n - first);
	if (hint)
		diag(P, &pos, "'%s' is not a valid %s; did you mean '%s'?", v, f->key, hint);
	else
		diag(P, &pos, "'%s' is not a valid %s: use one of %s", v, f->key, list);
}

/* ---- the frame stack ---- */

static bool note_depth(struct parser *P, const yaml_event_t *ev)
{
	if (P->depth + P->skip < PACK_MAX_DEPTH)
		return true;
	if (!P->depth_reported) {
		pack_pos pos = mark_pos(ev->start_mark);
		diag(P, &pos, "nesting deeper than %d levels is not allowed", PACK_MAX_DEPTH);
		P->depth_reported = true;
	}
	return false;
}

static void skip_subtree(struct parser *P, const yaml_event_t *ev)
{
	if (ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT) {
		note_depth(P, ev);
		P->skip++;
	}
}

static struct frame *push(struct parser *P, enum frame_type type, const yaml_event_t *ev)
{
	if (!note_depth(P, ev)) {
		P->skip++;
		return NULL;
	}
	struct frame *fr = &P->stack[P->depth++];
	memset(fr, 0, sizeof(*fr));
	fr->type = type;
	fr->pos = mark_pos(ev->start_mark);
	return fr;
}

static void push_map(struct parser *P, const struct schema *s, char *obj, const yaml_event_t *ev)
{
	struct frame *fr = push(P, FR_MAP, ev);
	if (!fr)
		return;
	fr->schema = s;
	fr->obj = obj;
	if (s->pos_offset != SIZE_MAX)
		*(pack_pos *)(obj + s->pos_offset) = fr->pos;
}

static void push_collection(struct parser *P, enum frame_type type, const struct field *f,
                            char *owner, const yaml_event_t *ev)
{
	struct frame *fr = push(P, type, ev);
	if (!fr)
		return;
	fr->field = f;
	fr->owner = owner;
	fr->vec.elem_size = type == FR_DYNMAP      ? sizeof(pack_keyed_text)
	                    : f->kind == K_SEQ_STR ? sizeof(pack_str)
	                                           : f->child->size;
}

/* Applies a value event (scalar, alias or collection start) to field f of
 * the struct obj. */
static void apply_value(struct parser *P, const struct field *f, char *obj, const yaml_event_t *ev)
{
	pack_pos pos = mark_pos(ev->start_mark);
	bool want_map = f->kind == K_MAP || f->kind == K_INLINE || f->kind == K_DYNMAP;
	bool want_seq = f->kind == K_SEQ_MAP || f->kind == K_SEQ_STR;

	if (ev->type == YAML_SCALAR_EVENT && want_seq && is_null(ev)) {
		/* "key:" with nothing after it: an empty list. */
		if (f->kind == K_SEQ_STR)
			((pack_strs *)(obj + f->offset))->pos = pos;
		if (f->required)
			diag(P, &pos, "'%s' needs at least one entry", f->key);
		return;
	}
	if (ev->type == YAML_MAPPING_START_EVENT && want_map) {
		char *target = f->kind == K_INLINE     ? obj
		               : f->offset == SIZE_MAX ? (char *)&P->ctx->settings
		                                       : obj + f->offset;
		if (f->kind == K_DYNMAP)
			push_collection(P, FR_DYNMAP, f, obj, ev);
		else
			push_map(P, f->child, target, ev);
		return;
	}
	if (ev->type == YAML_SEQUENCE_START_EVENT && want_seq) {
		push_collection(P, FR_SEQ, f, obj, ev);
		return;
	}
	if (ev->type == YAML_SCALAR_EVENT && !want_map && !want_seq) {
		if (f->kind == K_ENUM)
			store_enum(P, f, obj, ev);
		else
			store_scalar(P, f->kind, f->key, obj + f->offset, ev, f->required);
		return;
	}
	diag(P, &pos, "'%s' must be %s, not %s", f->key, kind_noun(f->kind), event_noun(ev->type));
	skip_subtree(P, ev);
}

static void unknown_key(struct parser *P, const struct schema *s, const char *key,
                        const pack_pos *pos)
{
	const char *names[64];
	char list[512] = "";
	size_t n = s->field_count < 64 ? s->field_count : 64;

	for (size_t i = 0; i < n; i++) {
		names[i] = s->fields[i].key;
		strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
		strncat(list, names[i], sizeof(list) - strlen(list) - 1);
	}
	const char *hint = nearest_word(key, names, n);
	if (hint)
		diag(P, pos, "unknown key '%s' in %s; did you mean '%s'?", key, s->name, hint);
	else
		diag(P, pos, "unknown key '%s' in %s (known keys: %s)", key, s->name, list);
}

static void map_key(struct parser *P, struct frame *fr, const yaml_event_t *ev)
{
	pack_pos pos = mark_pos(ev->start_mark);

	fr->have_key = true;
	fr->skip_value = true;
	if (ev->type != YAML_SCALAR_EVENT) {
		diag(P, &pos, "keys must be plain words, not %s", event_noun(ev->type));
		skip_subtree(P, ev);
		return;
	}
	const char *key = (const char *)ev->data.scalar.value;
	for (size_t i = 0; i < fr->schema->field_count; i++) {
		if (strcmp(key, fr->schema->fields[i].key) != 0)
			continue;
		if (fr->seen & ((uint64_t)1 << i)) {
			diag(P, &pos, "duplicate key '%s' in this %s", key, fr->schema->name);
			return;
		}
		fr->seen |= (uint64_t)1 << i;
		fr->pending = &fr->schema->fields[i];
		fr->skip_value = false;
		return;
	}
	unknown_key(P, fr->schema, key, &pos);
}

static void dynmap_entry(struct parser *P, struct frame *fr, const yaml_event_t *ev)
{
	pack_pos pos = mark_pos(ev->start_mark);

	if (ev->type != YAML_SCALAR_EVENT) {
		diag(P, &pos, "'%s' maps feature ids to text; found %s", fr->field->key,
		     event_noun(ev->type));
		skip_subtree(P, ev);
		fr->have_key = !fr->have_key;
		fr->skip_value = true;
		return;
	}
	if (!fr->have_key) {
		const char *key = (const char *)ev->data.scalar.value;
		fr->have_key = true;
		fr->skip_value = false;
		memset(&fr->dyn_key, 0, sizeof(fr->dyn_key));
		store_scalar(P, K_SLUG, "key", (char *)&fr->dyn_key, ev, true);
		if (!fr->dyn_key.text) {
			fr->skip_value = true;
			return;
		}
		for (size_t i = 0; i < fr->vec.count; i++) {
			const pack_keyed_text *e =
			        (const pack_keyed_text *)(fr->vec.data + i * fr->vec.elem_size);
			if (!strcmp(e->key.text, key)) {
				diag(P, &pos, "duplicate key '%s' in '%s'", key, fr->field->key);
				fr->skip_value = true;
				return;
			}
		}
		return;
	}
	fr->have_key = false;
	if (fr->skip_value)
		return;
	pack_keyed_text *e = vec_push(&fr->vec);
	if (!e) {
		oom(P);
		return;
	}
	e->key = fr->dyn_key;
	store_scalar(P, K_TEXT, e->key.text, (char *)&e->text, ev, true);
}

static void seq_entry(struct parser *P, struct frame *fr, const yaml_event_t *ev)
{
	const struct field *f = fr->field;
	pack_pos pos = mark_pos(ev->start_mark);

	if (f->kind == K_SEQ_MAP && ev->type == YAML_MAPPING_START_EVENT) {
		/* Safe to hand out: the vector only grows after this entry's
		 * frame is popped. */
		char *elem = vec_push(&fr->vec);
		if (!elem) {
			oom(P);
			return;
		}
		push_map(P, f->child, elem, ev);
		return;
	}
	if (f->kind == K_SEQ_STR && ev->type == YAML_SCALAR_EVENT) {
		pack_str *s = vec_push(&fr->vec);
		if (!s) {
			oom(P);
			return;
		}
		store_scalar(P, f->item_kind, f->key, (char *)s, ev, true);
		if (!s->text)
			fr->vec.count--; /* keep the model free of holes */
		return;
	}
	diag(P, &pos, "each entry of '%s' must be %s, not %s", f->key,
	     f->kind == K_SEQ_MAP ? "a mapping" : kind_noun(f->item_kind), event_noun(ev->type));
	skip_subtree(P, ev);
}

static void on_value(struct parser *P, const yaml_event_t *ev)
{
	pack_pos pos = mark_pos(ev->start_mark);
	const char *anchor = NULL;

	if (ev->type == YAML_SCALAR_EVENT)
		anchor = (const char *)ev->data.scalar.anchor;
	else if (ev->type == YAML_MAPPING_START_EVENT)
		anchor = (const char *)ev->data.mapping_start.anchor;
	else if (ev->type == YAML_SEQUENCE_START_EVENT)
		anchor = (const char *)ev->data.sequence_start.anchor;
	if (anchor)
		diag(P, &pos, "anchors (&%s) are not allowed in packs: write each value out",
		     anchor);

	if (ev->type == YAML_ALIAS_EVENT && (P->skip || P->depth == 0))
		diag(P, &pos, "aliases (*%s) are not allowed in packs: write the value out",
		     (const char *)ev->data.alias.anchor);
	if (ev->type == YAML_SCALAR_EVENT && ev->start_mark.line != ev->end_mark.line &&
	    (ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
	     ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE)) {
		P->runon = pos;
		P->runon_end = (uint32_t)ev->end_mark.line + 1;
	}
	if (P->skip) {
		skip_subtree(P, ev);
		return;
	}
	if (P->depth == 0) {
		if (P->root_seen) {
			return;
		}
		P->root_seen = true;
		if (ev->type != YAML_MAPPING_START_EVENT) {
			diag(P, &pos,
			     "a pack must be a mapping of keys (format, id, title, ...), not %s",
			     event_noun(ev->type));
			skip_subtree(P, ev);
			return;
		}
		P->root_is_map = true;
		push_map(P, &schema_pack, (char *)P->target, ev);
		return;
	}

	struct frame *fr = &P->stack[P->depth - 1];
	if (ev->type == YAML_ALIAS_EVENT) {
		diag(P, &pos, "aliases (*%s) are not allowed in packs: write the value out",
		     (const char *)ev->data.alias.anchor);
		if (fr->type != FR_SEQ) {
			/* The alias stood for a key (skip its value) or for a value. */
			fr->skip_value = !fr->have_key || fr->skip_value;
			fr->have_key = !fr->have_key;
		}
		return;
	}
	if (fr->type == FR_SEQ) {
		seq_entry(P, fr, ev);
	} else if (fr->type == FR_DYNMAP) {
		dynmap_entry(P, fr, ev);
	} else if (!fr->have_key) {
		map_key(P, fr, ev);
	} else {
		fr->have_key = false;
		if (fr->skip_value)
			skip_subtree(P, ev);
		else
			apply_value(P, fr->pending, fr->obj, ev);
	}
}

static void finish_map(struct parser *P, struct frame *fr)
{
	const struct schema *s = fr->schema;

	if (s == &schema_pack) {
		P->top_seen = fr->seen; /* required keys depend on pack or library */
		return;
	}
	for (size_t i = 0; i < s->field_count; i++) {
		if (s->fields[i].required && !(fr->seen & ((uint64_t)1 << i)))
			diag(P, &fr->pos, "%s is missing the required key '%s'", s->name,
			     s->fields[i].key);
	}
	if (s == &schema_money)
		((pack_money *)fr->obj)->present = true;
}

static void finish_collection(struct parser *P, struct frame *fr)
{
	const struct field *f = fr->field;
	void *items = NULL;

	if (fr->vec.count) {
		size_t bytes = fr->vec.count * fr->vec.elem_size;
		/* Long lists (shipments) are adopted rather than copied, so the
		 * model's peak is not twice its largest list. */
		if (bytes >= 64 * 1024) {
			items = arena_adopt(P->ctx->arena, fr->vec.data, bytes);
			if (items)
				fr->vec.data = NULL;
		} else {
			items = arena_memdup(P->ctx->arena, fr->vec.data, bytes);
		}
		if (!items) {
			oom(P);
			return;
		}
	}
	if (f->kind == K_SEQ_STR) {
		pack_strs *s = (pack_strs *)(fr->owner + f->offset);
		s->items = items;
		s->count = fr->vec.count;
		s->pos = fr->pos;
	} else {
		*(void **)(fr->owner + f->offset) = items;
		*(size_t *)(fr->owner + f->aux_offset) = fr->vec.count;
	}
	if (f->required && fr->vec.count == 0)
		diag(P, &fr->pos, "'%s' needs at least one entry", f->key);
}

static void on_end(struct parser *P)
{
	if (P->skip) {
		P->skip--;
		return;
	}
	if (P->depth == 0)
		return;
	struct frame *fr = &P->stack[--P->depth];
	if (fr->type == FR_MAP)
		finish_map(P, fr);
	else
		finish_collection(P, fr);
	vec_free(&fr->vec);
}

/* ---- driving libyaml ---- */

static int read_handler(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
	struct parser *P = data;
	size_t n = fread(buffer, 1, size, P->in);

	if (n == 0 && ferror(P->in)) {
		P->read_failed = true;
		return 0;
	}
	P->bytes += n;
	if (P->bytes > P->max_bytes) {
		P->too_big = true;
		return 0;
	}
	*size_read = n;
	return 1;
}

/* Line and column of a byte offset, for reader errors (bad UTF-8). */
static pack_pos offset_pos(struct parser *P, size_t offset, bool inside_char)
{
	pack_pos pos = {1, 1}, char_start = {1, 1};
	FILE *f = P->ctx->source ? NULL : fopen(P->file, "rb");
	const char *buf = P->ctx->source;
	size_t len = P->ctx->source_len;

	for (size_t i = 0; i < offset; i++) {
		int c = f ? getc(f) : (i < len ? (unsigned char)buf[i] : EOF);
		if (c == EOF)
			break;
		if (c == '\n') {
			pos.line++;
			pos.column = 1;
		} else if ((c & 0xC0) != 0x80) {
			char_start = pos;
			pos.column++;
		}
	}
	if (f)
		fclose(f);
	/* A bad continuation byte belongs to the character its lead began. */
	return inside_char ? char_start : pos;
}

static void report_yaml_error(struct parser *P)
{
	yaml_parser_t *yp = &P->yp;
	pack_pos pos;

	if (P->too_big) {
		pos = (pack_pos){0, 0};
		diag(P, &pos, "the file is larger than the %zu MiB limit", P->max_bytes >> 20);
		return;
	}
	if (P->read_failed) {
		pos = (pack_pos){0, 0};
		diag(P, &pos, "cannot read the file: %s", strerror(errno));
		return;
	}
	if (yp->error == YAML_MEMORY_ERROR) {
		oom(P);
		return;
	}
	if (yp->error == YAML_READER_ERROR) {
		bool trailing = yp->problem && (strstr(yp->problem, "trailing") ||
		                                strstr(yp->problem, "incomplete"));
		pos = offset_pos(P, yp->problem_offset, trailing);
		diag(P, &pos, "this is not valid UTF-8 text: save the file as UTF-8 (libyaml: %s)",
		     yp->problem ? yp->problem : "cannot read the file");
		return;
	}
	pos = mark_pos(yp->problem_mark);
	if (yp->context && strstr(yp->context, "quoted scalar")) {
		/* Point at the opening quote, which is what needs fixing. */
		pack_pos start = mark_pos(yp->context_mark);
		diag(P, &start, "this quoted text has no closing quote (YAML: %s)",
		     yp->problem ? yp->problem : "error");
		return;
	}
	if (P->runon.line && P->runon_end + 3 >= pos.line)
		diag(P, &P->runon,
		     "this quoted text runs on to line %u: is its closing quote missing?",
		     P->runon_end);
	if (yp->context)
		diag(P, &pos, "YAML syntax error: %s %s (line %u)",
		     yp->problem ? yp->problem : "error", yp->context,
		     (unsigned)yp->context_mark.line + 1);
	else
		diag(P, &pos, "YAML syntax error: %s", yp->problem ? yp->problem : "error");
}

/* Removes the diagnostics added after the first `keep` ones. */
static void drop_diags_since(pack_diags *d, size_t keep)
{
	while (d->count > keep) {
		pack_diag *g = &d->items[--d->count];
		if (g->severity == PACK_ERROR)
			d->errors--;
		else
			d->warnings--;
		free(g->file);
		free(g->message);
		free(g->source_line);
	}
}

/* Parses one file or buffer into target.  Returns false when parsing had to
 * stop early (syntax error, no memory); field errors do not stop it. */
static bool parse_source(struct load_ctx *ctx, pack *target, const char *file, FILE *in,
                         const char *buf, size_t len, uint64_t *top_seen)
{
	struct parser *P = calloc(1, sizeof(*P));
	bool ok = true;
	int documents = 0;
	size_t diags_before = ctx->diags->count;

	if (!P) {
		ctx->diags->out_of_memory = true;
		return false;
	}
	P->ctx = ctx;
	P->target = target;
	P->file = file;
	P->in = in;
	P->max_bytes =
	        ctx->opts && ctx->opts->max_bytes ? ctx->opts->max_bytes : PACK_DEFAULT_MAX_BYTES;
	if (!yaml_parser_initialize(&P->yp)) {
		free(P);
		ctx->diags->out_of_memory = true;
		return false;
	}
	if (in)
		yaml_parser_set_input(&P->yp, read_handler, P);
	else
		yaml_parser_set_input_string(&P->yp, (const unsigned char *)buf, len);

	while (!P->done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&P->yp, &ev)) {
			/* What was said about the half-read structure before a syntax
			 * error is mostly its echo: keep the syntax error alone. */
			drop_diags_since(ctx->diags, diags_before);
			report_yaml_error(P);
			ok = false;
			break;
		}
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++documents > 1) {
				pack_pos pos = mark_pos(ev.start_mark);
				diag(P, &pos,
				     "a pack file holds one YAML document; remove the "
				     "second '---'");
				P->done = true;
			}
			break;
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			on_value(P, &ev);
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			on_end(P);
			break;
		case YAML_STREAM_END_EVENT:
			P->done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	if (ok && P->root_seen && !P->root_is_map)
		ok = false; /* nothing more to say about a file that is not a mapping */
	if (ok && !P->root_seen) {
		pack_pos pos = {1, 1};
		diag(P, &pos,
		     "the file is empty: a pack needs at least format, id, title, version "
		     "and summary");
		ok = false;
	}
	if (ctx->diags->out_of_memory)
		ok = false;
	while (P->depth > 0)
		vec_free(&P->stack[--P->depth].vec);
	*top_seen = P->top_seen;
	yaml_parser_delete(&P->yp);
	free(P);
	return ok;
}

/* ---- after parsing: top-level rules, settings, includes ---- */

static size_t field_index(const char *key)
{
	for (size_t i = 0; i < schema_pack.field_count; i++)
		if (!strcmp(schema_pack.fields[i].key, key))
			return i;
	return 0;
}

static bool only_library_keys(uint64_t seen)
{
	uint64_t lib =
	        ((uint64_t)1 << field_index("format")) | ((uint64_t)1 << field_index("brands"));
	return seen && !(seen & ~lib) && (seen & ((uint64_t)1 << field_index("brands")));
}

static void check_top_level(struct load_ctx *ctx, pack *p, uint64_t seen)
{
	pack_pos top = p->pos.line ? p->pos : (pack_pos){1, 1};

	p->is_library = only_library_keys(seen);
	for (size_t i = 0; i < schema_pack.field_count; i++) {
		const struct field *f = &schema_pack.fields[i];
		if (!f->required || (seen & ((uint64_t)1 << i)))
			continue;
		if (p->is_library && strcmp(f->key, "format") != 0)
			continue;
		ctx_diag(ctx, PACK_ERROR, p->path, &top,
		         "the pack is missing the required key '%s'", f->key);
	}
}

static void convert_settings(struct load_ctx *ctx, pack *p)
{
	const struct raw_settings *r = &ctx->settings;

	p->settings.pos = r->pos;
	p->settings.mode = PACK_PRACTICE;
	if (r->mode.text) {
		if (!strcmp(r->mode.text, "exam")) {
			p->settings.mode = PACK_EXAM;
		} else if (strcmp(r->mode.text, "practice") != 0) {
			const char *modes[] = {"practice", "exam"};
			const char *hint = nearest_word(r->mode.text, modes, 2);
			ctx_diag(ctx, PACK_ERROR, p->path, &r->mode.pos,
			         "'%s' is not a valid mode: use practice or exam%s%s%s",
			         r->mode.text, hint ? "; did you mean '" : "", hint ? hint : "",
			         hint ? "'?" : "");
		}
	}
	p->settings.inspections = -1;
	if (r->inspections.present) {
		if (r->inspections.value < 1)
			ctx_diag(ctx, PACK_ERROR, p->path, &r->inspections.pos,
			         "inspections must be at least 1 (leave it out for no limit)");
		else
			p->settings.inspections = r->inspections.value;
	}
	if (r->time_limit_minutes.present) {
		if (r->time_limit_minutes.value < 1 || r->time_limit_minutes.value > 24 * 60)
			ctx_diag(ctx, PACK_ERROR, p->path, &r->time_limit_minutes.pos,
			         "time_limit_minutes must be from 1 to 1440 (leave it out for no "
			         "limit)");
		else
			p->settings.time_limit_minutes = r->time_limit_minutes.value;
	}
	p->settings.shuffle = r->shuffle.present && r->shuffle.value;
}

static const pack_scoring default_scoring = {
        .target_hit = 10,
        .target_miss = -10,
        .false_alarm = -3,
        .clear_release = 0,
        .indicator_hit = 2,
        .indicator_false = -1,
        .verdict_correct = 10,
        .verdict_missed_fake = -10,
        .verdict_false_fake = -5,
        .evidence_hit = 2,
        .evidence_false = -1,
        .action_correct = 5,
        .question_correct = 5,
};

/* What is wrong with the i-th include (resolved to file), or NULL. */
static const char *include_problem(const pack *p, size_t i, const char *file)
{
	struct stat st;

	for (size_t k = 0; k < i; k++)
		if (!strcmp(p->include.items[k].text, p->include.items[i].text))
			return "is included twice";
	if (stat(file, &st) != 0)
		return NULL; /* fopen reports why */
	if (S_ISDIR(st.st_mode))
		return "is a folder, not a brand-library file";
	if (!path_inside(file, p->base_dir))
		return "leads outside the pack's folder (through a symbolic link)";
	return NULL;
}

/* Loads each brand library the pack includes and appends its brands. */
static void load_includes(struct load_ctx *ctx, pack *p)
{
	struct vec all = {.elem_size = sizeof(pack_brand)};

	if (p->include.count == 0)
		return;
	for (size_t i = 0; i < p->brand_count; i++) {
		pack_brand *b = vec_push(&all);
		if (!b)
			goto oom;
		*b = p->brands[i];
	}
	for (size_t i = 0; i < p->include.count; i++) {
		const pack_str *inc = &p->include.items[i];
		if (!path_stays_inside(inc->text)) {
			ctx_diag(
			        ctx, PACK_ERROR, p->path, &inc->pos,
			        "include '%s' must be a relative path that stays inside the pack's "
			        "folder",
			        inc->text);
			continue;
		}
		if (!p->base_dir) {
			ctx_diag(ctx, PACK_ERROR, p->path, &inc->pos,
			         "include '%s' cannot be resolved: this pack was not loaded from a "
			         "folder",
			         inc->text);
			continue;
		}
		char *full = path_join(p->base_dir, inc->text);
		char *file = full ? arena_strndup(ctx->arena, full, strlen(full)) : NULL;
		free(full);
		if (!file)
			goto oom;
		const char *problem = include_problem(p, i, file);
		if (problem) {
			ctx_diag(ctx, PACK_ERROR, p->path, &inc->pos, "included file '%s' %s",
			         inc->text, problem);
			continue;
		}
		FILE *in = fopen(file, "rb");
		if (!in) {
			ctx_diag(ctx, PACK_ERROR, p->path, &inc->pos,
			         "cannot open included file '%s': %s", inc->text, strerror(errno));
			continue;
		}
		pack lib;
		uint64_t seen = 0;
		const char *saved = ctx->source;
		memset(&lib, 0, sizeof(lib));
		ctx->source = NULL;
		bool ok = parse_source(ctx, &lib, file, in, NULL, 0, &seen);
		ctx->source = saved;
		fclose(in);
		if (!ok)
			continue;
		if (!only_library_keys(seen)) {
			ctx_diag(ctx, PACK_ERROR, p->path, &inc->pos,
			         "included file '%s' must be a brand library holding only 'format' "
			         "and 'brands'",
			         inc->text);
			continue;
		}
		if (!lib.format.present || lib.format.value != PACK_FORMAT_VERSION) {
			pack_pos pos = lib.format.present ? lib.format.pos : (pack_pos){1, 1};
			ctx_diag(ctx, PACK_ERROR, file, &pos, "a brand library needs 'format: %d'",
			         PACK_FORMAT_VERSION);
		}
		for (size_t b = 0; b < lib.brand_count; b++) {
			pack_brand *dst = vec_push(&all);
			if (!dst)
				goto oom;
			*dst = lib.brands[b];
			dst->file = file;
		}
	}
	p->brands =
	        all.count ? arena_memdup(ctx->arena, all.data, all.count * all.elem_size) : NULL;
	if (all.count && !p->brands)
		goto oom;
	p->brand_count = all.count;
	vec_free(&all);
	return;
oom:
	ctx->diags->out_of_memory = true;
	vec_free(&all);
}

static pack *load(const char *path, FILE *in, const char *buf, size_t len, const char *base_dir,
                  const pack_load_options *opts, pack_diags *diags)
{
	struct load_ctx ctx;
	size_t errors_before = diags->errors;
	struct pack_arena *arena = arena_new();
	pack *p = arena ? arena_alloc(arena, sizeof(pack)) : NULL;
	uint64_t seen = 0;

	if (!p) {
		arena_free(arena);
		diags->out_of_memory = true;
		return NULL;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.p = p;
	ctx.arena = arena;
	ctx.diags = diags;
	ctx.opts = opts;
	ctx.source = buf;
	ctx.source_len = len;
	p->arena = arena;
	p->scoring = default_scoring;
	p->path = arena_strndup(arena, path, strlen(path));
	if (base_dir)
		p->base_dir = arena_strndup(arena, base_dir, strlen(base_dir));
	if (!p->path || (base_dir && !p->base_dir))
		goto fail;

	if (parse_source(&ctx, p, p->path, in, buf, len, &seen)) {
		check_top_level(&ctx, p, seen);
		/* The model is still ours to fill until it is returned. */
		for (size_t i = 0; i < p->brand_count; i++)
			((pack_brand *)&p->brands[i])->file = p->path;
		convert_settings(&ctx, p);
		if (p->format.present && p->format.value != PACK_FORMAT_VERSION)
			ctx_diag(&ctx, PACK_ERROR, p->path, &p->format.pos,
			         "this is pack format %lld; this ipr-drill reads format %d",
			         p->format.value, PACK_FORMAT_VERSION);
		else
			load_includes(&ctx, p);
		validate_pack(&ctx);
	}
	if (diags->errors == errors_before && !diags->out_of_memory)
		return p;
fail:
	arena_free(arena);
	return NULL;
}

pack *pack_load_file(const char *path, const pack_load_options *opts, pack_diags *diags)
{
	size_t max = opts && opts->max_bytes ? opts->max_bytes : PACK_DEFAULT_MAX_BYTES;
	pack_pos pos = {0, 0};
	struct stat st;
	FILE *in = fopen(path, "rb");
	pack *p;

	if (!in) {
		pack_diag_add(diags, PACK_ERROR, path, &pos, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fileno(in), &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			pack_diag_add(diags, PACK_ERROR, path, &pos,
			              "is a folder, not a pack file");
			fclose(in);
			return NULL;
		}
		if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
			pack_diag_add(diags, PACK_ERROR, path, &pos,
			              "the file is larger than the %zu MiB limit", max >> 20);
			fclose(in);
			return NULL;
		}
	}
	char *dir = path_dirname(path);
	if (!dir) {
		fclose(in);
		diags->out_of_memory = true;
		return NULL;
	}
	p = load(path, in, NULL, 0, dir, opts, diags);
	if (p)
		p->source_bytes = S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
	free(dir);
	fclose(in);
	return p;
}

pack *pack_load_buffer(const char *data, size_t len, const char *name, const char *base_dir,
                       const pack_load_options *opts, pack_diags *diags)
{
	size_t max = opts && opts->max_bytes ? opts->max_bytes : PACK_DEFAULT_MAX_BYTES;
	pack_pos pos = {0, 0};
	pack *p;

	if (len > max) {
		pack_diag_add(diags, PACK_ERROR, name ? name : "<buffer>", &pos,
		              "the input is larger than the %zu MiB limit", max >> 20);
		return NULL;
	}
	p = load(name ? name : "<buffer>", NULL, data, len, base_dir, opts, diags);
	if (p)
		p->source_bytes = len;
	return p;
}

void pack_free(pack *p)
{
	if (p)
		arena_free(p->arena);
}
