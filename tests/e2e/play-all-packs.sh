#!/bin/sh
# play-all-packs.sh BINARY SOURCE_DIR - every bundled pack is playable to
# its debrief in the real trainer: sign in, begin, confirm targeting, answer
# every question, finish, and read the debrief; the attempt is recorded as
# finished.
. "$(dirname "$0")/lib.sh"
bin=$1
src=$2
db="$E2E_TMP/results.db"

play() { # play PACK-ID
	id=$1
	e2e_start "$id" 100 30 "$bin" --packs "$src/scenarios" train "$id" --trainee "player-$id" \
		--seed 1 --db "$db" --no-color
	e2e_wait "$id" "Sign in" && e2e_keys "$id" Enter
	e2e_wait "$id" "Choose a pack" && e2e_keys "$id" Enter
	e2e_wait "$id" "Briefing" && e2e_keys "$id" Enter
	steps=0
	while [ "$steps" -lt 400 ]; do
		steps=$((steps + 1))
		screen=$(e2e_screen "$id")
		case $screen in
		*"ipr-drill · Debrief"*"Score: "*) break ;;
		*"y yes    n no"*) e2e_press "$id" y ;;
		*"─ Feedback ─"*) e2e_press "$id" Enter ;;
		*"ipr-drill · Targeting board"*) e2e_press "$id" c ;;
		*"ipr-drill · Examination"*) e2e_press "$id" D ;;
		*"Every question is answered"*) e2e_press "$id" F ;;
		*"ipr-drill · Questions"*) e2e_press "$id" Space Enter ;;
		*) sleep 0.05 ;;
		esac
	done
	e2e_wait "$id" "Score: " || return 1
	e2e_keys "$id" q
	e2e_check "$id: exits 0 from the debrief" test "$(e2e_wait_exit "$id")" = 0
	e2e_check "$id: attempt recorded as finished" \
		test "$(e2e_sql "$db" "SELECT status FROM attempt WHERE pack_id = '$id'")" = finished
}

for file in "$src"/scenarios/*.yaml; do
	id=$(sed -n 's/^id: *//p' "$file" | head -n 1 | tr -d '"')
	[ -n "$id" ] || continue # a brand library has no id
	play "$id" && e2e_ok "$id: played to its debrief"
done
e2e_check "the database is intact" test "$(e2e_sql "$db" "PRAGMA integrity_check")" = ok
e2e_done
