#!/usr/bin/env bash
# report-bench.sh [BUILD_DIR] - times `ipr-drill report` (each view, text and
# HTML, and all views at once) on databases of 10,000 and 100,000 synthetic
# attempts (about 1M and 10M responses) next to the bare SQL aggregate each
# view must at least compute, run by the sqlite3 shell on the same file, and
# prints the ratios.  Goals (issue 5): every report within 2x of its bare
# query, and under 1 s at 10,000 attempts.  The bare query reads the
# attempts' summaries (table scored), as the report does; raw_s is the same
# aggregate over the raw responses (how reports read before the summaries),
# for comparison.
#
# BUILD_DIR (default ./build) must hold ipr-drill and gen-results (the
# bench/report.cmake target; in BUILD_DIR/bench or BUILD_DIR).
# Environment: IPR_BENCH_SIZES (default "10000 100000"), IPR_BENCH_RUNS
# (runs per figure, the median is shown; default 3), IPR_BENCH_DIR (where
# the databases are kept between runs; default a temporary folder, deleted
# at the end).  Needs bash, sqlite3 (the shell), python3.
set -euo pipefail

build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
ipr="$build/ipr-drill"
[ -x "$ipr" ] || ipr="$build/src/cli/ipr-drill"
gen="$build/bench/gen-results"
[ -x "$gen" ] || gen="$build/gen-results"
sizes=${IPR_BENCH_SIZES:-"10000 100000"}
runs=${IPR_BENCH_RUNS:-3}
views="trainee pack item targeting indicator feature group country"

die() { echo "report-bench: $*" >&2; exit 1; }
[ -x "$ipr" ] || die "no ipr-drill in $build: build first"
[ -x "$gen" ] || die "no gen-results in $build/bench or $build: build the gen-results target"
command -v sqlite3 >/dev/null || die "the sqlite3 shell is needed (apt-get install sqlite3)"
command -v python3 >/dev/null || die "python3 not found"

if [ -n "${IPR_BENCH_DIR:-}" ]; then
	dir=$IPR_BENCH_DIR
	mkdir -p "$dir"
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/ipr-report-bench.XXXXXX")
	trap 'rm -rf "$dir"' EXIT
fi

# seconds CMD...: median wall time of $runs runs, output discarded.
seconds() {
	python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    times.append(time.perf_counter() - t)
times.sort()
print(f"{times[len(times) // 2]:.3f}")
PY
}

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }

echo "machine: $(nproc) cores, $(uname -sr), sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
printf '%-8s %-10s %8s %8s %8s %7s %7s %8s\n' attempts view text_s html_s bare_s text/x html/x \
	raw_s
for n in $sizes; do
	db="$dir/results-$n.db"
	if [ ! -s "$db" ]; then
		"$gen" "$db" "$n" "$here/../scenarios" 1
	fi
	# Warm the page cache, so every run reads from memory alike.
	cat "$db" > /dev/null
	for v in $views all; do
		by=(--by "$v")
		if [ "$v" = all ]; then
			by=()
			bare_sql=$(for w in $views; do "$gen" --sql "$w"; done)
			raw_sql=$(for w in $views; do "$gen" --raw-sql "$w"; done)
		else
			bare_sql=$("$gen" --sql "$v")
			raw_sql=$("$gen" --raw-sql "$v")
		fi
		printf '%s\n' "$bare_sql" > "$dir/bare.sql"
		printf '%s\n' "$raw_sql" > "$dir/raw.sql"
		t=$(seconds "$ipr" --packs "$here/../scenarios" report --db "$db" "${by[@]}")
		h=$(seconds "$ipr" --packs "$here/../scenarios" report --db "$db" "${by[@]}" \
			--format html -o /dev/null)
		b=$(seconds sqlite3 -bail "$db" ".read $dir/bare.sql")
		r=$(seconds sqlite3 -bail "$db" ".read $dir/raw.sql")
		printf '%-8s %-10s %8s %8s %8s %7s %7s %8s\n' "$n" "$v" "$t" "$h" "$b" \
			"$(ratio "$t" "$b")" "$(ratio "$h" "$b")" "$r"
	done
done
