#!/usr/bin/env bash
# Makes the local PostgreSQL ready for Tidemark's tests, on a fresh machine or a used one:
#   - the cluster is running and answers on 127.0.0.1:5432,
#   - user postgres logs in over TCP with password "postgres",
#   - wal_level = logical (Debezium's PostgreSQL connector, used as a stand-in for Oracle).
# Safe to run again: it changes only what is not yet so. Needs root (or sudo) to change anything;
# without it, it only checks and says what is missing.
# Skipped when TIDEMARK_TEST_PG_URL points the tests at another server.
set -euo pipefail

log() { printf '[prepare-postgres] %s\n' "$*"; }

if [[ -n "${TIDEMARK_TEST_PG_URL:-}" ]]; then
  log "TIDEMARK_TEST_PG_URL is set ($TIDEMARK_TEST_PG_URL): leaving that server as it is"
  exit 0
fi

PGHOST=127.0.0.1
PGPORT=${TIDEMARK_PG_PORT:-5432}  # another port only to test this script on a throwaway cluster
export PGCONNECT_TIMEOUT=5

tcp_login_works() {
  PGPASSWORD=postgres psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1
}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}

# psql as the postgres OS user over the Unix socket: a superuser whatever the TCP auth is.
as_postgres_psql() {
  as_root su postgres -s /bin/bash -c "cd / && psql -X -v ON_ERROR_STOP=1 -Atq -p $PGPORT $(printf '%q ' "$@")"
}

install_postgresql() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
}

if ! command -v pg_lsclusters >/dev/null; then
  log "PostgreSQL is not installed: installing Debian's postgresql package"
  # A fresh image has no package lists yet: update them once if the install finds nothing.
  install_postgresql || { as_root apt-get update -q >/dev/null && install_postgresql; } \
    || { log "cannot install PostgreSQL here (not root, or no apt-get): run 'sudo apt-get install -y postgresql' on Debian/Ubuntu, or install PostgreSQL 15 another way, then rerun"; exit 1; }
fi

read -r VERSION CLUSTER STATUS < <(pg_lsclusters -h | awk -v port="$PGPORT" '$3 == port {print $1, $2, $4; exit}')
if [[ -z "${VERSION:-}" ]]; then
  VERSION=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$VERSION" ]] || VERSION=15
  log "no cluster on port $PGPORT: creating $VERSION main"
  as_root pg_createcluster "$VERSION" main -p "$PGPORT" >/dev/null
  CLUSTER=main
  STATUS=down
fi
log "cluster $VERSION/$CLUSTER is $STATUS"

if [[ "$STATUS" != online* ]]; then
  log "starting $VERSION/$CLUSTER"
  as_root pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" start 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- \
    || { log "cannot start PostgreSQL (no root?)"; exit 1; }
fi

for _ in $(seq 1 60); do
  pg_isready -q -h "$PGHOST" -p "$PGPORT" && break
  sleep 0.5
done

restart_needed=no
if as_postgres_psql -c 'select 1' >/dev/null 2>&1; then
  as_postgres_psql -c "ALTER ROLE postgres PASSWORD 'postgres'" >/dev/null
  if [[ "$(as_postgres_psql -c 'SHOW wal_level')" != logical ]]; then
    log "setting wal_level = logical"
    as_postgres_psql -c 'ALTER SYSTEM SET wal_level = logical' >/dev/null
    restart_needed=yes
  fi
  listen=$(as_postgres_psql -c 'SHOW listen_addresses')
  if [[ "$listen" != *'*'* && "$listen" != *localhost* && "$listen" != *127.0.0.1* ]]; then
    log "listen_addresses was '$listen': adding localhost"
    as_postgres_psql -c "ALTER SYSTEM SET listen_addresses = 'localhost'" >/dev/null
    restart_needed=yes
  fi
  # The sink and the tests open a few connections per task and test; the default 100 is tight
  # when a developer runs other things against the same server.
  if (( $(as_postgres_psql -c 'SHOW max_connections') < 200 )); then
    log "raising max_connections to 200"
    as_postgres_psql -c 'ALTER SYSTEM SET max_connections = 200' >/dev/null
    restart_needed=yes
  fi
else
  log "no superuser access over the Unix socket (not root?): only checking"
fi

if [[ $restart_needed == yes ]]; then
  log "restarting $VERSION/$CLUSTER for the changed settings"
  # The new postmaster must not inherit the caller's descriptors: under `flock FILE bin/test` it
  # would hold the lock for as long as it runs.
  as_root pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" restart 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
  for _ in $(seq 1 60); do
    pg_isready -q -h "$PGHOST" -p "$PGPORT" && break
    sleep 0.5
  done
fi

if ! tcp_login_works; then
  hba=$(as_postgres_psql -c 'SHOW hba_file' 2>/dev/null || true)
  if [[ -n "$hba" ]]; then
    log "password login over TCP refused: adding an md5 rule for postgres@127.0.0.1 to $hba"
    rule='host    all             postgres        127.0.0.1/32            md5'
    as_root sed -i "1i $rule  # added by tidemark scripts/prepare-postgres.sh" "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" reload
    sleep 1
  fi
fi

if ! tcp_login_works; then
  log "FAILED: cannot log in as postgres/postgres at $PGHOST:$PGPORT"
  exit 1
fi
wal=$(PGPASSWORD=postgres psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -Atqc 'SHOW wal_level')
if [[ "$wal" != logical ]]; then
  log "FAILED: wal_level is $wal, not logical"
  exit 1
fi
log "ready: postgres/postgres@$PGHOST:$PGPORT, wal_level=$wal"
