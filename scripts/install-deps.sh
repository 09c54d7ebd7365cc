#!/usr/bin/env bash
# Installs the system packages licensedesk and its tests need on Debian 12
# (bookworm), as root. Idempotent: installs only what is missing, runs
# `apt-get update` at most once, and works without a tty (CI=true).
#
# The tests start their own redis-server and Dovecot on free loopback ports, so
# Debian's auto-started system services are stopped and disabled: they would
# only hold ports (6379, 143/993) and memory.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "install-deps: run as root (or with passwordless sudo)" >&2; exit 1
  fi
fi

# package:command (command empty = check the package with dpkg only)
WANTED=(
  "redis-server:redis-server"
  "dovecot-imapd:"
  "pdftk-java:pdftk"
  "qpdf:qpdf"
  "python3-pypdf:"
  "python3-reportlab:"
  "chromium:chromium"
  "libreoffice-writer-nogui:soffice"
  "util-linux:prlimit"
  # Forms on paper (DSK-9): render PDF pages and read text positions, find the
  # QR code, read boxes by OCR, split multi-page fax TIFFs.
  "poppler-utils:pdftoppm"
  "zbar-tools:zbarimg"
  "tesseract-ocr:tesseract"
  "tesseract-ocr-eng:"
  "libtiff-tools:tiffsplit"
  "imagemagick:"
)

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
for entry in "${WANTED[@]}"; do
  pkg="${entry%%:*}" cmd="${entry#*:}"
  if pkg_installed "$pkg"; then continue; fi
  if [ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1; then
    echo "install-deps: $pkg not installed by dpkg, but $cmd is on PATH ($(command -v "$cmd")); keeping it"
    continue
  fi
  missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  # Keep maintainer scripts from starting services during the install
  # (invoke-rc.d and deb-systemd-invoke honour policy-rc.d), unless the
  # machine already has a policy of its own.
  created_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  cleanup() { if [ -n "$created_policy" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi; }
  trap cleanup EXIT

  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}"

  cleanup
  trap - EXIT
else
  echo "install-deps: all system packages present"
fi

# Stop and disable the system instances (harmless when they are not running or
# not installed). Only the service managers are asked, so the servers the tests
# start themselves are never touched.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  for unit in redis-server.service dovecot.socket dovecot.service; do
    if systemctl list-unit-files --no-legend "$unit" 2>/dev/null | grep -q .; then
      $SUDO systemctl disable --now "$unit" >/dev/null 2>&1 || true
    fi
  done
else
  for svc in redis-server dovecot; do
    [ -x "/etc/init.d/$svc" ] || continue
    if $SUDO service "$svc" status >/dev/null 2>&1; then
      echo "install-deps: stopping the system $svc service"
      $SUDO service "$svc" stop >/dev/null 2>&1 || true
    fi
    if command -v update-rc.d >/dev/null 2>&1; then
      $SUDO update-rc.d "$svc" disable >/dev/null 2>&1 || true
    fi
  done
fi

echo "install-deps: done"
