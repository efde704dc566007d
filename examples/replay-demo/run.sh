#!/usr/bin/env bash
# Offline demo of `arrakis code`: a recorded session's model turns are replayed (no API key, no network)
# while the tools run for real on a fresh copy of a tiny project with a failing test.
#   examples/replay-demo/run.sh [path/to/arrakis]
set -euo pipefail
unset MAKEFLAGS MFLAGS MAKELEVEL  # when started from a make target, our own makes stay quiet
here=$(cd "$(dirname "$0")" && pwd)
arrakis=${1:-$(command -v arrakis || echo "$here/../../.build/release/arrakis")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
printf 'add() { echo $(( $1 - $2 )); }\n' > calc.sh
printf '. ./calc.sh\n[ "$(add 2 3)" = 5 ] && echo PASS || { echo FAIL; exit 1; }\n' > test.sh
printf 'test:\n\tsh test.sh\n' > Makefile
git init -q && git add -A && git -c user.name=demo -c user.email=demo@example.com commit -qm "calc with a bug"
echo "== before: make test"; make -s test || true
export ARRAKIS_DB="$work/ledger.db"
echo "== arrakis code --replay (tools run for real)"
"$arrakis" code --permission full-access --replay "$here/turns.jsonl" "fix the failing test"
echo "== after: make test"; make -s test
echo "== the record"; "$arrakis" log -n 1
