#!/bin/sh
# train-example.sh BINARY SOURCE_DIR - plays the spec's example pack to its
# debrief in the real trainer, in practice and in exam mode, perfectly, and
# checks the screens and the rows in the results database, to the point.
. "$(dirname "$0")/lib.sh"
bin=$1
src=$2
pack="$src/tests/fixtures/example-pack.yaml"

# play NAME MODE DB - one perfect run.
play() {
	name=$1 mode=$2 db=$3
	e2e_start "$name" 100 30 "$bin" train "$pack" --trainee "'Ana Lima'" --mode "$mode" \
		--seed 7 --db "$db" --no-color
	e2e_wait "$name" "Sign in" || return 1
	e2e_keys "$name" Enter
	e2e_wait "$name" "Choose a pack" || return 1
	e2e_keys "$name" Enter
	e2e_wait "$name" "Rights holders' current alerts" || return 1
	e2e_keys "$name" Enter
	e2e_wait "$name" "0 of 1 examinations used" || return 1

	# Targeting: flag SEA-0417's four keyed indicators and select it.
	row=$(e2e_line_index "$name" "SEA-0417" "(SEA-0417|EXP-2291) +(sea|express)")
	e2e_down "$name" "$row"
	e2e_keys "$name" i
	e2e_wait "$name" "Risk indicators for SEA-0417" || return 1
	e2e_keys "$name" Space j Space j j j j j j j j j Space End Space
	e2e_wait "$name" "[x] Forwarder linked to earlier detentions" || return 1
	e2e_keys "$name" Escape
	e2e_wait_gone "$name" "Risk indicators for" || return 1
	e2e_keys "$name" Space
	e2e_wait "$name" "1 of 1 examinations used" || return 1
	e2e_keys "$name" c
	e2e_wait "$name" "y yes" || return 1
	e2e_keys "$name" y
	if [ "$mode" = practice ]; then
		e2e_wait "$name" "RIGHT  targeting: SEA-0417 (+10)" || return 1
		e2e_wait "$name" "RIGHT  indicators: SEA-0417 (+8)" || return 1
		e2e_keys "$name" Enter
	fi

	# Examination: every feature examined and cited, then the verdict.
	e2e_wait "$name" "Item 1: Tarnwick Watches T-100 Diver x600" || return 1
	e2e_check "$mode: no feedback before a decision" \
		sh -c "! tmux -L $E2E_SOCKET capture-pane -p -t $name | grep -q Feedback"
	e2e_keys "$name" Tab Enter e j Enter e j Enter e
	e2e_wait "$name" "3 cited as evidence" || return 1
	e2e_keys "$name" C
	e2e_wait "$name" "y yes" || return 1
	e2e_keys "$name" y
	e2e_wait "$name" "Verdict: COUNTERFEIT" || return 1
	if [ "$mode" = practice ]; then
		e2e_wait "$name" "RIGHT  verdicts: SEA-0417" || return 1
		e2e_wait "$name" "RIGHT  evidence: SEA-0417" || return 1
		e2e_keys "$name" Enter
	else
		e2e_check "exam: no feedback after the verdict" \
			sh -c "! tmux -L $E2E_SOCKET capture-pane -p -t $name | grep -q 'RIGHT'"
	fi
	e2e_keys "$name" a
	e2e_wait "$name" "Action for SEA-0417" || return 1
	e2e_keys "$name" j Enter
	e2e_wait "$name" "SEA-0417  Detain" || return 1
	[ "$mode" = practice ] && { e2e_wait "$name" "RIGHT  actions: SEA-0417 (+5)" || return 1; e2e_keys "$name" Enter; }
	e2e_keys "$name" D
	e2e_wait "$name" "y yes" || return 1
	e2e_keys "$name" y

	# Questions, whatever order the seed gave their choices.
	for answer in "10 working days, extendable" "Small quantities of non-commercial"; do
		e2e_wait "$name" "$answer" || return 1
		row=$(e2e_line_index "$name" "$answer" '\[[ x]\] [a-d]\)')
		e2e_down "$name" "$row"
		e2e_keys "$name" Space Enter
		e2e_wait "$name" "It is final" || return 1
		e2e_keys "$name" y
		if [ "$mode" = practice ]; then
			e2e_wait "$name" "RIGHT  questions" || return 1
			e2e_keys "$name" Enter
		fi
		sleep 0.2
	done
		# The last answer (after its feedback in practice) offers the debrief.
	e2e_wait "$name" "Finish the exercise and see the debrief?" || return 1
	e2e_keys "$name" y
	e2e_wait "$name" "Score: 49 of 49 (100%)" || return 1
		e2e_wait "$name" "evidence         6 of 6" || return 1
	e2e_wait "$name" "Counterfeits released unexamined" || return 1
	# Page to the decisions, each with the key beside it.
	e2e_keys "$name" Tab Tab Tab Tab
	e2e_wait "$name" "Every decision, with the key" || return 1
	e2e_wait "$name" "you: counterfeit  |  key: counterfeit" || return 1
	e2e_keys "$name" q
	code=$(e2e_wait_exit "$name")
	e2e_check "$mode: exits 0 from the debrief" test "$code" = 0
}

for mode in practice exam; do
	db="$E2E_TMP/$mode.db"
	if play "$mode" "$mode" "$db"; then
		e2e_ok "$mode: played to the debrief"
	fi
	e2e_check "$mode: attempt finished with 49 of 49" \
		test "$(e2e_sql "$db" "SELECT status||' '||score||' '||max_score||' '||mode FROM attempt")" = "finished 49 49 $mode"
	e2e_check "$mode: the responses add up to the score" \
		test "$(e2e_sql "$db" "SELECT sum(points) FROM response")" = 49
	e2e_check "$mode: 23 responses, in order, ending with finish" \
		test "$(e2e_sql "$db" "SELECT count(*)||' '||max(seq)||' '||(SELECT answer FROM response ORDER BY seq DESC LIMIT 1) FROM response")" = "23 23 finish"
	e2e_check "$mode: the verdict row" \
		test "$(e2e_sql "$db" "SELECT part||' '||shipment_id||' '||item_index||' '||points FROM response WHERE answer='verdict:counterfeit'")" = "verdicts SEA-0417 0 10"
	e2e_check "$mode: stage scores stored" \
		test "$(e2e_sql "$db" "SELECT json_extract(stage_scores, '\$.indicators.score') FROM attempt")" = 8
	e2e_check "$mode: integrity" test "$(e2e_sql "$db" "PRAGMA integrity_check")" = ok
done
e2e_done
