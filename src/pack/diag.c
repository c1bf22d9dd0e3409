/* diag.c - collecting problems and printing them with the source line. */
#include "internal.h"
#include "ipr-drill/text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void pack_diags_init(pack_diags *diags)
{
	memset(diags, 0, sizeof(*diags));
}

void pack_diags_free(pack_diags *diags)
{
	for (size_t i = 0; i < diags->count; i++) {
		free(diags->items[i].file);
		free(diags->items[i].message);
		free(diags->items[i].source_line);
	}
	free(diags->items);
	pack_diags_init(diags);
}

static pack_diag *diag_vadd(pack_diags *diags, enum pack_severity severity, const char *file,
                            const pack_pos *pos, const char *fmt, va_list ap)
{
	pack_diag *d;

	if (severity == PACK_ERROR)
		diags->errors++;
	else
		diags->warnings++;
	if (diags->count == diags->capacity) {
		size_t cap = diags->capacity ? diags->capacity * 2 : 16;
		pack_diag *items = realloc(diags->items, cap * sizeof(*items));
		if (!items) {
			diags->out_of_memory = true;
			return NULL;
		}
		diags->items = items;
		diags->capacity = cap;
	}
	d = &diags->items[diags->count];
	memset(d, 0, sizeof(*d));
	d->severity = severity;
	if (pos) {
		d->line = pos->line;
		d->column = pos->column;
	}
	d->file = strdup(file ? file : "<input>");
	d->message = text_vprintf(fmt, ap);
	if (!d->file || !d->message) {
		free(d->file);
		free(d->message);
		diags->out_of_memory = true;
		return NULL;
	}
	diags->count++;
	return d;
}

void pack_diag_add(pack_diags *diags, enum pack_severity severity, const char *file,
                   const pack_pos *pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(diags, severity, file, pos, fmt, ap);
	va_end(ap);
}

/* The line-th line (1-based) of buf, malloc'd without its newline. */
static char *line_of_buffer(const char *buf, size_t len, uint32_t line)
{
	size_t i = 0, start;
	uint32_t at = 1;

	while (at < line && i < len) {
		if (buf[i++] == '\n')
			at++;
	}
	if (at != line)
		return NULL;
	start = i;
	while (i < len && buf[i] != '\n' && buf[i] != '\r')
		i++;
	char *out = malloc(i - start + 1);
	if (out) {
		memcpy(out, buf + start, i - start);
		out[i - start] = '\0';
	}
	return out;
}

void ctx_diag(struct load_ctx *ctx, enum pack_severity sev, const char *file, const pack_pos *pos,
              const char *fmt, ...)
{
	va_list ap;
	pack_diag *d;

	va_start(ap, fmt);
	d = diag_vadd(ctx->diags, sev, file, pos, fmt, ap);
	va_end(ap);
	/* A buffer cannot be read back at print time: keep its line now. */
	if (d && ctx->source && pos && pos->line > 0 && file && ctx->p && ctx->p->path &&
	    strcmp(file, ctx->p->path) == 0)
		d->source_line = line_of_buffer(ctx->source, ctx->source_len, pos->line);
}

/* The line-th line of a file, malloc'd; NULL when it cannot be read. */
static char *line_of_file(const char *path, uint32_t line)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n = -1;

	if (!f)
		return NULL;
	for (uint32_t at = 1; at <= line; at++) {
		n = getline(&buf, &cap, f);
		if (n < 0)
			break;
	}
	fclose(f);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return buf;
}

/* Prints the source line and a caret under the column-th character (libyaml
 * counts columns in characters); tabs are echoed so the caret lines up. */
static void print_caret(FILE *out, const char *line, uint32_t column, bool color)
{
	char *safe = text_sanitize(line, true);
	size_t i = 0, len = strlen(line);
	uint32_t ch = 1;

	if (!safe)
		return;
	fprintf(out, " %s\n ", safe);
	free(safe);
	while (i < len && ch < column) {
		uint32_t cp;
		size_t n = text_utf8_decode(line + i, len - i, &cp);
		if (n == 0) {
			n = 1;
			cp = '?';
		}
		if (cp == '\t') {
			fputc('\t', out);
		} else {
			for (int w = text_cp_width(cp); w > 0; w--)
				fputc(' ', out);
		}
		i += n;
		ch++;
	}
	fprintf(out, "%s^%s\n", color ? "\033[1;32m" : "", color ? "\033[0m" : "");
}

void pack_diags_print(const pack_diags *diags, FILE *out, bool color)
{
	for (size_t i = 0; i < diags->count; i++) {
		const pack_diag *d = &diags->items[i];
		bool err = d->severity == PACK_ERROR;
		char *file = text_sanitize(d->file, false);
		char *msg = text_sanitize(d->message, false);
		const char *sev_color = err ? "\033[1;31m" : "\033[1;35m";

		if (!file || !msg) {
			free(file);
			free(msg);
			continue;
		}
		fprintf(out, "%s%s:%u:%u:%s %s%s:%s %s\n", color ? "\033[1m" : "", file, d->line,
		        d->column, color ? "\033[0m" : "", color ? sev_color : "",
		        err ? "error" : "warning", color ? "\033[0m" : "", msg);
		free(file);
		free(msg);
		if (d->line > 0) {
			char *line = d->source_line ? strdup(d->source_line)
			                            : line_of_file(d->file, d->line);
			if (line && *line)
				print_caret(out, line, d->column, color);
			free(line);
		}
	}
	if (diags->out_of_memory)
		fprintf(out, "ipr-drill: out of memory: some problems were not recorded\n");
}
