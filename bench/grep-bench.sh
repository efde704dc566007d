#!/usr/bin/env bash
# The Grep tool against plain rg on a large tree, like with like. Run by hand from the package root; prints figures only.
#   BENCH_REPO=/path/to/a/git/git/checkout bench/grep-bench.sh [input-json...]
#   GREP_DRIVER=path (default: .build/release/grep-driver, built first, with arrakis-guard beside it);
#   ROUNDS=N (default 3) interleaved rounds per pattern;
#   RUNS=N (default 5) runs of each command per round; BUILTIN_RUNS=N (default 2; 0 skips the built-in engine);
#   BASELINE_DRIVER=path: an earlier build of the driver, timed in the same rounds (before/after figures).
#
# Both sides are processes timed by hyperfine (-N: no shell; --output=pipe: both write into a pipe, as
# rg does for the tool) from the tree's root: plain rg with exactly the argv the tool gives it (the driver
# prints it: GrepTool.ripgrepArguments), and bench/GrepDriver, a small program that runs the Grep tool
# end to end (parse the call, spawn rg through arrakis-guard, read and order its output, the result
# budget) and prints its result, after one warm-up call in a workspace of its own. The driver's start and
# that warm-up (`--warm-only`, timed in the same round) are what arrakis pays once per session, not per
# Grep call, so "net" subtracts them ("cpu": the same with user + system time, steadier than wall time
# on a loaded machine; builtin/rg is net too). A round runs every command RUNS
# times (hyperfine, one after the other); rounds alternate, and ratios are taken within a round, then
# the median over rounds is printed (goal: net/rg ≤ 1.2×; the built-in engine, used where rg is not
# installed, is printed against the same rg).
# The tool's result must be the start of what `rg --sort=path` prints (the order is checked too).
set -euo pipefail
tree=${BENCH_REPO:-}
if [ -z "$tree" ]; then
  # Skipped, not failed, so `make bench` goes on with the other benchmarks.
  echo "grep-bench: skipped, BENCH_REPO is not set. Point it at a checkout of git/git (nothing is cloned for you), e.g."
  echo "  git clone https://github.com/git/git /tmp/git && BENCH_REPO=/tmp/git $0"
  exit 0
fi
[ -d "$tree" ] || { echo "BENCH_REPO=$tree is not a directory" >&2; exit 2; }
tree=$(cd "$tree" && pwd -P)
rounds=${ROUNDS:-3}
runs=${RUNS:-5}
builtin_runs=${BUILTIN_RUNS:-2}
driver=${GREP_DRIVER:-$(pwd)/.build/release/grep-driver}
if [ -z "${GREP_DRIVER:-}" ]; then  # the driver and, beside it, the guard it starts rg through (as arrakis does)
  swift build -c release --static-swift-stdlib --product grep-driver >/dev/null
  swift build -c release --static-swift-stdlib --product arrakis-guard >/dev/null
fi
[ -x "$driver" ] || { echo "GREP_DRIVER=$driver is not executable" >&2; exit 1; }
for tool in rg hyperfine python3; do command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }; done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# BASELINE_DRIVER: an earlier build of the driver (with its arrakis-guard beside it), timed in the same rounds.
drivers=("$driver"); labels=(this)
if [ -n "${BASELINE_DRIVER:-}" ]; then
  [ -x "$BASELINE_DRIVER" ] || { echo "BASELINE_DRIVER=$BASELINE_DRIVER is not executable" >&2; exit 1; }
  drivers+=("$BASELINE_DRIVER"); labels+=(baseline)
fi

echo "tree: $tree ($(git -C "$tree" ls-files 2>/dev/null | wc -l) tracked files); $(rg --version | head -1); $(nproc) cores"
echo "$rounds rounds x $runs runs (built-in engine: $builtin_runs runs per round); medians of per-round ratios"

