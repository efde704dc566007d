#!/usr/bin/env bash
# The Grep tool against plain rg on a large tree, like with like. Run by hand from the package root; prints figures only.
#   BENCH_REPO=/path/to/a/git/git/checkout bench/grep-bench.sh [input-json...]
#   GREP_DRIVER=path (default .build/release/grep-driver: `swift build -c release --static-swift-stdlib
#     --product grep-driver --product arrakis-guard`); ROUNDS=N (default 3) interleaved rounds per pattern;
#   RUNS=N (default 5) runs of each command per round; BUILTIN_RUNS=N (default 2; 0 skips the built-in engine).
#
# Both sides are processes timed by hyperfine (-N: no shell; --output=pipe: both write into a pipe, as
# rg does for the tool) from the tree's root: plain rg with exactly the argv the tool gives it (the driver
# prints it: GrepTool.ripgrepArguments), and bench/GrepDriver, a small program that runs the Grep tool
# end to end (parse the call, spawn rg through arrakis-guard, read and order its output, the result
# budget) and prints its result. The driver's own start (`grep-driver --noop`, timed in the same round)
# is not part of a Grep call inside arrakis, so "net" subtracts it. A round runs every command RUNS
# times (hyperfine, one after the other); rounds alternate, and ratios are taken within a round, then
# the median over rounds is printed (goal: tool/rg ≤ 1.2×; the built-in engine, used where rg is not
# installed, is printed against the same rg).
# The tool's result must be the start of what `rg --sort=path` prints (the order is checked too).
set -euo pipefail
tree=${BENCH_REPO:-}
if [ -z "$tree" ]; then
  echo "BENCH_REPO is not set: point it at a checkout of git/git, e.g." >&2
  echo "  git clone https://github.com/git/git /tmp/git && BENCH_REPO=/tmp/git $0" >&2
  echo "(nothing is cloned for you: the figures are meant for a tree you chose)" >&2
  exit 2
fi
[ -d "$tree" ] || { echo "BENCH_REPO=$tree is not a directory" >&2; exit 2; }
tree=$(cd "$tree" && pwd -P)
rounds=${ROUNDS:-3}
runs=${RUNS:-5}
builtin_runs=${BUILTIN_RUNS:-2}
driver=${GREP_DRIVER:-$(pwd)/.build/release/grep-driver}
[ -x "$driver" ] || { echo "build the driver first: swift build -c release --static-swift-stdlib --product grep-driver --product arrakis-guard" >&2; exit 1; }
for tool in rg hyperfine python3; do command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }; done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

echo "tree: $tree ($(git -C "$tree" ls-files 2>/dev/null | wc -l) tracked files); $(rg --version | head -1); $(nproc) cores"
echo "$rounds rounds x $runs runs (built-in engine: $builtin_runs runs per round); medians of per-round ratios"

# One argument quoted for hyperfine's own word splitting (-N), which follows sh's rules.
quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
command_line() { local out="" a; for a in "$@"; do out+="$(quote "$a") "; done; printf '%s' "${out% }"; }
# Median wall time (ms) of the command numbered $2 in hyperfine's JSON export $1.
median_ms() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"] * 1000)' "$1" "$2"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }

