/* stats.c - the numeric helpers the report's SQL needs: sqrt() when this
 * SQLite was built without its math functions, and the score histogram. */
#include "report_internal.h"

/* Newton's iteration, so that the library needs no libm: converges to
 * within rounding in a few dozen steps for any finite positive x. */
static double newton_sqrt(double x)
{
	if (x == 0)
		return 0;
	double g = x > 1 ? x : 1;
	for (int i = 0; i < 200; i++) {
		double next = 0.5 * (g + x / g);
		if (next >= g)
			break;
		g = next;
	}
	return g;
}

static void sqrt_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	double x = sqlite3_value_double(argv[0]);
	if (!(x >= 0) || x > 1e300)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_double(ctx, newton_sqrt(x));
}

int report_stats_register(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	/* Preparing fails with "no such function" when sqrt() is missing. */
	int rc = sqlite3_prepare_v2(db, "SELECT sqrt(4.0)", -1, &st, NULL);
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		return SQLITE_OK;
	return sqlite3_create_function(db, "sqrt", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                               sqrt_fn, NULL, NULL);
}

int report_stats_histogram(report *r, int64_t counts[10])
{
	for (int i = 0; i < 10; i++)
		counts[i] = 0;
	sqlite3_stmt *st = NULL;
	/* 100 % falls in the last bin; scores below 0 % in the first. */
	int rc = sqlite3_prepare_v2(r->db,
	                            "SELECT min(9, max(0, CAST(pct / 10 AS INTEGER))) AS bin,"
	                            " count(*) FROM temp.rep_attempt WHERE pct IS NOT NULL"
	                            " GROUP BY bin",
	                            -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int bin = sqlite3_column_int(st, 0);
		if (bin >= 0 && bin < 10)
			counts[bin] = sqlite3_column_int64(st, 1);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : report_sql_fail(r, "cannot count the scores");
}
