#!/usr/bin/env bash
# The sink's soak test, long form: random disruptions (task and connector restarts, workers leaving
# and joining, pauses, PostgreSQL ending the sink's sessions, one PostgreSQL restart) under a steady
# workload, then a check that the target equals the source, no row version was applied twice and the
# stored offsets equal the topic ends. The suite runs the short form (50 disruptions).
#   scripts/soak.sh [disruptions (default 500)] [seed (default: random, printed)]
# Restarting PostgreSQL needs root (pg_ctlcluster) or TIDEMARK_TEST_PG_RESTART; without either the run
# says so and ends sessions instead.
set -euo pipefail
cd "$(dirname "$0")/.."
DISRUPTIONS=${1:-500}
SEED_ARG=()
[[ -n "${2:-}" ]] && SEED_ARG=("-Dtidemark.chaos.seed=$2")
scripts/prepare-postgres.sh
mvn -B -q verify -pl integration-tests -am -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=SinkChaosIT -Dtidemark.chaos.disruptions="$DISRUPTIONS" "${SEED_ARG[@]}" || status=$?
grep -h "chaos: " integration-tests/target/failsafe-reports/io.tidemark.it.SinkChaosIT-output.txt | sed 's/^.*SinkChaosIT: //' || true
exit "${status:-0}"
