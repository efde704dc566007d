#!/usr/bin/env bash
# Compares Grep engines on a large tree. Run by hand from the package root; prints figures only.
#   bench/grep-bench.sh [tree]     (default: a clone of swift-syntax in /tmp)
#
# 1. raw rg (the floor); 2. arrakis's Grep tool backed by rg; 3. the built-in engine (ARRAKIS_GREP_BUILTIN=1).
# 2 and 3 run through the real CLI: `arrakis code --replay` with a one-call turn file, and the time is the
# tool's own duration as recorded in the ledger (tool_operations.duration_ms), best of 3.
# Goals: ≈ 1× rg when rg is used, ≤ 2× with the built-in engine.
set -euo pipefail
tree=${1:-/tmp/arrakis-bench-syntax}
if [ ! -d "$tree" ]; then
  src=/opt/swift-packages/apple/swift-syntax.git
  [ -d "$src" ] || src=https://github.com/swiftlang/swift-syntax
  git clone -q "$src" "$tree"
fi
echo "tree: $tree ($(find "$tree" -type f -not -path '*/.git/*' | wc -l) files)"

rgflags=(--no-config --no-heading --with-filename --color=never --sort=path --hidden --no-require-git -g '!.git')
time_rg() {
  local best=999999
  for _ in 1 2 3; do
    local s e
    s=$(date +%s%N); (cd "$tree" && rg "${rgflags[@]}" "$@" >/dev/null || true); e=$(date +%s%N)
    local ms=$(( (e - s) / 1000000 )); (( ms < best )) && best=$ms
  done
  printf 'raw rg     %8d ms  %s\n' "$best" "$*"
}
time_rg -l 'TokenSyntax'
time_rg -c '\bfunc\s+\w+\('
time_rg -n -i 'deprecated'
time_rg -n '[A-Z][a-z]+Syntax\.init'

bin=$(pwd)/.build/release/arrakis
[ -x "$bin" ] || { echo "build first: make release" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
time_tool() {  # engine-label env-prefix json-input
  local label=$1 builtin=$2 input=$3 best=999999
  printf '[{"type":"tool_use","id":"g1","name":"Grep","input":%s}]\n[{"type":"text","text":"ok"}]\n' "$input" > "$work/turns.jsonl"
  for i in 1 2 3; do
    rm -f "$work/l.db"*
    ARRAKIS_GREP_BUILTIN=$builtin ARRAKIS_DB="$work/l.db" "$bin" code -C "$tree" --replay "$work/turns.jsonl" x >/dev/null 2>&1
    local ms; ms=$(sqlite3 "$work/l.db" 'select duration_ms from tool_operations')
    (( ms < best )) && best=$ms
  done
  printf '%-10s %8d ms  %s\n' "$label" "$best" "$input"
}
for input in '{"pattern":"TokenSyntax"}' '{"pattern":"\\bfunc\\s+\\w+\\(","output_mode":"count"}' '{"pattern":"deprecated","-i":true,"-n":true,"output_mode":"content"}' '{"pattern":"[A-Z][a-z]+Syntax\\.init","-n":true,"output_mode":"content"}'; do
  time_tool "tool+rg" 0 "$input"
  time_tool "built-in" 1 "$input"
done
