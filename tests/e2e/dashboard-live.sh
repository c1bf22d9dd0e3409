#!/bin/sh
# dashboard-live.sh BINARY - the dashboard runs in tmux while two trainees'
# answers arrive in the shared database (written with sqlite3, as a trainer
# would: one short transaction per answer); each shows within two seconds.
# Then the leaderboard, a trainee's decisions, help, a small terminal, q.
set -u
bin=$1
. "$(dirname "$0")/lib.sh"
db="$E2E_TMP/shared.db"
"$bin" merge --into "$db" "$E2E_TMP/none.db" >/dev/null 2>&1 # creates the schema
sha=$(printf '%064d' 0)
begin() { # NAME UUID
	e2e_sql "$db" "INSERT OR IGNORE INTO trainee(name, created) VALUES ('$1', '2025-03-01T08:00:00Z');
	INSERT INTO attempt(uuid, trainee_id, pack_id, pack_version, pack_sha256, mode, seed, group_tag,
	  started_at) SELECT '$2', id, 'no-such-pack', '1', '$sha', 'practice', 1, 'w1',
	  strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM trainee WHERE name = '$1';"
}
answer() { # UUID SEQ POINTS
	e2e_sql "$db" "INSERT INTO response(attempt_uuid, seq, stage, shipment_id, item_index, answer,
	  points, time_ms, answered_at) VALUES ('$1', $2, 'verdicts', 'S1', 0, 'verdict:genuine', $3,
	  61000, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));"
}
U1=aaaaaaaa-0000-4000-8000-000000000001
U2=bbbbbbbb-0000-4000-8000-000000000002

e2e_start dash 100 30 "$bin" dashboard --db "$db"
e2e_wait dash "No attempts yet" 5 && e2e_ok "empty dashboard"
begin "Ann Lee" $U1
answer $U1 1 10
e2e_wait dash "Ann Lee" 2 && e2e_ok "first trainee within 2 s"
begin "Bob Roy" $U2
answer $U2 1 7
e2e_wait dash "Bob Roy" 2 && e2e_ok "second trainee within 2 s"
answer $U2 2 30
e2e_wait dash "37" 2 && e2e_ok "a new answer's points within 2 s"
e2e_wait dash "2:02" 2 && e2e_ok "active time shown"
e2e_keys dash l
e2e_wait dash "leaderboard" 2 && e2e_ok "leaderboard toggle"
e2e_keys dash Enter
e2e_wait dash "Decisions of" 2 && e2e_ok "a trainee's decisions"
e2e_keys dash Escape
e2e_keys dash '?'
e2e_wait dash "toggle the leaderboard" 2 && e2e_ok "help"
e2e_keys dash Space
e2e_resize dash 60 20
e2e_wait dash "enlarge" 3 && e2e_ok "small terminal message"
e2e_resize dash 100 30
e2e_wait dash "Ann Lee" 3 && e2e_ok "back after resize"
# The dashboard never keeps a lock: a writer gets through at once.
start=$(date +%s%N)
answer $U1 2 1
took=$((($(date +%s%N) - start) / 1000000))
[ "$took" -lt 1000 ] && e2e_ok "a write while the dashboard runs took ${took} ms" ||
	{ echo "FAIL: a write took ${took} ms"; E2E_FAILS=$((E2E_FAILS + 1)); }
e2e_keys dash q
e2e_wait dash "[exit 0]" 3 && e2e_ok "q quits with status 0"
e2e_done
