#!/usr/bin/env bash
# Installs everything the PBX and its tests need on Debian 12 (run as root or with sudo):
# Debian packages (SIP test peers, codec libraries, prompts, browser), npm packages, native addon.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  sip-tester baresip                      # independent SIP peers for tests
  libopus-dev libspandsp-dev libgsm1-dev libspeexdsp-dev libsrtp2-dev  # codecs behind our N-API addon
  asterisk-core-sounds-en-wav asterisk-moh-opsound-wav                 # prompts and music on hold
  sox                                     # audio checks in tests
  chromium                                # the voicemail web pages' browser tests (playwright-core drives it)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}"
fi

npm ci --no-audit --no-fund
if [ -f core/media/native/binding.gyp ]; then
  npm run build:native
fi