# One argument quoted for hyperfine's own word splitting (-N), which follows sh's rules.
quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
command_line() { local out="" a; for a in "$@"; do out+="$(quote "$a") "; done; printf '%s' "${out% }"; }
# Median wall time (ms) of the command numbered $2 in hyperfine's JSON export $1.
median_ms() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"] * 1000)' "$1" "$2"; }
# Mean CPU time (user + system, ms) of command $2: steadier than wall time on a loaded machine.
cpu_ms() { python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print((r["user"] + r["system"]) * 1000)' "$1" "$2"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }

printf '%-58s %7s %8s %8s %8s %8s %8s %8s %10s %7s\n' "call (input JSON)" "matches" "rg ms" "tool ms" "warm ms" "tool/rg" "net/rg" "cpu/rg" "builtin/rg" "order"
bench() {  # input-json
  local input=$1
  local argv=()
  mapfile -d '' argv < <("$driver" "$tree" "$input" --rg-argv)
  local rg_cmd noop_cmd tools=() builtins=() d
  rg_cmd=$(command_line "${argv[@]}")
  noop_cmd=$(command_line "$driver" "$tree" "$input" --warm-only)
  for d in "${drivers[@]}"; do
    tools+=("$(command_line "$d" "$tree" "$input")")
    builtins+=("$(command_line "$d" "$tree" "$input" --builtin)")
  done
  local builtin_warm
  builtin_warm=$(command_line "$driver" "$tree" "$input" --builtin --warm-only)
  rm -f "$work"/r.*
  local n=${#drivers[@]} k
  for _ in $(seq "$rounds"); do
    # Round: rg, each driver, the driver's start; then the built-in engines and rg again.
    (cd "$tree" && hyperfine -N --output=pipe --warmup 1 --runs "$runs" --export-json "$work/h.json" \
      "$rg_cmd" "${tools[@]}" "$noop_cmd" >/dev/null 2>&1)
    local rg_ms start_ms tool_ms
    rg_ms=$(median_ms "$work/h.json" 0); start_ms=$(median_ms "$work/h.json" $((n + 1)))
    echo "$rg_ms" >> "$work/r.rgms"; echo "$start_ms" >> "$work/r.startms"
    for k in $(seq 0 $((n - 1))); do
      tool_ms=$(median_ms "$work/h.json" $((k + 1)))
      echo "$tool_ms" >> "$work/r.toolms$k"
      ratio "$tool_ms" "$rg_ms" >> "$work/r.tool$k"; echo >> "$work/r.tool$k"
      ratio "$(awk -v a="$tool_ms" -v b="$start_ms" 'BEGIN {print a - b}')" "$rg_ms" >> "$work/r.net$k"; echo >> "$work/r.net$k"
      ratio "$(awk -v a="$(cpu_ms "$work/h.json" $((k + 1)))" -v b="$(cpu_ms "$work/h.json" $((n + 1)))" 'BEGIN {print a - b}')" \
        "$(cpu_ms "$work/h.json" 0)" >> "$work/r.cpu$k"; echo >> "$work/r.cpu$k"
    done
    if [ "$builtin_runs" -gt 0 ]; then
      (cd "$tree" && hyperfine -N --output=pipe --runs "$builtin_runs" --export-json "$work/b.json" \
        "${builtins[@]}" "$rg_cmd" "$builtin_warm" >/dev/null 2>&1)
      for k in $(seq 0 $((n - 1))); do
        ratio "$(awk -v a="$(median_ms "$work/b.json" "$k")" -v b="$(median_ms "$work/b.json" $((n + 1)))" 'BEGIN {print a - b}')" \
          "$(median_ms "$work/b.json" "$n")" >> "$work/r.builtin$k"; echo >> "$work/r.builtin$k"
      done
    fi
  done
  # What the tool shows (its footer aside) must be the first lines rg --sort=path prints, truncation aside;
  # the built-in engine must print the same text as the tool through rg.
  local expect=()
  local a
  for a in "${argv[@]}"; do [ "$a" = --null ] && a=--sort=path; expect+=("$a"); done
  [[ $input == *'"-n":false'* ]] && expect=("${expect[@]/--line-number/--no-line-number}")
  (cd "$tree" && "${expect[@]}" > "$work/expected" || true)
  for k in $(seq 0 $((n - 1))); do
    d=${drivers[$k]}
    (cd "$tree" && "$d" "$tree" "$input" > "$work/result.txt" || true)
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
    local builtin_ratio="-"
    if [ "$builtin_runs" -gt 0 ]; then
      (cd "$tree" && "$d" "$tree" "$input" --builtin > "$work/builtin.txt" || true)
      cmp -s "$work/result.txt" "$work/builtin.txt" || order+=",builtin DIFFERS"
      builtin_ratio=$(printf '%.2fx' "$(median < "$work/r.builtin$k")")
    fi
    local label=$input
    [ "$n" -gt 1 ] && label="  ${labels[$k]}"
    [ "$n" -gt 1 ] && [ "$k" -eq 0 ] && printf '%s\n' "$input"
    printf '%-58s %7s %8.1f %8.1f %8.1f %7.2fx %7.2fx %7.2fx %10s %7s\n' "$label" "$(wc -l < "$work/expected")" \
      "$(median < "$work/r.rgms")" "$(median < "$work/r.toolms$k")" "$(median < "$work/r.startms")" \
      "$(median < "$work/r.tool$k")" "$(median < "$work/r.net$k")" "$(median < "$work/r.cpu$k")" "$builtin_ratio" "$order"
  done
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
