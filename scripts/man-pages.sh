#!/bin/sh
# Turns the pages swift-argument-parser's generate-manual plugin wrote into the committed man/ pages:
#   - names: the plugin writes arrakis.ask.1 with .Dt ARRAKIS.ASK and .Xr arrakis.ask; man(1) and the
#     usual git-style convention want arrakis-ask.1, so files, titles and cross-references are renamed;
#   - blank lines (paragraph breaks in `discussion`) become .Pp, which mdoc wants; .Os names arrakis;
#   - text lines that start with . or ' (from `discussion`, e.g. ".arrakis.toml") are escaped with \\&;
#   - the root page's copy of the exit-code table in DESCRIPTION (from --help) gives way to the section;
#   - the page for argument-parser's own `help` subcommand is dropped (it documents nothing of ours);
#   - the plugin's EXIT STATUS is a bare `.Ex -std` ("0 on success, >0 on error"); ours lists every code,
#     read from the binary's own help (ExitStatus.table), so it cannot drift from the code;
#   - ENVIRONMENT and FILES (man/extra/common.mdoc, every page) and EXAMPLES (man/extra/<page>.mdoc)
#     are hand-written: argument definitions cannot say them.
# Post-processing rather than `discussion` text keeps --help short and the sections real mdoc sections.
# Usage: scripts/man-pages.sh PLUGIN_OUTPUT_DIR BINARY MAN_DIR
set -eu
src=$1 bin=$2 out=$3
extra=$out/extra

exit_status=$(mktemp)
trap 'rm -f "$exit_status"' EXIT
{
  echo '.Sh "EXIT STATUS"'
  echo 'Every subcommand uses the same codes, so that scripts, hooks and cron jobs can branch on them:'
  echo '.Bl -tag -width 6n -compact'
  COLUMNS=1000 "$bin" --help | sed -n '/^EXIT STATUS/,/^$/p' | sed -n 's/^ *\([0-9][0-9]*\) *\(.*\)$/.It \1\n\2/p'
  echo '.El'
} > "$exit_status"

rm -f "$out"/*.1
for page in "$src"/*.1; do
  base=$(basename "$page" .1)
  [ "$base" = arrakis.help ] && continue
  name=$(echo "$base" | tr . -)
  upper=$(echo "$name" | tr '[:lower:]' '[:upper:]')
  awk -v dt=".Dt $upper 1" -v common="$extra/common.mdoc" -v examples="$extra/$name.mdoc" -v status="$exit_status" '
    function cat(file,   line) { while ((getline line < file) > 0) print line; close(file) }
    /^\.Dt / { print dt; next }
    /^\.Os$/ { print ".Os arrakis"; next }
    /^$/ { print ".Pp"; next }
    /^[.\047][a-z0-9~]/ { print "\\&" $0; next }
    /^EXIT STATUS$/ && !skipping { dropping = 1; next }
    dropping && /^\./ { dropping = 0 }
    dropping { next }
    /^\.Xr arrakis\.help 1/ { next }
    /^\.Xr arrakis\./ { sub(/^\.Xr arrakis\./, ".Xr arrakis-"); gsub(/\./, "-", $2) }
    /^\.Sh "EXIT STATUS"/ { skipping = 1; cat(common); cat(status)
      if ((getline probe < examples) > 0) { close(examples); cat(examples) }
      next }
    skipping && /^\.Sh / { skipping = 0 }
    skipping { next }
    { print }
  ' "$page" > "$out/$name.1"
done
