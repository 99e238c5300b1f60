#!/bin/bash
# Run last by gvenzl/oracle-free on first start (/container-entrypoint-initdb.d runs in name order),
# after the LogMiner set-up and the SHOP schema: marks the database ready for the erp connectors.
# compose.yaml's healthcheck waits for this file, not only for the PDB to be open (gvenzl's
# healthcheck.sh), which it is before and between the scripts; Connect, and the registration of the
# connectors, would otherwise meet a database without the connector's user or the SHOP tables.
set -euo pipefail
touch /opt/oracle/oradata/tidemark-ready
