#!/bin/sh
# Run by the compose file's "connectors" service: once Connect's REST API answers, PUTs every
# connector file it is given (config/connectors/erp/*.json) to /connectors/<file name>/config,
# as a GitOps pipeline would. PUT is idempotent: running it again changes nothing.
set -eu
connect="$1"
echo "waiting for Connect at $connect"
tries=0
until curl -fsS "$connect/connector-plugins" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -gt 120 ]; then
    echo "Connect did not answer at $connect within 10 minutes: docker compose logs connect" >&2
    exit 1
  fi
  sleep 5
done
for file in /connectors/*.json; do
  name=$(basename "$file" .json)
  echo "PUT /connectors/$name/config"
  curl -fsS -X PUT -H 'Content-Type: application/json' --data @"$file" "$connect/connectors/$name/config" >/dev/null
done
curl -fsS "$connect/connectors?expand=status"
echo
