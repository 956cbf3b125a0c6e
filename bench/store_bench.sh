#!/usr/bin/env bash
# Issue 10's numbers on one estate: a first ingest into a new case store, the same ingest again (every
# file skipped), then direct runs and runs from the store, alternated. Wall, user and system seconds
# of each (GNU time), and whether the two runs' findings.csv are the same bytes.
#
#   bench/store_bench.sh BIN ESTATE [WORK]     e.g. bench/store_bench.sh build-rel/flexrecon ../estates/estate-h200-d30-s1
set -euo pipefail
bin=$1 estate=$2 work=${3:-$(mktemp -d)}
mkdir -p "$work"
rm -rf "$work/case.sqlite" "$work/direct" "$work/store"
t() { /usr/bin/time -f "%e s wall, %U s user, %S s sys" "$@" 2>&1 >/dev/null | tail -1; }
echo "ingest:          $(t "$bin" ingest --store "$work/case.sqlite" --events "$estate/events" --jobs 2 --quiet)"
echo "ingest again:    $(t "$bin" ingest --store "$work/case.sqlite" --events "$estate/events" --jobs 2 --quiet)"
echo "store:           $(stat -c %s "$work/case.sqlite") bytes"
for _ in 1 2 3 4; do
  rm -rf "$work/direct" "$work/store"
  echo "direct:          $(t "$bin" reconcile --metering "$estate/metering.csv" --inventory "$estate/inventory.csv" \
    --events "$estate/events" --out "$work/direct" --jobs 2 --quiet)"
  echo "from the store:  $(t "$bin" reconcile --metering "$estate/metering.csv" --inventory "$estate/inventory.csv" \
    --store "$work/case.sqlite" --out "$work/store" --jobs 2 --quiet)"
done
cmp "$work/direct/findings.csv" "$work/store/findings.csv" && echo "findings.csv identical"
