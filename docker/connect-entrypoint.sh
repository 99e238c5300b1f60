#!/bin/sh
# Starts the Connect worker of the Tidemark image: config/worker/connect-distributed.properties as
# shipped plus the CONNECT_* environment variables (connect-properties.sh says how they are named),
# then connect-distributed.sh with it.
set -eu
properties=/tmp/connect-distributed.properties
/bin/sh /opt/tidemark/connect-properties.sh /opt/tidemark/connect-distributed.properties "$properties"
exec /opt/kafka/bin/connect-distributed.sh "$properties"
