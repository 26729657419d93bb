#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages this project needs, only those that are missing.
# Safe to run again; used by scripts/demo.sh, scripts/test.sh and bench/run_cross_step.sh.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ python3
  libgtest-dev libgmock-dev libbenchmark-dev libfmt-dev
  libleveldb-dev librocksdb-dev libsnappy-dev rocksdb-tools
  chromium  # the browser test of the lsmviz page (headless)
)

# Optional: clang with libFuzzer for the fuzz smoke run (skipped, not failed, without them).
OPTIONAL=(clang libclang-rt-dev)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

optional_missing=()
for p in "${OPTIONAL[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    optional_missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ] && [ ${#optional_missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
for p in "${optional_missing[@]}"; do
  $SUDO apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 ||
    echo "setup: optional package $p not available (the fuzz smoke run will be skipped)"
done
