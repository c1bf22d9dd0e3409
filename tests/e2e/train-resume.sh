#!/bin/sh
# train-resume.sh BINARY SOURCE_DIR - SIGKILL the trainer mid-examination,
# then resume the attempt from the home screen exactly where it stopped and
# finish it: nothing answered is lost and nothing is recorded twice.
. "$(dirname "$0")/lib.sh"
bin=$1
src=$2
pack="$src/tests/fixtures/example-pack.yaml"
db="$E2E_TMP/results.db"

start() { # start NAME
	e2e_start "$1" 100 30 "$bin" train "$pack" --trainee Bo --seed 3 --db "$db" --no-color
	e2e_wait "$1" "Sign in" && e2e_keys "$1" Enter && e2e_wait "$1" "Choose a pack"
}

# First run: target, confirm, examine and cite one feature, then SIGKILL.
start one || exit 1
e2e_keys one Enter
e2e_wait one "Rights holders' current alerts" && e2e_keys one Enter
e2e_wait one "0 of 1 examinations used"
row=$(e2e_line_index one "SEA-0417" "(SEA-0417|EXP-2291) +(sea|express)")
e2e_down one "$row"
e2e_keys one i
e2e_wait one "Risk indicators for SEA-0417" && e2e_keys one Space
e2e_wait one "[x] Undervalued" && e2e_keys one Escape
e2e_wait_gone one "Risk indicators for"
e2e_keys one Space
e2e_wait one "1 of 1 examinations used" && e2e_keys one c
e2e_wait one "y yes" && e2e_keys one y
e2e_wait one "Feedback" && e2e_keys one Enter
e2e_wait one "Item 1: Tarnwick Watches T-100 Diver"
e2e_keys one Tab Enter e
e2e_wait one "1 cited as evidence"
before=$(e2e_sql "$db" "SELECT count(*) FROM response")
kill -KILL "$(e2e_pid one)"
code=$(e2e_wait_exit one)
e2e_check "SIGKILL ends the trainer (exit $code)" test "$code" = 137
e2e_check "the database is intact after SIGKILL" test "$(e2e_sql "$db" "PRAGMA integrity_check")" = ok
e2e_check "the last answer before the kill was kept" \
	test "$(e2e_sql "$db" "SELECT answer FROM response ORDER BY seq DESC LIMIT 1")" = "evidence+:caseback"
e2e_check "the attempt is still in progress" \
	test "$(e2e_sql "$db" "SELECT status FROM attempt")" = in-progress

# Second run: resume from the home screen and finish.
start two || exit 1
e2e_wait two "Interrupted attempts"
e2e_keys two Tab Enter
e2e_wait two "Caseback engraving  [examined]  [EVIDENCE]" || exit 1
e2e_check "resumed where it stopped, nothing re-recorded" \
	test "$(e2e_sql "$db" "SELECT count(*) FROM response")" = "$before"
e2e_wait two "1 cited as evidence"
e2e_keys two Tab j Enter e j Enter e
e2e_wait two "3 cited as evidence" && e2e_keys two C
e2e_wait two "y yes" && e2e_keys two y
e2e_wait two "RIGHT  evidence: SEA-0417" && e2e_keys two Enter
e2e_keys two a
e2e_wait two "Action for SEA-0417" && e2e_keys two j Enter
e2e_wait two "RIGHT  actions" && e2e_keys two Enter
e2e_keys two D
e2e_wait two "y yes" && e2e_keys two y
for answer in "10 working days, extendable" "Small quantities of non-commercial"; do
	e2e_wait two "$answer" || break
	row=$(e2e_line_index two "$answer" '\[[ x]\] [a-d]\)')
	e2e_down two "$row"
	e2e_keys two Space Enter
	e2e_wait two "It is final" && e2e_keys two y
	e2e_wait two "RIGHT  questions" && e2e_keys two Enter
	sleep 0.2
done
e2e_wait two "Finish the exercise and see the debrief?" && e2e_keys two y
# One indicator of four flagged: 49 - 6.
e2e_wait two "Score: 43 of 49" && e2e_keys two q
e2e_check "exits 0 after the resumed attempt" test "$(e2e_wait_exit two)" = 0

e2e_check "one attempt, finished with 43" \
	test "$(e2e_sql "$db" "SELECT count(*)||' '||max(status)||' '||max(score) FROM attempt")" = "1 finished 43"
e2e_check "the responses add up to the score" test "$(e2e_sql "$db" "SELECT sum(points) FROM response")" = 43
e2e_check "each examination recorded once" \
	test "$(e2e_sql "$db" "SELECT count(*) FROM response WHERE answer = 'examine:caseback'")" = 1
e2e_done
