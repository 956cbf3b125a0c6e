#!/usr/bin/env bash
# The command of each pod of the Kubernetes Indexed Job (ingest-job.yaml): completion index K
# ingests share K (CASE/shares/share-K.txt) into CASE/stores/shard-K.sqlite on the shared volume.
# Arguments go to `flexrecon ingest` (the Job passes --jobs to match its CPU request).
#
# The pod runs in the case folder (workingDir), as the split Job did: the share lists hold the paths
# as given there, and they are the file names in the evidence. A pod that failed and is started
# again by the Job reads its share again (the Job writes the store on the pod's own disk first,
# FLEXRECON_SCRATCH, and the case volume's copy only when the share is done).
set -euo pipefail

: "${JOB_COMPLETION_INDEX:?not a pod of an Indexed Job (completionMode: Indexed sets JOB_COMPLETION_INDEX)}"
case_dir=${FLEXRECON_CASE:-/case}
deploy=$(cd "$(dirname "$0")/.." && pwd)

exec "$deploy/ingest-share" "$case_dir/shares" "$JOB_COMPLETION_INDEX" "$case_dir/stores" --quiet "$@"
