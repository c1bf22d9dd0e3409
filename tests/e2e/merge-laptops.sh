#!/bin/sh
# merge-laptops.sh BINARY - three laptop databases, one attempt on two of
# them, merged into one; merged again (nothing added); a foreign file
# refused while the others still merge; the result exported and read back.
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
expect_eq() { # NAME EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$3', expected '$2'"; fi
}
sql() { sqlite3 -batch -noheader "$1" "$2"; }

# An empty results database made by ipr-drill itself (the source is missing,
# so merge refuses it, but DEST is created with the schema).
"$bin" merge --into "$tmp/base.db" "$tmp/none.db" >/dev/null 2>&1
expect_eq "an empty database is created" 1 "$(sql "$tmp/base.db" "PRAGMA user_version")"

sha=$(printf '%064d' 0)
attempt() { # DB NAME UUID STATUS RESPONSES
	db=$1 name=$2 uuid=$3 status=$4 n=$5
	sql "$db" "INSERT OR IGNORE INTO trainee(name, created) VALUES ('$name', '2025-03-01T08:00:00.000Z');
	INSERT INTO attempt(uuid, trainee_id, pack_id, pack_version, pack_sha256, mode, seed,
	  group_tag, started_at, status, score, max_score, ended_at)
	  SELECT '$uuid', id, 'orientation', '1', '$sha', 'practice', 1, 'w1',
	  '2025-03-01T09:00:00.000Z', '$status',
	  CASE WHEN '$status' = 'finished' THEN $n END, CASE WHEN '$status' = 'finished' THEN 10 END,
	  CASE WHEN '$status' = 'finished' THEN '2025-03-01T09:30:00.000Z' END
	  FROM trainee WHERE name = '$name';
	WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < $n)
	INSERT INTO response(attempt_uuid, seq, stage, shipment_id, item_index, answer, points,
	  time_ms, answered_at)
	  SELECT '$uuid', i, 'verdicts', 'S1', i - 1, 'verdict:genuine', 1, 1000,
	  '2025-03-01T09:0' || i || ':00.000Z' FROM k;"
}
A1=aaaaaaaa-0000-4000-8000-000000000001
B1=bbbbbbbb-0000-4000-8000-000000000002
C1=cccccccc-0000-4000-8000-000000000003
for l in 1 2 3; do cp "$tmp/base.db" "$tmp/laptop$l.db"; done
attempt "$tmp/laptop1.db" "Ann Lee" $A1 finished 2
attempt "$tmp/laptop2.db" "Ann Lee" $A1 finished 2 # the same attempt, copied
attempt "$tmp/laptop2.db" "Bob Roy" $B1 finished 3
attempt "$tmp/laptop3.db" "Cy Ng" $C1 in-progress 1
echo "not a database" >"$tmp/notes.db"

"$bin" merge --into "$tmp/all.db" "$tmp/laptop1.db" "$tmp/laptop2.db" "$tmp/laptop3.db" \
	>"$tmp/out1" 2>"$tmp/err1"
expect_eq "first merge exits 0" 0 $?
cat "$tmp/out1"
grep -q "laptop1.db: 1 attempts added, 0 updated, 0 skipped" "$tmp/out1" && ok "laptop1 added" || bad "laptop1 line"
grep -q "laptop2.db: 1 attempts added, 0 updated, 1 skipped" "$tmp/out1" && ok "laptop2: overlap skipped" || bad "laptop2 line"
grep -q "laptop3.db: 1 attempts added" "$tmp/out1" && ok "laptop3 added" || bad "laptop3 line"
expect_eq "three attempts" 3 "$(sql "$tmp/all.db" "SELECT count(*) FROM attempt")"
expect_eq "three trainees" 3 "$(sql "$tmp/all.db" "SELECT count(*) FROM trainee")"
expect_eq "six responses" 6 "$(sql "$tmp/all.db" "SELECT count(*) FROM response")"

"$bin" merge --into "$tmp/all.db" "$tmp/laptop2.db" "$tmp/notes.db" "$tmp/laptop1.db" \
	>"$tmp/out2" 2>"$tmp/err2"
expect_eq "a refused source gives 65" 65 $?
grep -q "notes.db: refused" "$tmp/out2" && ok "foreign file refused" || bad "notes.db line"
grep -q "not an ipr-drill results database" "$tmp/err2" && ok "refusal explained" || bad "stderr: $(cat "$tmp/err2")"
grep -q "laptop2.db: 0 attempts added, 0 updated, 2 skipped" "$tmp/out2" && ok "again: nothing added" || bad "second merge: $(cat "$tmp/out2")"
expect_eq "still three attempts" 3 "$(sql "$tmp/all.db" "SELECT count(*) FROM attempt")"
expect_eq "integrity" ok "$(sql "$tmp/all.db" "PRAGMA integrity_check")"

# Export what was merged: CSV (header + 6 rows) and xAPI (6 + 3 statements).
"$bin" export --db "$tmp/all.db" --format csv -o "$tmp/all.csv"
expect_eq "csv rows" 7 "$(wc -l <"$tmp/all.csv" | tr -d ' ')"
"$bin" export --db "$tmp/all.db" --format xapi -o "$tmp/all.json"
expect_eq "xapi statements" 9 "$(sql ':memory:' "SELECT json_array_length(readfile('$tmp/all.json'))" 2>/dev/null ||
	python3 -c "import json,sys; print(len(json.load(open('$tmp/all.json'))))")"

echo "$fails failed"
[ "$fails" -eq 0 ]
