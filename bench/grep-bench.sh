#!/usr/bin/env bash
# Compares Grep engines on a large tree. Run by hand from the package root; prints figures only.
#   bench/grep-bench.sh [tree]     (default: a clone of swift-syntax in /tmp)
#
# 1. raw rg (the floor), 2. arrakis's Grep tool backed by rg, 3. the built-in engine.
# 2 and 3 run through the test target today (ARRAKIS_GREP_BENCH); once `arrakis` exposes the tools on
# the CLI this script will call them there, with ARRAKIS_GREP_BUILTIN=1 forcing the built-in engine:
#   ARRAKIS_GREP_BUILTIN=1 arrakis tool Grep '{"pattern":"TokenSyntax"}'   (planned, not yet available)
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

echo "--- arrakis Grep tool (release build) ---"
ARRAKIS_GREP_BENCH="$tree" swift test -c release --filter grepBenchmark 2>&1 | grep -E 'ms  |differ'
