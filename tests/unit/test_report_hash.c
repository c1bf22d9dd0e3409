/* test_report_hash.c - the report's hash table and its GROUP BY by
 * hashing, against SQLite's own GROUP BY on the same rows. */
#include "report_internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* Many keys (the table grows several times), found again, with their
 * indices dense and in order of first appearance; keys that differ only
 * in length or hold NUL bytes stay apart. */
static void test_hash(void **state)
{
	(void)state;
	report_hash h = {0};
	char key[32];
	bool added;
	for (int i = 0; i < 20000; i++) {
		int n = snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(report_hash_put(&h, key, (size_t)n, &added), (size_t)i);
		assert_true(added);
	}
	for (int i = 0; i < 20000; i += 7) {
		int n = snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(report_hash_put(&h, key, (size_t)n, &added), (size_t)i);
		assert_false(added);
		assert_int_equal(report_hash_get(&h, key, (size_t)n), (size_t)i);
		size_t len;
		const unsigned char *k = report_hash_key(&h, (size_t)i, &len);
		assert_int_equal(len, (size_t)n);
		assert_memory_equal(k, key, len);
	}
	assert_int_equal(report_hash_get(&h, "k20000", 6), SIZE_MAX);
	assert_int_equal(report_hash_get(&h, "k1", 1), SIZE_MAX);
	size_t a = report_hash_put(&h, "a\0b", 3, &added);
	size_t b = report_hash_put(&h, "a\0c", 3, &added);
	assert_int_not_equal(a, b);
	assert_int_equal(report_hash_get(&h, "a\0b", 3), a);
	assert_int_equal(report_hash_get(&h, "a", 1), SIZE_MAX);
	report_hash_free(&h);
	/* An empty table finds nothing. */
	assert_int_equal(report_hash_get(&h, "x", 1), SIZE_MAX);
}

/* A results database (for the messages' path) holding rows to group in
 * its temp database. */
static sqlite3 *open_rows(report *r, char *dir)
{
	strcpy(dir, "/tmp/test-report-hash-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char path[64], err[STORE_ERR_SIZE];
	snprintf(path, sizeof path, "%s/results.db", dir);
	assert_int_equal(store_open(path, 0, &r->s, err, sizeof err), 0);
	sqlite3 *db = store_handle(r->s);
	r->db = db;
	/* Texts, integers, reals, NULLs and blobs as keys (the text 'p1' and
	 * the blob 'p1' apart, as SQL keeps them); 30,000 rows in 483 groups. */
	assert_int_equal(sqlite3_exec(db,
	                              "CREATE TEMP TABLE t(a, b, x INTEGER);"
	                              "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1"
	                              " FROM n WHERE i < 29999)"
	                              " INSERT INTO t SELECT CASE i % 5 WHEN 0 THEN NULL"
	                              " WHEN 1 THEN 'p' || (i / 5 % 40) WHEN 2 THEN i / 5 % 40"
	                              " WHEN 3 THEN (i / 5 % 40) + 0.5"
	                              " ELSE CAST('p' || (i / 5 % 40) AS BLOB)"
	                              " END, 's' || (i % 3), (i * 7919) % 1000 - 500 FROM n;"
	                              "CREATE TEMP TABLE g(a, b, n, sx, lo, hi);",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	return db;
}

static int64_t one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* report_aggregate() gives exactly the groups of SQL's GROUP BY. */
static void test_aggregate(void **state)
{
	(void)state;
	report r = {0};
	char dir[64];
	sqlite3 *db = open_rows(&r, dir);
	assert_int_equal(report_aggregate(&r, "SELECT a, b, x, x, x FROM t", NULL, 2, "s<>",
	                                  "INSERT INTO g VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
	                 0);
	assert_int_equal(one(db, "SELECT count(*) FROM (SELECT a, b FROM t GROUP BY a, b)"), 483);
	assert_int_equal(one(db, "SELECT count(*) FROM g"), 483);
	/* Every group matches SQLite's (IS: NULL keys too, types kept). */
	assert_int_equal(one(db,
	                     "SELECT count(*) FROM (SELECT a, b, count(*) AS n, sum(x) AS sx,"
	                     " min(x) AS lo, max(x) AS hi FROM t GROUP BY a, b) q"
	                     " JOIN g ON g.a IS q.a AND g.b IS q.b AND typeof(g.a) = typeof(q.a)"
	                     " AND g.n = q.n AND g.sx = q.sx AND g.lo = q.lo AND g.hi = q.hi"),
	                 483);
	/* A malformed grouping and an SQL error are reported, not crashed on. */
	assert_int_equal(
	        report_aggregate(&r, "SELECT a FROM t", NULL, 2, "", "INSERT INTO g VALUES (?1)"),
	        -1);
	assert_non_null(strstr(r.err, "malformed"));
	assert_int_equal(report_aggregate(&r, "SELECT nope FROM t", NULL, 1, "",
	                                  "INSERT INTO g VALUES (?1)"),
	                 -1);
	assert_non_null(strstr(r.err, "nope"));
	/* Sums that do not fit 64 bits are refused. */
	assert_int_equal(report_aggregate(&r, "SELECT 1, 9223372036854775807 FROM t", NULL, 1, "s",
	                                  "INSERT INTO g(a, n, sx) VALUES (?1, ?2, ?3)"),
	                 -1);
	assert_non_null(strstr(r.err, "too large"));
	/* With the attempts' columns: a row's first column, a uuid, stands for
	 * its attempt's columns; rows of other attempts are passed over. */
	assert_int_equal(
	        sqlite3_exec(db,
	                     "CREATE TEMP TABLE rep_attempt(uuid TEXT PRIMARY KEY, trainee,"
	                     " pack_id);"
	                     "INSERT INTO rep_attempt VALUES ('u1', 'Ana', 'p'),"
	                     " ('u2', 'Ben', 'p'), ('u3', 'Ana', 'q');"
	                     "CREATE TEMP TABLE s(u, sid, x);"
	                     "INSERT INTO s VALUES ('u1', 'S1', 1), ('u1', 'S1', 2),"
	                     " ('u1', 'S2', 4), ('zz', 'S1', 8), ('u2', 'S1', 16),"
	                     " ('u3', 'S1', 32), ('u1', 'S1', 64), (NULL, 'S1', 128);"
	                     "CREATE TEMP TABLE ga(trainee, pack_id, sid, n, sx);",
	                     NULL, NULL, NULL),
	        SQLITE_OK);
	assert_int_equal(report_aggregate(&r, "SELECT u, sid, x FROM s", "trainee, pack_id", 2, "s",
	                                  "INSERT INTO ga VALUES (?1, ?2, ?3, ?4, ?5)"),
	                 0);
	assert_int_equal(one(db, "SELECT count(*) FROM ga"), 4);
	assert_int_equal(one(db, "SELECT sx FROM ga WHERE trainee = 'Ana' AND pack_id = 'p'"
	                         " AND sid = 'S1' AND n = 3"),
	                 67);
	assert_int_equal(one(db, "SELECT sx FROM ga WHERE trainee = 'Ana' AND pack_id = 'q'"), 32);
	assert_int_equal(one(db, "SELECT sum(sx) FROM ga"), 1 + 2 + 4 + 16 + 32 + 64);
	store_close(r.s);
	char path[128];
	snprintf(path, sizeof path, "%s/results.db", dir);
	remove(path);
	snprintf(path, sizeof path, "%s/results.db-journal", dir);
	remove(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_hash),
	        cmocka_unit_test(test_aggregate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
