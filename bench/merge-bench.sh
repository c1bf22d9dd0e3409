#!/bin/sh
# merge-bench.sh BUILD_DIR [N...] - times `ipr-drill merge` of a database of N
# synthetic attempts (bench/gen-results) into an empty one, next to the bare
# SQL copy of the same rows by the sqlite3 shell (ATTACH + INSERT...SELECT
# with no checks).  Default N: 10000 100000.  Prints a Markdown table.
# IPR_BENCH_DIR: where the source databases are kept between runs (the
# report benchmark's results-N.db are reused); default a temporary folder.
set -eu
build=$1
shift
[ $# -gt 0 ] || set -- 10000 100000
gen="$build/bench/gen-results"
[ -x "$gen" ] || gen="$build/gen-results"
bin="$build/ipr-drill"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/merge-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }

echo "| attempts | responses | ipr-drill merge (s) | bare INSERT...SELECT (s) | ratio | merge again (s) |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in "$@"; do
	if [ -n "${IPR_BENCH_DIR:-}" ]; then
		mkdir -p "$IPR_BENCH_DIR"
		src="$IPR_BENCH_DIR/results-$n.db"
	else
		src="$tmp/src-$n.db"
	fi
	[ -s "$src" ] || "$gen" "$src" "$n" scenarios 1 >/dev/null
	cat "$src" >/dev/null # the page cache warm, as for the bare copy
	responses=$(sqlite3 "$src" "SELECT count(*) FROM response")
	# An empty destination with the schema (merge creates it; the missing
	# source is refused).
	"$bin" merge --into "$tmp/empty.db" "$tmp/none.db" >/dev/null 2>&1 || true

	cp "$tmp/empty.db" "$tmp/dest.db"
	t0=$(now)
	"$bin" merge --into "$tmp/dest.db" "$src" >/dev/null
	t1=$(now)
	"$bin" merge --into "$tmp/dest.db" "$src" >/dev/null
	t2=$(now)

	cp "$tmp/empty.db" "$tmp/bare.db"
	t3=$(now)
	sqlite3 "$tmp/bare.db" "PRAGMA journal_mode=TRUNCATE; PRAGMA synchronous=FULL;
	ATTACH '$src' AS s; BEGIN;
	INSERT INTO trainee SELECT * FROM s.trainee;
	INSERT INTO attempt SELECT * FROM s.attempt;
	INSERT INTO response(attempt_uuid, seq, stage, part, shipment_id, item_index, question_id,
	  answer, points, time_ms, answered_at)
	  SELECT attempt_uuid, seq, stage, part, shipment_id, item_index, question_id, answer, points,
	  time_ms, answered_at FROM s.response;
	COMMIT;" >/dev/null
	t4=$(now)
	awk -v n="$n" -v r="$responses" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" \
		'BEGIN { m = b - a; s = e - d; printf "| %d | %d | %.2f | %.2f | %.1fx | %.2f |\n", n, r, m, s, m / s, c - b }'
	[ -n "${IPR_BENCH_DIR:-}" ] || rm -f "$src"
	rm -f "$tmp/dest.db" "$tmp/bare.db"
done
