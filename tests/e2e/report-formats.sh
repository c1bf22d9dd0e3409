#!/bin/sh
# report-formats.sh IPR_DRILL TEST_REPORT - the report's CSV (RFC 4180, read
# back with Python's csv module), JSON and text output on the fixture of
# tests/unit/test_report.c, checked against its hand-computed figures.
set -eu
BIN=$1
FIXTURE=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

command -v python3 >/dev/null || { echo "SKIP: python3 is needed to parse the output"; exit 77; }
"$FIXTURE" --fixture "$TMP"
report() { "$BIN" --packs "$TMP/packs" report --db "$TMP/results.db" "$@"; }

# One view to stdout, every view to a folder.
report --format csv --by item > "$TMP/item.csv"
report --format csv -o "$TMP/csv"
report --format json > "$TMP/report.json"
COLUMNS=60 report --by item --by trainee > "$TMP/report.txt"
report --attempts best --trainee Ana --format csv --by trainee > "$TMP/best.csv"
# CSV of several views needs a folder.
if report --format csv > /dev/null 2>"$TMP/err"; then
	echo "FAIL: csv with several views and no -o should be refused"; exit 1
fi
grep -q "one file per view" "$TMP/err"
# A malformed date is refused with a usage error.
if report --since yesterday > /dev/null 2>"$TMP/err"; then
	echo "FAIL: --since yesterday accepted"; exit 1
fi
grep -q "is not a date" "$TMP/err"

python3 - "$TMP" <<'PY'
import csv, io, json, os, sys
tmp = sys.argv[1]
fails = []
def check(what, got, want):
    if isinstance(want, float):
        ok = got not in ("", None) and abs(float(got) - want) < 0.051
    else:
        ok = got == want
    if not ok:
        fails.append(f"{what}: expected {want!r}, got {got!r}")

def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        raw = f.read()
    # RFC 4180: CRLF after every record.
    if raw and not raw.endswith("\r\n"):
        fails.append(f"{path}: records must end with CRLF")
    return list(csv.DictReader(io.StringIO(raw, newline="")))

items = {r["item"]: r for r in rows(f"{tmp}/item.csv")}
# 5 items of the fixture pack; Zoe's attempt adds a fifth attempt.
check("items", len(items), 5)
q = items["question q1"]
check("q1 attempts", q["attempts"], "5")

folder = sorted(os.listdir(f"{tmp}/csv"))
check("csv files", folder, sorted(v + ".csv" for v in
      ["trainee", "pack", "item", "targeting", "indicator", "feature", "group", "country"]))
trainees = {r["trainee"]: r for r in rows(f"{tmp}/csv/trainee.csv")}
# The name with markup, quotes and a comma comes back intact.
zoe = 'Zo\u00eb <b>"Quote", Comma</b>'
check("name round trip", zoe in trainees, True)
ana = trainees["Ana"]
check("Ana attempts", ana["attempts"], "2")
check("Ana best_pct", ana["best_pct"], 73.9)
check("Ana last_pct", ana["last_pct"], 26.1)
check("Ana weakest_indicator", ana["weakest_indicator"], "undervalued 1/2")
check("Ana trend", ana["trend"], "74 26")
check("Ana verdicts (undefined -> empty)", ana["verdicts"], "")
tg = {r["trainee"]: r for r in rows(f"{tmp}/csv/targeting.csv")}
check("all hits", tg["(all)"]["hits"], "4")
check("Ana false alarms", tg["Ana"]["false_alarms"], "1")
ind = {r["indicator"]: r for r in rows(f"{tmp}/csv/indicator.csv")}
check("undervalued in_key", ind["undervalued"]["in_key"], "5")
check("undervalued recall", ind["undervalued"]["recall"], 40.0)
feat = {r["feature"]: r for r in rows(f"{tmp}/csv/feature.csv")}
check("zip cited_pct", feat["acme/tote/zip"]["cited_pct"], 66.7)
check("zip passed_pct", feat["acme/tote/zip"]["passed_pct"], 33.3)
best = rows(f"{tmp}/best.csv")
check("best rows", len(best), 1)
check("best attempts", best[0]["attempts"], "1")
check("best last", best[0]["last"], "34")

doc = json.load(open(f"{tmp}/report.json", encoding="utf-8"))
check("json attempts", doc["attempts"], 5)
views = {v["view"]: v for v in doc["views"]}
check("json views", len(views), 8)
pack = views["pack"]["rows"][0]
check("json pack attempts", pack["attempts"], 5)
zrow = [r for r in views["trainee"]["rows"] if r["trainee"] == zoe]
check("json name", len(zrow), 1)
check("json null for undefined", zrow[0]["verdicts"], None)

text = open(f"{tmp}/report.txt", encoding="utf-8").read()
for line in text.splitlines():
    if len(line) > 60:
        fails.append(f"text line wider than COLUMNS=60: {line!r}")
if "\x1b" in text:
    fails.append("escape character in the text report")

for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
PY
echo "ok: report formats"
