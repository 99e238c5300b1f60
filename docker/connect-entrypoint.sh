#!/bin/sh
# Starts the Connect worker of the Tidemark image: config/worker/connect-distributed.properties as
# shipped, then one line per CONNECT_* environment variable (CONNECT_BOOTSTRAP_SERVERS=kafka:9092
# becomes bootstrap.servers=kafka:9092; a later line wins), then connect-distributed.sh with it.
set -eu
properties=/tmp/connect-distributed.properties
cp /opt/tidemark/connect-distributed.properties "$properties"
echo "# from CONNECT_* environment variables:" >>"$properties"
env | grep '^CONNECT_' | while IFS='=' read -r name value; do
  key=$(printf '%s' "${name#CONNECT_}" | tr 'A-Z_' 'a-z.')
  printf '%s=%s\n' "$key" "$value" >>"$properties"
done
exec /opt/kafka/bin/connect-distributed.sh "$properties"
