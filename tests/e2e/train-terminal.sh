#!/bin/sh
# train-terminal.sh BINARY SOURCE_DIR - how the trainer behaves as a terminal
# program: resizing below 80x24 and back, a pack in Chinese with a Thai
# remark, help from the key table, quitting and signals, and no terminal.
. "$(dirname "$0")/lib.sh"
bin=$1
src=$2
pack="$src/tests/fixtures/example-pack.yaml"
db="$E2E_TMP/results.db"

# Lines of the captured screen wider than COLS display columns, or holding
# text left over from an earlier screen.
check_layout() { # check_layout NAME COLS
	e2e_screen "$1" | python3 -c '
import sys, unicodedata
cols = int(sys.argv[1])
bad = 0
for n, line in enumerate(sys.stdin.read().split("\n"), 1):
    w = sum(0 if unicodedata.combining(c) or unicodedata.category(c) == "Mn" else
            2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    if w > cols:
        print("line %d is %d columns wide: %s" % (n, w, line))
        bad += 1
sys.exit(1 if bad else 0)' "$2"
}

# ---- resize to 60x15 mid-exercise and back ----
e2e_start r 100 30 "$bin" train "$pack" --trainee Cy --seed 1 --db "$db" --no-color
e2e_wait r "Sign in" && e2e_keys r Enter
e2e_wait r "Choose a pack" && e2e_keys r Enter
e2e_wait r "Rights holders' current alerts" && e2e_keys r Enter
e2e_wait r "0 of 1 examinations used"
e2e_keys r Space
e2e_wait r "1 of 1 examinations used"
e2e_resize r 60 15
e2e_wait r "Please enlarge the terminal" && e2e_ok "below 80x24: asks to enlarge"
e2e_resize r 100 30
e2e_wait r "1 of 1 examinations used" && e2e_ok "back to 100x30: the board returns, state kept"
e2e_wait_gone r "Please enlarge" && e2e_ok "the enlarge message is gone"
e2e_check "the board fits 100 columns" check_layout r 100

# ---- help comes from the screen's key table ----
e2e_keys r '?'
e2e_wait r "sort by the next column" && e2e_ok "? lists the board's keys"
e2e_keys r Escape
e2e_wait_gone r "sort by the next column"

# ---- the brand guide: one key from the board, searchable, and back ----
e2e_keys r g
e2e_wait r "Brand guide" && e2e_wait r "Rights holder         Tarnwick Horology SA" &&
	e2e_ok "g opens the brand guide"
e2e_keys r /
e2e_type r clari
e2e_wait r "Retail price: USD 38" && e2e_ok "/ finds a product by name"
e2e_keys r Escape
e2e_wait_gone r "Search: clari"
e2e_keys r Escape
e2e_wait r "1 of 1 examinations used" && e2e_ok "Esc returns to the board where it was"

# ---- q asks first, then leaves the attempt resumable ----
e2e_keys r q
e2e_wait r "y yes" && e2e_keys r y
e2e_check "q then y exits 0" test "$(e2e_wait_exit r)" = 0
e2e_check "the attempt stays resumable" \
	test "$(e2e_sql "$db" "SELECT status FROM attempt")" = in-progress

# ---- SIGTERM restores the terminal and keeps the attempt ----
e2e_start s 100 30 "$bin" train "$pack" --trainee Di --seed 1 --db "$db" --no-color
e2e_wait s "Sign in" && e2e_keys s Enter
e2e_wait s "Choose a pack" && e2e_keys s Enter
e2e_wait s "Rights holders' current alerts" && e2e_keys s Enter
e2e_wait s "0 of 1 examinations used"
kill -TERM "$(e2e_pid s)"
code=$(e2e_wait_exit s)
e2e_check "SIGTERM ends the trainer with 143 (got $code)" test "$code" = 143
e2e_wait s "your answers are saved" && e2e_ok "SIGTERM: the trainee is told how to resume"
e2e_check "SIGTERM: the terminal is back to normal (no board left on screen)" \
	sh -c "! tmux -L $E2E_SOCKET capture-pane -p -t s | grep -q 'examinations used'"

# ---- Ctrl-C (SIGINT) likewise, with 130 ----
e2e_start i 100 30 "$bin" train "$pack" --trainee Ed --seed 1 --db "$db" --no-color
e2e_wait i "Sign in" && e2e_keys i Enter
e2e_wait i "Choose a pack" && e2e_keys i Enter
e2e_wait i "Rights holders' current alerts"
e2e_keys i C-c
code=$(e2e_wait_exit i)
e2e_check "Ctrl-C ends the trainer with 130 (got $code)" test "$code" = 130
e2e_wait i "your answers are saved" && e2e_ok "Ctrl-C: the trainee is told how to resume"

# ---- a pack in Chinese with a Thai remark ----
e2e_start z 100 30 "$bin" --packs "$src/scenarios" train orientation-zh --trainee Li --seed 1 \
	--db "$db" --no-color
e2e_wait z "Sign in" && e2e_keys z Enter
e2e_wait z "Choose a pack" && e2e_keys z Enter
e2e_wait z "Rights holders' current alerts" && e2e_keys z Enter
e2e_wait z "0 of 2 examinations used"
row=$(e2e_line_index z "ORI-003" "ORI-00[0-9] ")
e2e_down z "$row"
e2e_wait z "ผ้าเช็ดจานฝ้าย" && e2e_ok "the Thai remark is shown"
e2e_check "the Chinese board fits 100 columns" check_layout z 100
e2e_check "nothing of the briefing is left on the board" \
	sh -c "! tmux -L $E2E_SOCKET capture-pane -p -t z | grep -q 'Mode:'"
e2e_check "the list's value column lines up" sh -c "
	tmux -L $E2E_SOCKET capture-pane -p -t z | grep -E 'ORI-00[0-9] +[a-z]+ +[A-Z]{2} ' | python3 -c '
import sys, unicodedata
ends = set()
for line in sys.stdin:
    line = line.rstrip()
    ends.add(sum(2 if unicodedata.east_asian_width(c) in \"WF\" else 1 for c in line))
sys.exit(0 if len(ends) == 1 else 1)'"
e2e_resize z 80 24
e2e_wait z "examinations used"
e2e_check "the Chinese board fits 80 columns" check_layout z 80
e2e_keys z q
e2e_wait z "y yes" && e2e_keys z y
e2e_wait_exit z >/dev/null

# ---- colours, and the monochrome fallback with NO_COLOR ----
colours() { # colours NAME - true when the screen uses a foreground/background colour
	tmux -L "$E2E_SOCKET" capture-pane -e -p -t "$1" | grep -qE '\[(3|4)[0-7](;|m)|[34]8;5;'
}
e2e_start c1 100 30 "$bin" train "$pack" --trainee Col --db "$db"
e2e_wait c1 "Sign in"
e2e_check "colours by default" colours c1
e2e_start c2 100 30 env NO_COLOR=1 "$bin" train "$pack" --trainee Col --db "$db"
e2e_wait c2 "Sign in"
e2e_check "NO_COLOR: no colours" sh -c "! tmux -L $E2E_SOCKET capture-pane -e -p -t c2 | grep -qE '\[(3|4)[0-7](;|m)|[34]8;5;'"
e2e_start c3 100 30 "$bin" --no-color train "$pack" --trainee Col --db "$db"
e2e_wait c3 "Sign in"
e2e_check "--no-color: no colours" sh -c "! tmux -L $E2E_SOCKET capture-pane -e -p -t c3 | grep -qE '\[(3|4)[0-7](;|m)|[34]8;5;'"
for s in c1 c2 c3; do e2e_keys "$s" Escape; done

# ---- no usable terminal ----
out=$(TERM=dumb "$bin" train "$pack" --trainee X --db "$db" 2>&1 </dev/null)
code=$?
e2e_check "TERM=dumb exits 69 (got $code)" test "$code" = 69
case $out in *terminal*) e2e_ok "TERM=dumb gives a message about the terminal" ;;
*) echo "FAIL: TERM=dumb message: $out"; E2E_FAILS=$((E2E_FAILS + 1)) ;; esac
out=$("$bin" train "$pack" --trainee X --db "$db" 2>&1 </dev/null >/dev/null)
e2e_check "no terminal at all exits 69" test "$?" = 69
e2e_done
