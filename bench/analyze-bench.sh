#!/usr/bin/env bash
# Times `arrakis analyze --no-model` on a large real tree and on a long history, next to `git log --numstat`
# over the same window in the same run. Run by hand; prints the figures. Goal: analyze ≤ 5 s.
#
#   bench/analyze-bench.sh [ARRAKIS_BINARY] [SYNTHETIC_COMMITS]
#
# 1. The mirror under /opt/swift-packages/*/*.git with the most commits (ties: the biggest tree) is cloned.
#    These mirrors hold little history and their commits are dated 1970, so the window is the whole history.
# 2. On top of that clone, SYNTHETIC_COMMITS (default 5000) commits spread over the last 90 days are written
#    with `git fast-import` (each edits 1–4 of 300 files), and the 90-day window is timed again: that is the
#    churn workload the revwalk (libgit2 diff + line stats per commit) has to carry.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-}
synthetic=${2:-5000}
if [ -z "$bin" ]; then
  (cd "$here" && swift build -c release --product arrakis >/dev/null)
  bin="$here/.build/release/arrakis"
fi
work=$(mktemp -d /tmp/arrakis-analyze-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export ARRAKIS_DB="$work/ledger.db" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

best="" best_key=""
for m in /opt/swift-packages/*/*.git; do
  n=$(git --git-dir="$m" rev-list --all --count 2>/dev/null || echo 0)
  size=$(du -sk "$m" | cut -f1)
  key=$(printf '%08d%012d' "$n" "$size")
  if [[ "$key" > "$best_key" ]]; then best_key=$key; best=$m; fi
done
echo "mirror: $best ($(git --git-dir="$best" rev-list --all --count) commits)"
git clone -q "$best" "$work/repo"
cd "$work/repo"
echo "tree: $(git ls-files | wc -l) files"

ms() { date +%s%3N; }
measure() {  # label, since-for-arrakis, since-for-git
  local t0 t1 t2
  t0=$(ms); git log --numstat --no-merges --no-renames --since="$3" --format=%H >/dev/null; t1=$(ms)
  "$bin" analyze --no-model --no-compare --json --since "$2" . >"$work/report.json"; t2=$(ms)
  printf '%-34s git log --numstat %6d ms   arrakis analyze --no-model %6d ms' "$1" $((t1 - t0)) $((t2 - t1))
  # The parts, as the report records them: the revwalk with per-commit numstat (Repository.walk) and the tree scan.
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["signals"]; print("   (walk %d ms, %d commits; tree scan %d ms)" % (s["history"]["duration_ms"], s["history"]["commits"], s["tree"]["duration_ms"]))' "$work/report.json"
}
measure "whole history (since 60.years)" 60.years "60 years ago"

# A long synthetic history on top of the real tree.
python3 - "$synthetic" > "$work/stream" <<'PY'
import sys, random, time
n = int(sys.argv[1]); random.seed(7); now = int(time.time()); start = now - 89 * 86400
contents = {f"synthetic/mod{i:03d}.swift": [f"let v{i}_{j} = {j}\n" for j in range(40)] for i in range(300)}
out = sys.stdout
for c in range(n):
    t = start + c * (89 * 86400 // n)
    msg = ("fix: " if c % 5 == 0 else "change ") + str(c)
    out.write(f"commit refs/heads/main\nauthor Dev{c % 7} <d{c % 7}@example.com> {t} +0000\n"
              f"committer Dev <d@example.com> {t} +0000\ndata {len(msg)}\n{msg}\n")
    if c == 0: out.write("from refs/heads/main^0\n")
    for path in random.sample(sorted(contents), random.randint(1, 4)):
        lines = contents[path]
        for _ in range(random.randint(1, 6)):
            lines.insert(random.randrange(len(lines) + 1), f"// edit {c}\n")
        data = "".join(lines).encode()
        out.write(f"M 100644 inline {path}\ndata {len(data)}\n"); out.flush()
        out.buffer.write(data); out.write("\n")
PY
git checkout -q -B main
git fast-import --quiet < "$work/stream"
git checkout -q -f main
echo "synthetic: $synthetic commits over 90 days, $(git ls-files | wc -l) files in the tree"
measure "90.days of $synthetic commits" 90.days "90 days ago"
