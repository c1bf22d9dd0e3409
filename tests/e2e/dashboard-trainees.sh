#!/bin/sh
# dashboard-trainees.sh BINARY SOURCE_DIR - two trainees play the example
# pack with the real trainer in two tmux windows while the instructor's
# dashboard runs in a third on the same database: each trainee, and each
# new answer's points, show on the dashboard within two seconds.
. "$(dirname "$0")/lib.sh"
bin=$1
src=$2
db="$E2E_TMP/workshop.db"
pack="$src/tests/fixtures/example-pack.yaml"

for who in Amina Bruno; do
	e2e_start "$who" 100 30 "$bin" --packs "$src/tests/fixtures" train spec-example \
		--trainee "$who" --seed 5 --db "$db" --group w1 --no-color
	e2e_wait "$who" "Sign in" && e2e_keys "$who" Enter
	e2e_wait "$who" "Choose a pack" && e2e_keys "$who" Enter
	e2e_wait "$who" "Rights holders' current alerts"
done
e2e_start dash 100 30 "$bin" --packs "$src/tests/fixtures" dashboard --db "$db" --group w1

# Each trainee begins: their row appears within two seconds.
e2e_keys Amina Enter
e2e_wait Amina "examinations used"
e2e_wait dash "Amina" 2 && e2e_ok "the first trainee shows within 2 s"
e2e_keys Bruno Enter
e2e_wait Bruno "examinations used"
e2e_wait dash "Bruno" 2 && e2e_ok "the second trainee shows within 2 s"
e2e_wait dash "targeting" 2 && e2e_ok "their stage is shown"

# Amina selects SEA-0417 and confirms: +10 for targeting shows within 2 s.
row=$(e2e_line_index Amina "SEA-0417" "(SEA-0417|EXP-2291) +(sea|express)")
e2e_down Amina "$row"
e2e_keys Amina Space
e2e_wait Amina "1 of 1 examinations used" && e2e_keys Amina c
e2e_wait Amina "y yes" && e2e_keys Amina y
e2e_wait Amina "RIGHT  targeting: SEA-0417 (+10)" && e2e_keys Amina Enter
e2e_wait dash "examination" 2 && e2e_ok "Amina's new stage within 2 s"
e2e_check "her points are on the dashboard" sh -c \
	"tmux -L $E2E_SOCKET capture-pane -p -t dash | grep Amina | grep -q 10"

# The leaderboard ranks by accuracy.
e2e_keys dash l
e2e_wait dash "leaderboard" 2 && e2e_ok "leaderboard"
e2e_keys dash q
e2e_wait_exit dash >/dev/null
for who in Amina Bruno; do
	e2e_keys "$who" q
	e2e_wait "$who" "y yes" && e2e_keys "$who" y
done
e2e_check "both attempts are in the database" \
	test "$(e2e_sql "$db" "SELECT count(*) FROM attempt WHERE group_tag = 'w1'")" = 2
e2e_done
