#!/usr/bin/env bash
# Installs the Debian packages Flick needs on a dev machine or CI runner, when missing:
#   redis-server, ffmpeg (ffmpeg + ffprobe)            always
#   chromium, chromium-driver                          with --browser (browser end-to-end tests)
#   wrk                                                with --bench (HTTP load in bench/)
#   nodejs, npm                                        with --node (Kubernetes manifest validation)
# Quiet when everything is present; runs 'apt-get update' only when something must be installed.
# Uses sudo when not root.
set -euo pipefail

usage() {
  echo "usage: $0 [--browser] [--bench] [--node]" >&2
  echo "  installs redis-server and ffmpeg (and with --browser chromium + chromium-driver) via apt" >&2
}

packages=(redis-server ffmpeg)
for arg in "$@"; do
  case "$arg" in
    --browser) packages+=(chromium chromium-driver) ;;
    --bench) packages+=(wrk) ;;
    --node) packages+=(nodejs npm) ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install-deps: unknown option '$arg'" >&2; usage; exit 2 ;;
  esac
done

installed() {
  command -v dpkg-query >/dev/null 2>&1 &&
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}

# the commands Flick runs from each package (found on the PATH counts as present, e.g. off Debian)
commands_of() {
  case "$1" in
    ffmpeg) echo "ffmpeg ffprobe" ;;
    chromium-driver) echo "chromedriver" ;;
    nodejs) echo "node" ;;
    *) echo "$1" ;;
  esac
}

present() {
  installed "$1" && return 0
  local c
  for c in $(commands_of "$1"); do
    command -v "$c" >/dev/null 2>&1 || return 1
  done
}

missing=()
for p in "${packages[@]}"; do
  present "$p" || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: apt-get is not available on this machine, so these packages cannot be installed" >&2
  echo "install-deps: missing: ${missing[*]}" >&2
  echo "install-deps: install them with your system's package manager (Debian/Ubuntu names), or point Flick" >&2
  echo "install-deps: at them: FLICK_REDIS_SERVER / FLICK_REDIS_ADDRESS, FLICK_FFMPEG and FLICK_FFPROBE" >&2
  exit 1
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: not root and sudo is not installed; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  sudo_cmd=(sudo)
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

still=()
for p in "${missing[@]}"; do
  present "$p" || still+=("$p")
done
if [ "${#still[@]}" -ne 0 ]; then
  echo "install-deps: apt-get finished but these are still not installed: ${still[*]}" >&2
  exit 1
fi
echo "install-deps: done" >&2
