#!/usr/bin/env bash
# The pipeline soak, long form: Tidemark's PostgreSQL source → Kafka (three partitions per topic) → the
# sink with FULL and PARTIAL tables and TOASTed values, under tasks restarted, sink sessions ended,
# pauses, workers in JVMs of their own killed with SIGKILL and others joining; then a soft stop with the
# worker running a sink task killed at the final marker. Once with Connect's default partition assignor,
# once with the shipped one. Checks the FULL invariant at every read, that the soft stop ends, and the
# target against the source by content. The suite runs the short form (6 disruptions per assignor).
#   scripts/soak-pipeline.sh [disruptions per assignor (default 60)] [seed (default: random, printed)]
# With key changes of the TOASTed rows, like the suite's form (KEY_CHANGES=false leaves them out).
set -euo pipefail
cd "$(dirname "$0")/.."
DISRUPTIONS=${1:-60}
SEED_ARG=()
[[ -n "${2:-}" ]] && SEED_ARG=("-Dtidemark.soak.seed=$2")
scripts/prepare-postgres.sh
mvn -B -q verify -pl integration-tests -am -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=PipelineSoakIT -Dtidemark.soak.disruptions="$DISRUPTIONS" -Dtidemark.soak.keyChanges="${KEY_CHANGES:-true}" \
  "${SEED_ARG[@]}" || status=$?
grep -h "soak\[" integration-tests/target/failsafe-reports/io.tidemark.it.PipelineSoakIT-output.txt \
  | sed 's/^.*PipelineSoakIT: //' || true
exit "${status:-0}"
