#!/bin/sh
# report-html.sh IPR_DRILL TEST_REPORT - the HTML report of the fixture of
# tests/unit/test_report.c rendered by headless Chromium: the page must load
# with no network and no script, and its charts must be visible (the
# screenshot holds the charts' colours).  Exits 77 (skipped) when Chromium
# is not installed.
set -eu
BIN=$1
FIXTURE=$2

CHROMIUM=
for c in chromium chromium-browser google-chrome; do
	if command -v "$c" >/dev/null 2>&1; then
		CHROMIUM=$c
		break
	fi
done
if [ -z "$CHROMIUM" ]; then
	echo "SKIP: Chromium is not installed (Debian: apt-get install chromium); the HTML report was not rendered"
	exit 77
fi
command -v python3 >/dev/null || { echo "SKIP: python3 is needed to read the screenshot"; exit 77; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$FIXTURE" --fixture "$TMP"
"$BIN" --packs "$TMP/packs" report --db "$TMP/results.db" --format html \
	--by targeting --by item --by trainee -o "$TMP/report.html"

# Self-contained: no script, nothing to fetch (the SVG namespace is a name,
# not a request), the markup in a trainee's name escaped.
if grep -Eiq '<script|src=|href=|url\(|@import' "$TMP/report.html"; then
	echo "FAIL: the HTML report refers to something outside itself"; exit 1
fi
if grep -q '<b>"Quote"' "$TMP/report.html"; then
	echo "FAIL: a trainee's name reached the HTML unescaped"; exit 1
fi
grep -q '&lt;b&gt;&quot;Quote&quot;, Comma&lt;/b&gt;' "$TMP/report.html"

PROFILE=$(mktemp -d)
timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run --user-data-dir="$PROFILE" \
	--screenshot="$TMP/report.png" --window-size=1200,2000 "file://$TMP/report.html" \
	>"$TMP/chromium.log" 2>&1 || true
rm -rf "$PROFILE"
if [ ! -s "$TMP/report.png" ]; then
	echo "FAIL: Chromium wrote no screenshot:"; sed 's/^/  | /' "$TMP/chromium.log"; exit 1
fi
[ -n "${IPR_REPORT_PNG:-}" ] && cp "$TMP/report.png" "$IPR_REPORT_PNG"

python3 - "$TMP/report.png" <<'PY'
import struct, sys, zlib

def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), "unexpected PNG format"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows

w, h, bpp, rows = read_png(sys.argv[1])
colours, blue, orange_red, green, heat = set(), 0, 0, 0, 0
for row in rows[::2]:
    for x in range(0, w * bpp, bpp * 2):
        r, g, b = row[x], row[x + 1], row[x + 2]
        colours.add((r, g, b))
        if abs(r - 47) < 6 and abs(g - 109) < 6 and abs(b - 181) < 6:
            blue += 1          # histogram and facility bars (#2f6db5)
        if (abs(r - 224) < 8 and abs(g - 142) < 8 and b < 40) or (abs(r - 192) < 8 and abs(g - 57) < 8 and abs(b - 43) < 8):
            orange_red += 1    # discrimination bars
        if g > r + 30 and g > b + 30:
            green += 1         # confusion matrix and heat map
        if b == 80 and r > 40 and g > 40:
            heat += 1          # per-trainee heat map cells rgb(r, g, 80)
fails = []
if len(colours) < 40: fails.append(f"the page looks blank: {len(colours)} colours")
if blue < 500: fails.append(f"no visible bars (histogram/facility): {blue} sampled pixels")
if orange_red < 50: fails.append(f"no discrimination bars: {orange_red} sampled pixels")
if green < 200: fails.append(f"no confusion matrix or heat map: {green} sampled pixels")
if heat < 100: fails.append(f"no heat map cells: {heat} sampled pixels")
for f in fails: print("FAIL:", f)
print(f"screenshot {w}x{h}: {len(colours)} colours; bars {blue}, discrimination {orange_red}, green {green}, heat map {heat} (sampled)")
sys.exit(1 if fails else 0)
PY
echo "ok: HTML report rendered with its charts"
