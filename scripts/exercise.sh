#!/usr/bin/env bash
# Exercise mode: rebuild a step's key functions yourself; the step's own tests say how far you are.
#
#   scripts/exercise.sh list [stepN]               the steps, or one step's tasks
#   scripts/exercise.sh start stepN [DIR]          a work tree (default ~/lsm-exercises/stepN,
#                                                  outside the checkout; an existing DIR must be
#                                                  empty) with the tasks stubbed out
#   scripts/exercise.sh next [DIR]                 every task passes: on to the next step, in
#                                                  place (your code and the build are kept)
#   scripts/exercise.sh check [stepN] [DIR] [--tasks-only|--all] [--tsan]
#                                                  build + run the tasks' tests: "3 of 5 tasks
#                                                  pass", then the step's whole suite; --tsan:
#                                                  the concurrency tests under ThreadSanitizer
#   scripts/exercise.sh solution stepN TASK        print the reference code of one task
#   scripts/exercise.sh solve stepN TASK|all [DIR] put the reference code back in the work tree
#   scripts/exercise.sh lint [--build DIR] [stepN...]  every filter selects a built test
#   scripts/exercise.sh help [COMMAND]             the commands (also COMMAND --help, -h)
#
# The tasks are regions of the real code between marker comments (comment lines only):
#
#   // exercise stepN.TASK: what to write, in one line (may go on over plain comment lines)
#   //   tests: GTEST_FILTER        the tests that judge it (several tests: lines add up)
#   //   read: FILE.md § SECTION    optional; default: the step's chapter § Walk the code
#   //   stub: C++ LINE             one or more lines that replace the region in a work tree
#   ...the reference code...
#   // end exercise
#
# Exit status: 0 ok (check: every task passes); 1 check fails or the build fails, lint finds a
# problem, or start finds DIR is a tree or not empty (nothing is overwritten: the learner's work
# is kept); 2 bad input (unknown step or task: the valid ones are listed; check outside an
# exercise tree: says how to start one). The details: scripts/exercise.py's header.
exec python3 "$(dirname "$0")/exercise.py" "$@"
