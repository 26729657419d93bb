#!/usr/bin/env bash
# Mutation testing over tests/mutation/catalogue.json: seeds each bug into a scratch copy of
# the tree ($MUTATE_DIR, default /tmp/lsm-mutate), rebuilds only the test binaries it maps to,
# runs them and reports KILLED / SURVIVED / BUILD-FAILED / TIMEOUT. The work tree is never
# modified. See scripts/mutate.py for the options.
#
#   bash scripts/mutate.sh              # the whole catalogue; writes tests/mutation/RESULTS.md
#   bash scripts/mutate.sh --sample     # three fast mutants (step1, step2, step4): scripts/test.sh
#   bash scripts/mutate.sh ID...        # some mutants;  --list prints the ids
set -euo pipefail
exec python3 "$(dirname "$0")/mutate.py" "$@"
