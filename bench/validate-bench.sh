#!/usr/bin/env bash
# validate-bench.sh [BUILD_DIR] - times `ipr-drill validate` against a bare
# libyaml event scan (bench/yaml-scan) on generated packs of 1,000, 10,000
# and 50,000 shipments, and prints their wall time, peak RSS and ratios
# next to the goals (validate within 1.5x of the scan; peak RSS under 2x the
# file).  See bench/README.md.
#
# BUILD_DIR defaults to ./build and must hold ipr-drill (or src/cli/ipr-drill)
# and bench/yaml-scan (or yaml-scan).
# Environment: IPR_BENCH_SIZES (default "1000 10000 50000"), IPR_BENCH_RUNS
# (runs per measurement, the median is shown; default 5).
# Needs bash, python3, GNU time (/usr/bin/time, Debian package "time") and
# awk.  Exits 0 when it ran (whether or not the goals were met), 1 when it
# could not run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
# Executables land in the build's top folder or beside their CMakeLists.
ipr="$build/ipr-drill"
[ -x "$ipr" ] || ipr="$build/src/cli/ipr-drill"
scan="$build/bench/yaml-scan"
[ -x "$scan" ] || scan="$build/yaml-scan"
sizes=${IPR_BENCH_SIZES:-"1000 10000 50000"}
runs=${IPR_BENCH_RUNS:-5}
gnutime=/usr/bin/time

die() { echo "validate-bench: $*" >&2; exit 1; }
[ -x "$ipr" ] || die "no ipr-drill in $build or $build/src/cli: build first (cmake --build $build)"
[ -x "$scan" ] || die "no yaml-scan in $build/bench or $build: build the yaml-scan target first"
"$gnutime" --version 2>&1 | grep -q GNU || die "$gnutime is not GNU time (apt-get install time)"
command -v python3 >/dev/null || die "python3 not found"
case $runs in '' | *[!0-9]* | 0) die "IPR_BENCH_RUNS must be a positive integer" ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipr-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# run_once OUT CMD...: runs CMD once under GNU time and appends
# "wall-microseconds cpu-seconds peak-KiB" to OUT.  Wall time is taken with
# nanosecond clocks around GNU time (whose own %e has only centisecond
# resolution); CPU time (user + system) and peak RSS come from GNU time.
run_once() {
	local out=$1 t0 t1
	shift
	t0=$(date +%s%N)
	if ! "$gnutime" -f '%U %S %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr"; then
		echo "validate-bench: failed: $*" >&2
		head -n 20 "$tmp/stderr" >&2
		return 1
	fi
	t1=$(date +%s%N)
	tail -n 1 "$tmp/time" | awk -v us=$(((t1 - t0) / 1000)) '{ print us, $1 + $2, $3 }' >>"$out"
}

# summary FILE: "median-wall-s median-cpu-s max-peak-KiB" of FILE's samples.
summary() {
	awk '{ w[NR] = $1; c[NR] = $2; if ($3 > rss) rss = $3 }
		function median(a, n,   i, j, t) {
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
			return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		END { printf "%.3f %.3f %d\n", median(w, NR) / 1e6, median(c, NR), rss }' "$1"
}

# measure PACK: runs validate and the scan alternately, $runs times each, so
# that a change in the machine's load hits both alike.  Prints validate's
# then the scan's summary on one line.
measure() {
	local i
	: >"$tmp/v"
	: >"$tmp/s"
	for ((i = 0; i < runs; i++)); do
		run_once "$tmp/v" "$ipr" validate "$1" || return 1
		run_once "$tmp/s" "$scan" "$1" || return 1
	done
	echo "$(summary "$tmp/v") $(summary "$tmp/s")"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'),"\
	"$(uname -sr), libyaml $(pkg-config --modversion yaml-0.1 2>/dev/null || echo '?'),"\
	"load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ipr-drill: $ipr ($("$ipr" --version 2>/dev/null | head -n 1 || echo 'version unknown'))"
echo "median of $runs runs each, validate and scan alternating; peak RSS is the largest of the runs"

# validate's fixed cost: its peak RSS on a pack of one shipment.
python3 "$here/gen-pack.py" 1 >"$tmp/pack-1.yaml"
: >"$tmp/base"
run_once "$tmp/base" "$ipr" validate "$tmp/pack-1.yaml" || exit 1
base_kib=$(awk '{ print $3 }' "$tmp/base")
awk -v k="$base_kib" 'BEGIN { printf "validate'"'"'s peak RSS on a 1-shipment pack (its fixed cost): %.1f MiB\n", k / 1024 }'
echo
printf '%6s %8s %10s %7s %6s %6s %8s %8s %8s %8s  %s\n' \
	N "file" "validate" "scan" "wall" "cpu" "val RSS" "RSS" "model" "scan RSS" goals
printf '%6s %8s %10s %7s %6s %6s %8s %8s %8s %8s\n' \
	"" MiB s s ratio ratio MiB "/file" "/file" MiB
missed=0
for n in $sizes; do
	pack="$tmp/pack-$n.yaml"
	python3 "$here/gen-pack.py" "$n" >"$pack"
	bytes=$(stat -c %s "$pack")
	# A first run warms the page cache and proves the pack is valid.
	if ! "$ipr" validate "$pack" >/dev/null 2>"$tmp/first"; then
		echo "validate-bench: ipr-drill validate rejected the generated pack of $n shipments:" >&2
		head -n 20 "$tmp/first" >&2
		exit 1
	fi
	"$scan" "$pack" >/dev/null
	measure "$pack" >"$tmp/m" || exit 1
	read -r vw vc vk sw sc sk <"$tmp/m"
	awk -v n="$n" -v b="$bytes" -v vw="$vw" -v vc="$vc" -v vk="$vk" -v sw="$sw" -v sc="$sc" \
		-v sk="$sk" -v base="$base_kib" 'BEGIN {
		ratio = (sw > 0) ? vw / sw : 0; cpu = (sc > 0) ? vc / sc : 0; rf = vk * 1024 / b
		goal = (ratio <= 1.5 ? "time ok" : "time MISSED") ", " (rf < 2 ? "RSS ok" : "RSS MISSED")
		printf "%6d %8.2f %10.3f %7.3f %6.2f %6.2f %8.1f %8.2f %8.2f %8.1f  %s\n",
			n, b / 1048576, vw, sw, ratio, cpu, vk / 1024, rf, (vk - base) * 1024 / b,
			sk / 1024, goal
		exit (ratio <= 1.5 && rf < 2) ? 0 : 1 }' || missed=1
done
echo
echo "goals: validate wall time <= 1.5x the bare libyaml scan (wall ratio);"
echo "       validate peak RSS < 2x the file size (RSS/file)"
echo "cpu ratio: user+system time, validate / scan (less sensitive to other load than wall time)"
echo "model/file: (validate RSS - its fixed cost) / file size, the memory the model itself takes"
if [ "$missed" = 0 ]; then
	echo "all goals met"
else
	echo "some goals MISSED (see the goals column)"
fi
exit 0
