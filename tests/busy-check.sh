#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a make target while two busy loops keep both cores of a small machine
# occupied, to show that its tests hold on a loaded machine and not only on
# an idle one.  The loops are stopped however the target ends.
#
#   tests/busy-check.sh [TARGET [VAR=VALUE...]]     (default: check)
#
#   tests/busy-check.sh unit
#   tests/busy-check.sh integration INTEGRATION_SUITES=t35-cdio-suite.sh CDIO_SUITES=t25-rate.sh
set -u
cd "$(dirname "$0")/.."
target=${1:-check}
[ $# -gt 0 ] && shift

LOOPS=()
stop_loops() {
	for pid in "${LOOPS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	LOOPS=()
}
trap stop_loops EXIT
trap 'exit 130' INT TERM

for _ in 1 2; do
	sh -c 'while :; do :; done' &
	LOOPS+=($!)
done
echo "busy-check: make $target $* with two busy loops (${LOOPS[*]})"
make "$target" "$@"
rc=$?
echo "busy-check: make $target exited $rc"
exit $rc
