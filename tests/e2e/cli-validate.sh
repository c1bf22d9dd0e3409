#!/bin/sh
# cli-validate.sh BINARY SOURCE_DIR - the validate and packs commands as a
# user meets them: exit codes, the message format, the packs table.
set -u
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # check NAME EXPECTED_STATUS ACTUAL_STATUS
	if [ "$2" != "$3" ]; then
		echo "FAIL: $1: exit status $3, expected $2"
		fails=$((fails + 1))
	else
		echo "ok: $1"
	fi
}
contains() { # contains NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then
		echo "ok: $1"
	else
		echo "FAIL: $1: '$3' not in output:"
		cat "$2"
		fails=$((fails + 1))
	fi
}

"$bin" validate "$src/tests/fixtures/example-pack.yaml" >"$tmp/out" 2>&1
check "example pack is valid" 0 $?

printf 'format: 1\nid: x\ntitle: T\nversion: "1"\nsummary: S\nquestions:\n  - id: q\n    topic: t\n    prompt: P\n    choices: [{text: a, corect: true}, {text: b}]\n' >"$tmp/bad.yaml"
"$bin" validate "$tmp/bad.yaml" >"$tmp/out" 2>&1
check "a bad pack exits 65" 65 $?
contains "message format" "$tmp/out" "$tmp/bad.yaml:10:25: error: unknown key 'corect' in choice; did you mean 'correct'?"
contains "source line" "$tmp/out" " choices: [{text: a, corect: true}, {text: b}]"
if grep -qx " \{25\}\^" "$tmp/out"; then echo "ok: caret under column 25"; else echo "FAIL: caret"; fails=$((fails + 1)); fi

printf 'format: 1\nid: w\ntitle: T\nversion: "1"\nsummary: S\nquestions:\n  - id: q\n    topic: t\n    prompt: P\n    choices: [{text: a, correct: true}, {text: b}]\n' >"$tmp/warn.yaml"
"$bin" validate "$tmp/warn.yaml" >"$tmp/out" 2>&1
check "warnings alone exit 0" 0 $?
contains "warning format" "$tmp/out" "$tmp/warn.yaml:7:5: warning: question has no 'explain'"
"$bin" validate --strict "$tmp/warn.yaml" >"$tmp/out" 2>&1
check "--strict turns warnings into errors" 65 $?
contains "strict shows error" "$tmp/out" "$tmp/warn.yaml:7:5: error: question has no 'explain'"

"$bin" validate "$tmp/missing.yaml" >"$tmp/out" 2>&1
check "a missing file exits 66 with a message" 66 $?
contains "missing file message" "$tmp/out" "cannot open"
"$bin" validate >"$tmp/out" 2>&1
check "no path is a usage error" 64 $?
"$bin" validate --bogus x >"$tmp/out" 2>&1
check "unknown option is a usage error" 64 $?
"$bin" frobnicate >"$tmp/out" 2>&1
check "unknown command" 64 $?

"$bin" --version >"$tmp/out" 2>&1
check "--version" 0 $?
contains "version text" "$tmp/out" "ipr-drill "
"$bin" --help >"$tmp/out" 2>&1
check "--help" 0 $?
contains "help lists validate" "$tmp/out" "validate"
"$bin" help validate >"$tmp/out" 2>&1
check "help validate" 0 $?
contains "help validate text" "$tmp/out" "--strict"
"$bin" validate --help >"$tmp/out" 2>&1
contains "validate --help text" "$tmp/out" "Usage: ipr-drill validate"

# The packs table and a clash of ids in one folder.
mkdir -p "$tmp/packs"
cp "$src/tests/fixtures/example-pack.yaml" "$tmp/packs/a.yaml"
(cd "$tmp" && IPR_DRILL_PACKS= XDG_DATA_HOME="$tmp/xdg" "$bin" --packs "$tmp/packs" packs) >"$tmp/out" 2>&1
check "packs lists" 0 $?
contains "packs table header" "$tmp/out" "SHIPMENTS"
contains "packs table row" "$tmp/out" "spec-example"
cp "$src/tests/fixtures/example-pack.yaml" "$tmp/packs/b.yaml"
(cd "$tmp" && XDG_DATA_HOME="$tmp/xdg" "$bin" --packs "$tmp/packs" packs) >"$tmp/out" 2>&1
check "same id twice in one folder" 65 $?
contains "clash reported" "$tmp/out" "two packs in one folder have the id 'spec-example'"

# A damaged or foreign results file: a clear message and 73, never a crash.
head -c 4096 /dev/urandom >"$tmp/random.db"
"$bin" train "$src/tests/fixtures/example-pack.yaml" --trainee X --db "$tmp/random.db" \
	</dev/null >"$tmp/out" 2>&1
check "a random file as the database exits 73" 73 $?
contains "random file message" "$tmp/out" "is not an ipr-drill results database"
sqlite3 "$tmp/foreign.db" "CREATE TABLE t(x)"
"$bin" train "$src/tests/fixtures/example-pack.yaml" --trainee X --db "$tmp/foreign.db" \
	</dev/null >"$tmp/out" 2>&1
check "another program's database exits 73" 73 $?
contains "foreign file message" "$tmp/out" "an SQLite database of another program"

# The global --db reaches every command (as IPR_DRILL_DB does).
"$bin" --db "$tmp/nowhere.db" report >"$tmp/out" 2>&1
contains "global --db is used" "$tmp/out" "$tmp/nowhere.db"

# A control character in a pack never reaches the terminal raw.
printf 'format: 1\nid: "x\\e[2J"\n' >"$tmp/esc.yaml"
"$bin" validate "$tmp/esc.yaml" >"$tmp/out" 2>&1
if grep -q "$(printf '\033')" "$tmp/out"; then
	echo "FAIL: raw ESC printed"
	fails=$((fails + 1))
else
	echo "ok: no raw ESC"
fi

echo "$((fails == 0 ? 1 : 0)) passed, $fails failed" >/dev/null
[ "$fails" -eq 0 ]
