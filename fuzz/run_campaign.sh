#!/usr/bin/env bash
# Runs one libFuzzer campaign (fuzz/README.md):
#   fuzz/run_campaign.sh BUILD_DIR HARNESS [SECONDS [LIBFUZZER_FLAG...]]
# Findings go to BUILD_DIR/campaign/HARNESS/ (crash-*, timeout-*, oom-*), the log beside them. Known
# defects do not end the run early (-fork=1 -ignore_*): every finding of the time budget is kept.
set -euo pipefail
build=$1
harness=$2
seconds=${3:-600}
shift $(($# < 3 ? $# : 3))
corpus="$build/fuzz/corpus/$harness"
out="$build/campaign/$harness"
mkdir -p "$out" "$corpus/work"
cd "$out"
nice -n 10 "$build/fuzz/fuzz_$harness" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -artifact_prefix="$out/" "$@" \
  "$corpus/work" "$corpus/seeds" 2>&1 | tee "$out/campaign.log" | grep -E "^#[0-9]+.*(DONE|INITED)|ERROR|crash|timeout|oom" || true
