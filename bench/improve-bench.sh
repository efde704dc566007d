#!/usr/bin/env bash
# Branch + worktree setup and teardown on a 20,000-file repository: `arrakis improve --setup-only` (the
# whole command: lock, stale-run cleanup, session row, branch, libgit2 worktree add, worktree removal,
# branch deletion) against the git CLI doing the same (`git worktree add -b` + `git worktree remove` +
# `git branch -D`), alternating in the same run. Goal: arrakis/git ≤ 1.0.
# Run by hand: bench/improve-bench.sh [files] [runs]   (ARRAKIS=path/to/arrakis to pick a build)
set -euo pipefail

FILES=${1:-20000}
RUNS=${2:-5}
HERE=$(cd "$(dirname "$0")/.." && pwd)
ARRAKIS=${ARRAKIS:-$( [ -x "$HERE/.build/release/arrakis" ] && echo "$HERE/.build/release/arrakis" || echo "$HERE/.build/debug/arrakis")}
ROOT=$(mktemp -d /tmp/arrakis-improve-bench.XXXXXX)
trap 'rm -rf "$ROOT"' EXIT
REPO=$ROOT/repo
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost
export ARRAKIS_DB=$ROOT/ledger.db XDG_STATE_HOME=$ROOT/state

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

echo "arrakis: $ARRAKIS"
echo "creating $FILES files in $REPO"
git init -q -b main "$REPO"
for d in $(seq 1 100); do
  mkdir -p "$REPO/dir$d"
  for f in $(seq 1 $((FILES / 100))); do printf 'file %d/%d\nline two\n' "$d" "$f" > "$REPO/dir$d/f$f.txt"; done
done
printf 'test:\n\ttrue\n' > "$REPO/Makefile"
git -C "$REPO" add -A
git -C "$REPO" commit -q -m "bench fixture"
echo "fixture: $(git -C "$REPO" ls-files | wc -l) files"
"$ARRAKIS" improve -C "$REPO" --setup-only >/dev/null 2>&1  # warm the page cache and create the ledger

total_arrakis=0
total_git=0
for run in $(seq 1 "$RUNS"); do
  t0=$(now)
  "$ARRAKIS" improve -C "$REPO" --setup-only >/dev/null 2>&1
  t1=$(now)
  git -C "$REPO" worktree add -q -b "arrakis/bench/$run" "$ROOT/wt-$run" HEAD
  git -C "$REPO" worktree remove --force "$ROOT/wt-$run"
  git -C "$REPO" branch -q -D "arrakis/bench/$run"
  t2=$(now)
  a=$(elapsed "$t0" "$t1"); g=$(elapsed "$t1" "$t2")
  total_arrakis=$(echo "$total_arrakis + $a" | bc); total_git=$(echo "$total_git + $g" | bc)
  printf 'run %d: arrakis %.3f s, git %.3f s\n' "$run" "$a" "$g"
done
[ "$(git -C "$REPO" worktree list | wc -l)" = 1 ] || { echo "worktrees left behind" >&2; exit 1; }
printf 'mean over %d runs: arrakis %.3f s, git %.3f s, ratio %.2f×\n' "$RUNS" \
  "$(echo "$total_arrakis / $RUNS" | bc -l)" "$(echo "$total_git / $RUNS" | bc -l)" \
  "$(echo "$total_arrakis / $total_git" | bc -l)"
