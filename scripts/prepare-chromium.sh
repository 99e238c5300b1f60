#!/usr/bin/env bash
# Makes Debian's chromium and chromium-driver (the same version) available for the dashboard's
# browser tests (DashboardIT drives them headless through Selenium; without them the test fails,
# it does not skip, and nothing downloads a browser at run time). Safe to run again: it installs
# only what is missing. Needs root (or sudo) to install; without it, it says what to run.
set -euo pipefail

log() { printf '[prepare-chromium] %s\n' "$*"; }

versions() {
  local browser driver
  browser=$(chromium --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+){3}' | head -n 1)
  driver=$(chromedriver --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+){3}' | head -n 1)
  [[ -n $browser && $browser == "$driver" ]] && echo "chromium $browser, chromedriver $driver"
}

if command -v chromium >/dev/null && command -v chromedriver >/dev/null && found=$(versions); then
  log "ready: $found"
  exit 0
fi

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}

install_chromium() {
  # Both packages together, so that apt gives them the same version.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver >/dev/null
}

log "chromium or chromedriver is missing, or their versions differ: installing Debian's chromium and chromium-driver"
install_chromium || { as_root apt-get update -q >/dev/null && install_chromium; } \
  || { log "cannot install them here (not root, or no apt-get): run 'sudo apt-get install -y chromium chromium-driver', then rerun"; exit 1; }
found=$(versions) || { log "FAILED: chromium and chromedriver are not the same version after the install"; exit 1; }
log "ready: $found"
