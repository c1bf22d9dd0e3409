# lib.sh - driving the real ipr-drill in a real terminal (tmux), sourced by
# the end-to-end tests.  Each test gets a private tmux server (-L), so tests
# can run in parallel and never touch the user's tmux.  Waiting is always by
# polling the captured screen for text, with a timeout.
set -u

E2E_SOCKET="ipr-e2e-$$-$(date +%s%N)"
E2E_TMP=$(mktemp -d)
E2E_FAILS=0
E2E_PASSES=0

e2e_cleanup() {
	tmux -L "$E2E_SOCKET" kill-server 2>/dev/null
	rm -rf "$E2E_TMP"
}
trap e2e_cleanup EXIT

# e2e_start NAME COLS ROWS COMMAND... - starts COMMAND in a new window.
e2e_start() {
	name=$1 cols=$2 rows=$3
	shift 3
	tmux -L "$E2E_SOCKET" -f /dev/null new-session -d -s "$name" -x "$cols" -y "$rows" \
		"env TERM=screen-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 $*; echo \"[exit \$?]\"; sleep 30"
}

e2e_keys() { # e2e_keys NAME KEY... (tmux key names: Enter, Escape, Up, Space, C-c)
	name=$1
	shift
	tmux -L "$E2E_SOCKET" send-keys -t "$name" "$@"
}

e2e_type() { # e2e_type NAME TEXT - literal text
	tmux -L "$E2E_SOCKET" send-keys -t "$1" -l "$2"
}

e2e_screen() { # e2e_screen NAME - the visible screen as text
	tmux -L "$E2E_SOCKET" capture-pane -p -t "$1"
}

e2e_resize() { # e2e_resize NAME COLS ROWS
	tmux -L "$E2E_SOCKET" resize-window -t "$1" -x "$2" -y "$3" 2>/dev/null ||
		tmux -L "$E2E_SOCKET" resize-pane -t "$1" -x "$2" -y "$3"
}

# e2e_wait NAME TEXT [SECONDS] - polls every 50 ms until TEXT is on screen;
# on timeout prints the screen and counts a failure.
e2e_wait() {
	name=$1 text=$2 limit=${3:-10}
	end=$(($(date +%s) + limit))
	while [ "$(date +%s)" -le "$end" ]; do
		if e2e_screen "$name" | grep -qF -- "$text"; then
			return 0
		fi
		sleep 0.05
	done
	echo "FAIL: '$text' did not appear within ${limit}s; the screen was:"
	e2e_screen "$name" | sed 's/^/  | /'
	E2E_FAILS=$((E2E_FAILS + 1))
	return 1
}

# e2e_wait_gone NAME TEXT [SECONDS]
e2e_wait_gone() {
	name=$1 text=$2 limit=${3:-10}
	end=$(($(date +%s) + limit))
	while [ "$(date +%s)" -le "$end" ]; do
		if ! e2e_screen "$name" | grep -qF -- "$text"; then
			return 0
		fi
		sleep 0.05
	done
	echo "FAIL: '$text' still on screen after ${limit}s"
	E2E_FAILS=$((E2E_FAILS + 1))
	return 1
}

e2e_ok() { # e2e_ok MESSAGE
	E2E_PASSES=$((E2E_PASSES + 1))
	echo "ok: $1"
}

e2e_check() { # e2e_check MESSAGE COMMAND... - passes when COMMAND succeeds
	msg=$1
	shift
	if "$@"; then
		e2e_ok "$msg"
	else
		echo "FAIL: $msg"
		E2E_FAILS=$((E2E_FAILS + 1))
	fi
}

e2e_sql() { # e2e_sql DB SQL - one value from the results database
	sqlite3 -batch -noheader "$1" "$2"
}

e2e_done() {
	echo "$E2E_PASSES passed, $E2E_FAILS failed"
	[ "$E2E_FAILS" -eq 0 ]
}

# e2e_line_index NAME TEXT FIRST - 0-based index of the first screen line
# holding TEXT, counted among the lines that hold FIRST-matching rows
# (a grep -E pattern that every row of the list matches); -1 when absent.
e2e_line_index() {
	e2e_screen "$1" | grep -E -- "$3" | grep -nF -- "$2" | head -n 1 | cut -d: -f1 |
		awk '{ print $1 - 1 } END { if (NR == 0) print -1 }'
}

# e2e_down NAME COUNT - presses j COUNT times.
e2e_down() {
	i=0
	while [ "$i" -lt "$2" ]; do
		e2e_keys "$1" j
		i=$((i + 1))
	done
}

# e2e_wait_exit NAME [SECONDS] - waits for the "[exit N]" line that
# e2e_start prints when the program ends; prints N.
e2e_wait_exit() {
	name=$1 limit=${2:-10}
	end=$(($(date +%s) + limit))
	while [ "$(date +%s)" -le "$end" ]; do
		code=$(e2e_screen "$name" | sed -n 's/.*\[exit \([0-9]*\)\].*/\1/p' | tail -n 1)
		if [ -n "$code" ]; then
			echo "$code"
			return 0
		fi
		sleep 0.05
	done
	echo "timeout"
	return 1
}

# e2e_pid NAME - the pid of the program running in the window (the child
# of the pane's shell).
e2e_pid() {
	pane=$(tmux -L "$E2E_SOCKET" display-message -p -t "$1" '#{pane_pid}')
	pgrep -P "$pane" | head -n 1
}

# e2e_press NAME KEY... - sends the keys, then polls until the screen
# changes (at most 5 s); returns 1 when it did not.
e2e_press() {
	name=$1
	shift
	before=$(e2e_screen "$name" | cksum)
	e2e_keys "$name" "$@"
	end=$(($(date +%s) + 5))
	while [ "$(date +%s)" -le "$end" ]; do
		[ "$(e2e_screen "$name" | cksum)" != "$before" ] && return 0
		sleep 0.02
	done
	return 1
}
