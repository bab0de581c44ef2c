#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The mounted-tree suites a second time, through the libcdio transport: the
# same emulated recorders, hosted by a vdrive-server as /dev/sr0, /dev/sr1,
# ..., and discfs run under libvdrive.so with --device=/dev/srN, so every
# command goes CDB → libcdio → CDROM_SEND_PACKET as on a real drive (see
# DISCFS_TRANSPORT in lib.sh).  Prints the sum of their counts.
#
# Needs `make vdrive` and isoinfo (genisoimage) besides what the suites need.
# CDIO_SUITES="t25-rate.sh ..." picks some of them.
set -u
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${VDRIVE_BUILD:-$TOP/build}
read -r -a SUITES <<<"${CDIO_SUITES:-t10-tree.sh t20-burn.sh t22-burn-truth.sh t25-rate.sh t41-attr-truth.sh t43-attr-cache.sh t55-read.sh t60-master.sh t71-tower-commit.sh}"

for f in libvdrive.so vdrive-server; do
	[ -e "$BUILD/$f" ] || { echo "t35-cdio-suite: $BUILD/$f is missing (make vdrive)"; exit 1; }
done

OUT=$(mktemp "${TMPDIR:-/tmp}/t35-cdio-suite.XXXXXX")
SUITE_PID=
# A suite stopped with us still runs its own cleanup (lib.sh's traps
# unmount discfs and stop its vdrive-server), so forward the signal and wait.
stop_suite() {
	if [ -n "$SUITE_PID" ]; then
		kill -TERM "$SUITE_PID" 2>/dev/null
		wait "$SUITE_PID" 2>/dev/null
		SUITE_PID=
	fi
	rm -f "$OUT"
}
trap stop_suite EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
for suite in "${SUITES[@]}"; do
	start=$SECONDS p=0 f=0
	DISCFS_TRANSPORT=cdio bash "$HERE/$suite" >"$OUT" 2>&1 &
	SUITE_PID=$!
	wait "$SUITE_PID"
	rc=$?
	SUITE_PID=
	out=$(cat "$OUT")
	# Prefixed, so that run-all.sh takes only our own summary line below.
	sed 's/^/cdio: /' <<<"$out"
	line=$(grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed$' <<<"$out" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
		f=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")
		passed=$((passed + p))
		failed=$((failed + f))
	fi
	# A suite that died without a summary, or failed with none counted, is a failure.
	if [ -z "$line" ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
		echo "cdio: $suite exited $rc"
		failed=$((failed + 1))
	fi
	echo "cdio: $suite took $((SECONDS - start)) s"
done

echo "t35-cdio-suite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
