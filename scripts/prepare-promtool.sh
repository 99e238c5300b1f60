#!/usr/bin/env bash
# Makes Prometheus' promtool available for the alert rule tests (AlertRulesTest runs
# `promtool test rules`; without it the test fails, it does not skip). Debian's `prometheus`
# package has it. Safe to run again: it installs only when promtool is missing. Needs root (or
# sudo) to install; without it, it says what to run.
set -euo pipefail

log() { printf '[prepare-promtool] %s\n' "$*"; }

if command -v promtool >/dev/null; then
  log "ready: $(promtool --version 2>&1 | head -n 1)"
  exit 0
fi

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}

install_prometheus() {
  # Only the package's files are wanted: no service is started (policy-rc.d refuses it where present).
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >/dev/null
}

log "promtool is missing: installing Debian's prometheus package"
install_prometheus || { as_root apt-get update -q >/dev/null && install_prometheus; } \
  || { log "cannot install it here (not root, or no apt-get): run 'sudo apt-get install -y prometheus', then rerun"; exit 1; }
command -v promtool >/dev/null || { log "FAILED: the prometheus package brought no promtool"; exit 1; }
log "ready: $(promtool --version 2>&1 | head -n 1)"
