#!/usr/bin/env bash
# The Grep tool against plain rg on a large tree. Run by hand from the package root; prints figures only.
#   bench/grep-bench.sh [tree]     (default: a shallow clone of git/git in /tmp)
#   ARRAKIS_BIN=path (default .build/release/arrakis); RUNS=N (default 5) interleaved runs per pattern; BUILTIN_RUNS=N (default 1) runs of the built-in engine.
#
# For each pattern, interleaved: plain rg with the arguments the tool gives it (rg searches in parallel),
# rg with --sort=path (what the tool ran before: rg on one thread), and the tool itself through the real
# CLI (`arrakis code --replay` with a one-call turn file), timed end to end as the loop records it in the
# ledger (tool_operations.duration_ms: running rg, reading and ordering its output, the result budget),
# of the second of two identical calls: the session's own start-up work (workspace facts, git status)
# runs alongside the first one, and on 2 cores that would be counted against the tool.
# Medians are printed, and the ratio tool / plain rg (goal ≤ 1.2×). The tool's result must be the start
# of what `rg --sort=path` prints: its order is checked too. Then the built-in engine
# (ARRAKIS_GREP_BUILTIN=1; goal ≤ 2× rg).
set -euo pipefail
tree=${1:-/tmp/arrakis-bench-git}
runs=${RUNS:-5}
builtin_runs=${BUILTIN_RUNS:-1}
if [ ! -d "$tree" ]; then
  git clone -q --depth 1 https://github.com/git/git "$tree"
fi
echo "tree: $tree ($(git -C "$tree" ls-files 2>/dev/null | wc -l) tracked files), $runs interleaved runs, medians"

bin=${ARRAKIS_BIN:-$(pwd)/.build/release/arrakis}
[ -x "$bin" ] || { echo "build first: make release" >&2; exit 1; }
command -v rg >/dev/null || { echo "rg is not installed" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# The arguments Sources/Agent/Tools/RipgrepSearch.swift gives rg (without --sort=path since it orders the
# output itself), followed by the mode's own.
rgbase=(--no-config --no-heading --with-filename --null --color=never --no-messages --hidden --no-require-git
        --no-ignore-dot --no-ignore-global -g '!.git')
now_us() { echo $(( $(date +%s%N) / 1000 )); }
time_rg() {  # extra-flag... -- rg-args...
  local s e; s=$(now_us); (cd "$tree" && rg "$@" >/dev/null || true); e=$(now_us)
  echo $(( e - s ))
}
run_tool() {  # builtin(0|1) → prints duration_ms; leaves the result in $work/result.txt
  rm -f "$work/l.db"*
  ARRAKIS_GREP_BUILTIN=$1 ARRAKIS_DB="$work/l.db" "$bin" code -C "$tree" --permission read-only --replay "$work/turns.jsonl" x >/dev/null 2>&1
  sqlite3 "$work/l.db" 'select result from tool_operations order by id desc limit 1' > "$work/result.txt"
  sqlite3 "$work/l.db" 'select duration_ms from tool_operations order by id desc limit 1'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

printf '%-60s %9s %9s %9s %7s %7s\n' "pattern (rg arguments)" "rg ms" "rg-sort" "tool ms" "tool/rg" "order"
bench() {  # json-input -- rg mode arguments...
  local input=$1; shift
  printf '[{"type":"tool_use","id":"g%d","name":"Grep","input":%s}]\n' 1 "$input" 2 "$input" > "$work/turns.jsonl"
  echo '[{"type":"text","text":"ok"}]' >> "$work/turns.jsonl"
  : > "$work/rg"; : > "$work/sorted"; : > "$work/tool"
  run_tool 0 >/dev/null  # warm the page cache
  for _ in $(seq "$runs"); do
    time_rg "${rgbase[@]}" "$@" >> "$work/rg"
    time_rg "${rgbase[@]/--null/--sort=path}" "$@" >> "$work/sorted"
    run_tool 0 >> "$work/tool"
  done
  # What the tool shows (its footer aside) must be the first lines rg --sort=path prints, truncation aside.
  local expect=("${rgbase[@]/--null/--sort=path}" "$@")
  [[ $input == *'"-n":false'* ]] && expect=("${expect[@]/--line-number/--no-line-number}")
  (cd "$tree" && rg "${expect[@]}" > "$work/expected" || true)
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
  local rg_ms sorted_ms tool_ms
  rg_ms=$(median < "$work/rg" | awk '{printf "%.1f", $1 / 1000}')
  sorted_ms=$(median < "$work/sorted" | awk '{printf "%.1f", $1 / 1000}')
  tool_ms=$(median < "$work/tool")
  printf '%-60s %9s %9s %9s %6.2fx %7s\n' "$*" "$rg_ms" "$sorted_ms" "$tool_ms" "$(echo "$tool_ms $rg_ms" | awk '{print $1 / $2}')" "$order"
  if [ "$builtin_runs" -gt 0 ]; then
    : > "$work/builtin"
    for _ in $(seq "$builtin_runs"); do run_tool 1 >> "$work/builtin"; done
    printf '%-60s %9s %9s %9s %6.2fx\n' "  built-in engine" "" "" "$(median < "$work/builtin")" \
      "$(echo "$(median < "$work/builtin") $rg_ms" | awk '{print $1 / $2}')"
  fi
}
# Patterns that match as much as a model's searches do on a C tree: hundreds of files, thousands of lines.
bench '{"pattern":"strbuf_release"}' --files-with-matches --regexp 'strbuf_release'
bench '{"pattern":"\\bstatic\\s+int\\b","output_mode":"count"}' --count --regexp '\bstatic\s+int\b'
bench '{"pattern":"die\\(_\\(","output_mode":"content"}' --line-number --regexp 'die\(_\('
bench '{"pattern":"todo|fixme","-i":true,"output_mode":"content","-C":1}' --line-number -B 1 -A 1 --ignore-case --regexp 'todo|fixme'
bench '{"pattern":"repo_config_get_\\w+","glob":"*.c","output_mode":"content","-n":false}' --line-number --glob '*.c' --regexp 'repo_config_get_\w+'