printf '%-58s %8s %8s %8s %8s %8s %9s %10s %7s\n' "call (input JSON)" "matches" "rg ms" "tool ms" "start ms" "tool/rg" "net/rg" "builtin/rg" "order"
bench() {  # input-json
  local input=$1
  local argv=()
  mapfile -d '' argv < <("$driver" "$tree" "$input" --rg-argv)
  local rg_cmd tool_cmd builtin_cmd noop_cmd
  rg_cmd=$(command_line "${argv[@]}")
  tool_cmd=$(command_line "$driver" "$tree" "$input")
  builtin_cmd=$(command_line "$driver" "$tree" "$input" --builtin)
  noop_cmd=$(command_line "$driver" --noop)
  : > "$work/tool"; : > "$work/net"; : > "$work/builtin"; : > "$work/rgms"; : > "$work/toolms"; : > "$work/startms"
  for _ in $(seq "$rounds"); do
    (cd "$tree" && hyperfine -N --output=pipe --warmup 1 --runs "$runs" --export-json "$work/h.json" \
      "$rg_cmd" "$tool_cmd" "$noop_cmd" >/dev/null 2>&1)
    local rg_ms tool_ms start_ms
    rg_ms=$(median_ms "$work/h.json" 0); tool_ms=$(median_ms "$work/h.json" 1); start_ms=$(median_ms "$work/h.json" 2)
    echo "$rg_ms" >> "$work/rgms"; echo "$tool_ms" >> "$work/toolms"; echo "$start_ms" >> "$work/startms"
    ratio "$tool_ms" "$rg_ms" >> "$work/tool"; echo >> "$work/tool"
    ratio "$(awk -v a="$tool_ms" -v b="$start_ms" 'BEGIN {print a - b}')" "$rg_ms" >> "$work/net"; echo >> "$work/net"
    if [ "$builtin_runs" -gt 0 ]; then
      (cd "$tree" && hyperfine -N --output=pipe --runs "$builtin_runs" --export-json "$work/b.json" \
        "$builtin_cmd" "$rg_cmd" >/dev/null 2>&1)
      ratio "$(median_ms "$work/b.json" 0)" "$(median_ms "$work/b.json" 1)" >> "$work/builtin"; echo >> "$work/builtin"
    fi
  done
  # What the tool shows (its footer aside) must be the first lines rg --sort=path prints, truncation aside;
  # the built-in engine must print the same text as the tool through rg.
  local expect=()
  local a
  for a in "${argv[@]}"; do [ "$a" = --null ] && a=--sort=path; expect+=("$a"); done
  [[ $input == *'"-n":false'* ]] && expect=("${expect[@]/--line-number/--no-line-number}")
  (cd "$tree" && "${expect[@]}" > "$work/expected" || true)
  (cd "$tree" && "$driver" "$tree" "$input" > "$work/result.txt" || true)
  local order
  order=$(python3 - "$work/result.txt" "$work/expected" <<'PY'
import sys
got = open(sys.argv[1], encoding="utf-8", errors="replace").read().rstrip("\n").split("\n")
want = open(sys.argv[2], encoding="utf-8", errors="replace").read().rstrip("\n").split("\n")
if got and got[-1].startswith("[showing"): got.pop()
cut = "… [line truncated]"
ok = len(got) <= len(want) and all(g == w or (g.endswith(cut) and w.startswith(g[:-len(cut)])) for g, w in zip(got, want))
print("same" if ok and got else "DIFFERS")
PY
)
  if [ "$builtin_runs" -gt 0 ]; then
    (cd "$tree" && "$driver" "$tree" "$input" --builtin > "$work/builtin.txt" || true)
    cmp -s "$work/result.txt" "$work/builtin.txt" || order+=",builtin DIFFERS"
  fi
  local builtin_ratio="-"
  [ "$builtin_runs" -gt 0 ] && builtin_ratio=$(printf '%.2fx' "$(median < "$work/builtin")")
  printf '%-58s %8s %8.1f %8.1f %8.1f %7.2fx %8.2fx %10s %7s\n' "$input" "$(wc -l < "$work/expected")" \
    "$(median < "$work/rgms")" "$(median < "$work/toolms")" "$(median < "$work/startms")" \
    "$(median < "$work/tool")" "$(median < "$work/net")" "$builtin_ratio" "$order"
}
# What a model's searches on a C tree look like, matching hundreds of files and thousands of lines:
# C identifiers, a call pattern, a regex count, common words with context, a glob with a regex.
# Arguments, when given, are the inputs to time instead.
if [ $# -gt 0 ]; then
  for input in "$@"; do bench "$input"; done
  exit 0
fi
bench '{"pattern":"strbuf_release"}'
bench '{"pattern":"strbuf_addf","output_mode":"content"}'
bench '{"pattern":"die\\(_\\(","output_mode":"content"}'
bench '{"pattern":"\\bstatic\\s+int\\b","output_mode":"count"}'
bench '{"pattern":"todo|fixme","-i":true,"output_mode":"content","-C":1}'
bench '{"pattern":"repo_config_get_\\w+","glob":"*.c","output_mode":"content","-n":false}'
