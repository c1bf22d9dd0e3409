/* tui-bench.c - keypress-to-frame latency of the trainer's targeting board
 * (issue 3: p99 under 16 ms with 50,000 shipments; first frame under
 * 50 ms).  Draws into an off-screen terminal made with newterm() on
 * /dev/null, at a fixed size, through the same key dispatch + draw +
 * doupdate path the real trainer uses (src/tui/bench_hooks.h).
 *
 * usage: tui-bench PACK [--keys N] [--size COLSxROWS] [--idle] [--dump FILE]
 *   PACK from bench/gen-pack.py N, or any pack (the bundled ones for the
 *   first-frame figure).  --idle first runs the idle ticks the trainer
 *   runs while the briefing is read (each builds one sort index), as a
 *   trainee reading for 2 seconds would; without it every column's first
 *   sort is measured cold. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "bench_hooks.h"
#include "ipr-drill/engine.h"
#include "ipr-drill/pack.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

enum kind {
	K_PAGE,
	K_DOWN,
	K_SORT_FIRST,
	K_SORT,
	K_REVERSE,
	K_SELECT,
	K_GUIDE_OPEN,
	K_GUIDE_CLOSE,
	K_COUNT
};
static const char *const kind_names[K_COUNT] = {
        "scroll a page (PgDn/PgUp)",    "move one row (j)",      "sort, first time per column (s)",
        "sort, column seen before (s)", "reverse sort (S)",      "select/deselect (Space)",
        "open the guide (g)",           "close the guide (Esc)",
};

typedef struct samples {
	double *v;
	size_t n, cap;
} samples;

static int add(samples *s, double x)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		double *nv = realloc(s->v, cap * sizeof *nv);
		if (!nv)
			return -1;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = x;
	return 0;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(const samples *s, double p)
{
	size_t i;
	if (s->n == 0)
		return 0;
	i = (size_t)(p / 100.0 * (double)(s->n - 1) + 0.5);
	return s->v[i < s->n ? i : s->n - 1];
}

static double timed_key(tui *t, int key)
{
	double t0 = now_ms();
	tui_ex_key(t, key);
	return now_ms() - t0;
}

int main(int argc, char **argv)
{
	const char *path = NULL, *dump = NULL;
	int idle = 0;
	size_t keys = 400;
	int cols = 120, rows = 40;
	samples s[K_COUNT] = {{0}};
	double t_start = now_ms();
	pack_diags diags;
	pack *p;
	engine *e;
	tui *t = NULL;
	FILE *in, *out;
	char buf[32];

	setlocale(LC_ALL, "");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--keys") == 0 && i + 1 < argc)
			keys = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc)
			sscanf(argv[++i], "%dx%d", &cols, &rows);
		else if (strcmp(argv[i], "--idle") == 0)
			idle = 1;
		else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
			dump = argv[++i];
		else
			path = argv[i];
	}
	if (!path) {
		fprintf(stderr,
		        "usage: tui-bench PACK [--keys N] [--size COLSxROWS] [--dump FILE]\n");
		return 2;
	}
	if (!getenv("TERM") || !getenv("TERM")[0])
		setenv("TERM", "xterm-256color", 1);
	snprintf(buf, sizeof buf, "%d", rows);
	setenv("LINES", buf, 1);
	snprintf(buf, sizeof buf, "%d", cols);
	setenv("COLUMNS", buf, 1);

	pack_diags_init(&diags);
	p = pack_load_file(path, NULL, &diags);
	if (!p) {
		pack_diags_print(&diags, stderr, false);
		pack_diags_free(&diags);
		return 1;
	}
	double t_loaded = now_ms();
	engine_options eo = {0};
	eo.seed = 1;
	eo.mode = ENGINE_MODE_PRACTICE;
	e = engine_new(p, &eo);
	in = fopen("/dev/null", "r");
	out = fopen("/dev/null", "w");
	if (!e || !in || !out) {
		fprintf(stderr, "tui-bench: out of memory or no /dev/null\n");
		return 1;
	}
	tui_options to = {0};
	if (tui_bench_open(in, out, &to, &t) != TUI_OK) {
		fprintf(stderr, "tui-bench: %s\n", tui_errmsg(t));
		return 1;
	}
	double t_begin = now_ms();
	if (tui_ex_begin(t, e) != TUI_OK) {
		fprintf(stderr, "tui-bench: %s\n", tui_errmsg(t));
		return 1;
	}
	double t_first = now_ms();
	printf("pack %s: %zu shipments, terminal %dx%d\n", path, p->shipment_count, cols, rows);
	printf("load %.1f ms; first frame (briefing) %.2f ms after load; %.1f ms from start\n",
	       t_loaded - t_start, t_first - t_begin, t_first - t_start);

	if (idle) {
		double ti = now_ms();
		for (int k = 0; k < 8; k++) /* 8 ticks of 250 ms: 2 s of reading */
			tui_ex_idle(t);
		printf("idle ticks while the briefing is read: %.1f ms of work in 8 ticks\n",
		       now_ms() - ti);
	}
	double t0 = now_ms();
	tui_ex_key(t, '\n'); /* begin: the targeting board's first frame */
	printf("first frame of the targeting board: %.2f ms\n", now_ms() - t0);

	if (p->shipment_count > 0) {
		for (size_t k = 0; k < keys; k++) {
			int dir = (k / 50) % 2 ? TUI_FKEY(KEY_PPAGE) : TUI_FKEY(KEY_NPAGE);
			add(&s[K_PAGE], timed_key(t, dir));
			add(&s[K_DOWN], timed_key(t, 'j'));
			double d = timed_key(t, 's');
			add(&s[k < 6 ? K_SORT_FIRST : K_SORT], d);
			add(&s[K_REVERSE], timed_key(t, 'S'));
			add(&s[K_SELECT], timed_key(t, ' '));
			add(&s[K_GUIDE_OPEN], timed_key(t, 'g'));
			add(&s[K_GUIDE_CLOSE], timed_key(t, TUI_ESC));
		}
	}
	printf("\n%-32s %6s %8s %8s %8s %8s\n", "key (targeting board)", "n", "p50 ms", "p95 ms",
	       "p99 ms", "max ms");
	samples all = {0};
	for (int k = 0; k < K_COUNT; k++) {
		qsort(s[k].v, s[k].n, sizeof(double), cmp_d);
		for (size_t i = 0; i < s[k].n; i++)
			add(&all, s[k].v[i]);
		if (s[k].n)
			printf("%-32s %6zu %8.3f %8.3f %8.3f %8.3f\n", kind_names[k], s[k].n,
			       pct(&s[k], 50), pct(&s[k], 95), pct(&s[k], 99), pct(&s[k], 100));
	}
	qsort(all.v, all.n, sizeof(double), cmp_d);
	if (all.n)
		printf("%-32s %6zu %8.3f %8.3f %8.3f %8.3f\n", "all keys", all.n, pct(&all, 50),
		       pct(&all, 95), pct(&all, 99), pct(&all, 100));
	if (dump) {
		FILE *f = fopen(dump, "w");
		if (f) {
			tui_bench_dump(t, f);
			fclose(f);
		}
	}
	for (int k = 0; k < K_COUNT; k++)
		free(s[k].v);
	free(all.v);
	tui_close(t);
	fclose(in);
	fclose(out);
	engine_free(e);
	pack_free(p);
	pack_diags_free(&diags);
	return 0;
}
