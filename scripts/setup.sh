#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages this project needs, only those that are missing.
# Safe to run again; used by scripts/demo.sh, scripts/test.sh and bench/run_cross_step.sh.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ python3
  libgtest-dev libgmock-dev libbenchmark-dev libfmt-dev
  libleveldb-dev librocksdb-dev libsnappy-dev rocksdb-tools
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
