#!/usr/bin/env bash
# Times `git worktree add` + `git worktree remove` (git CLI) on a 20,000-file repository in /tmp.
# Run by hand: bench/worktree-bench.sh [files] [runs]
#
# This is the baseline only. The arrakis side (libgit2 git_worktree_add / git_worktree_prune) will be timed
# through the CLI once `arrakis improve` exists, by running the same loop against
#   arrakis improve --repo "$REPO" ...   (wall time of worktree setup/teardown from its timing output)
# No arrakis figures are produced by this script yet.
set -euo pipefail

FILES=${1:-20000}
RUNS=${2:-5}
ROOT=$(mktemp -d /tmp/arrakis-wt-bench.XXXXXX)
trap 'rm -rf "$ROOT"' EXIT
REPO=$ROOT/repo
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

echo "creating $FILES files in $REPO"
t0=$(now)
git init -q -b main "$REPO"
# 100 directories of FILES/100 small files each, like a source tree.
for d in $(seq 1 100); do
  mkdir -p "$REPO/dir$d"
  for f in $(seq 1 $((FILES / 100))); do printf 'file %d/%d\nline two\n' "$d" "$f" > "$REPO/dir$d/f$f.txt"; done
done
git -C "$REPO" add -A
git -C "$REPO" commit -q -m "bench fixture"
echo "fixture: $(git -C "$REPO" ls-files | wc -l) files in $(elapsed "$t0" "$(now)") s"

total_add=0
total_remove=0
for run in $(seq 1 "$RUNS"); do
  wt=$ROOT/wt-$run
  t0=$(now)
  git -C "$REPO" worktree add -q -b "arrakis/bench/$run" "$wt" HEAD
  t1=$(now)
  git -C "$REPO" worktree remove --force "$wt"
  t2=$(now)
  add=$(elapsed "$t0" "$t1")
  remove=$(elapsed "$t1" "$t2")
  total_add=$(echo "$total_add + $add" | bc)
  total_remove=$(echo "$total_remove + $remove" | bc)
  printf 'run %d: add %.3f s, remove %.3f s\n' "$run" "$add" "$remove"
done
printf 'mean over %d runs: add %.3f s, remove %.3f s\n' "$RUNS" \
  "$(echo "$total_add / $RUNS" | bc -l)" "$(echo "$total_remove / $RUNS" | bc -l)"
