#!/bin/sh
# The link graph of ARCHITECTURE.md, checked on the sources: a stage folder may include the headers
# of the folders below it in the graph and no others, and src/util includes no model header (only
# flexrecon/time.h and flexrecon/error.h, which util implements). CMake links each stage only to what
# this allows, so a new cross-stage include would otherwise first show up as a link error elsewhere.
# Usage: check_link_graph.sh [source dir]   (exit 1 and one line per offending include)
set -eu
root=${1:-$(dirname "$0")/..}
cd "$root/src"

allowed() {
  case "$1" in
    util) echo "util" ;;
    model) echo "model util" ;;
    evtx) echo "evtx model util" ;;
    ingest) echo "ingest evtx model util" ;;
    store) echo "store ingest evtx model util" ;;
    tables | sessions | challenges | pack) echo "$1 model util" ;;
    cli) echo "cli pack challenges sessions tables store ingest evtx model util" ;;
    *) echo "" ;;
  esac
}

status=0
for dir in */; do
  dir=${dir%/}
  ok=$(allowed "$dir")
  if [ -z "$ok" ]; then
    echo "src/$dir: folder not in the link graph (add it to .ci/check_link_graph.sh and ARCHITECTURE.md)"
    status=1
    continue
  fi
  # Every `#include "folder/..."` naming another src/ folder.
  for file in "$dir"/*; do
    grep -o '^#include "[a-z_]*/[^"]*"' "$file" | sed 's/^#include "//; s/"$//' | while read -r inc; do
      folder=${inc%%/*}
      if [ "$folder" = flexrecon ]; then
        if [ "$dir" = util ] && [ "$inc" != flexrecon/time.h ] && [ "$inc" != flexrecon/error.h ]; then
          echo "src/$file: util includes the model header $inc"
          exit 1
        fi
        continue
      fi
      case " $ok " in
        *" $folder "*) ;;
        *) echo "src/$file: includes $inc, but $dir may use only: $ok"; exit 1 ;;
      esac
    done || status=1
  done
done
[ $status -eq 0 ] && echo "link graph ok"
exit $status
