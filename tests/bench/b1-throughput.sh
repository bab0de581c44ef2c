#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Figures 1 and 6: burn-path throughput and CPU cost at max speed.
#
# One discfs with an emulated BD-R whose clock runs 10^6 times fast (an
# instant medium) and whose image is /dev/null, and one null_sink, mounted
# side by side.  Each repetition copies the same sparse image with
# `dd bs=1M` into the sink, then into driveN/burn (a fresh blank disc each
# time), so both see the same machine state; the ratio is per repetition.
# A second sink copies each write into a ring the size of discfs's FIFO:
# the floor any design with a host buffer pays (one memcpy per byte).
#
# CPU cost is the daemon's utime+stime (from /proc/PID/stat) across each dd,
# per GB (10^9 bytes) written.
source "$(dirname "$0")/lib.sh"

SECTORS=${BENCH_THROUGHPUT_SECTORS:-2097152}	# 4 GiB
BYTES=$((SECTORS * 2048))
FIFO_MIB=32
IMG=$WORK/in.iso
mk_iso "$SECTORS" "$IMG"

mount_fs sink "$BENCH_BIN/null_sink" -f "$WORK/sink" || exit 1
mount_fs ring "$BENCH_BIN/null_sink" -f --ring-mib=$FIFO_MIB "$WORK/ring" || exit 1
mount_fs discfs "$DISCFS" -f --poll-ms=0 --fifo-mib=$FIFO_MIB \
	--emulate="bd-r,timescale=1000000,image=$(null_image bd)" "$WORK/mnt" || exit 1
D=$WORK/mnt/drive0
max_speed "$D" || exit 1

# copy NAME TARGET: "MB/s cpu_s_per_GB" for one dd of the image into TARGET,
# with NAME's daemon's CPU time across it.
copy() {
	local pid=${PIDS[$1]} c0 c1 t0 t1
	c0=$(cpu_ticks "$pid"); t0=$(now_s)
	dd if="$IMG" of="$2" bs=1M status=none || { echo "dd into $2 failed" >&2; return 1; }
	t1=$(now_s); c1=$(cpu_ticks "$pid")
	awk -v b="$BYTES" -v t0="$t0" -v t1="$t1" -v c="$((c1 - c0))" -v hz="$CLK_TCK" \
		'BEGIN { printf "%.1f %.3f\n", b / 1e6 / (t1 - t0), c / hz / (b / 1e9) }'
}

: > "$WORK/rows"
for rep in $(seq "$REPS"); do
	s=$(copy sink "$WORK/sink/sink") || exit 1
	r=$(copy ring "$WORK/ring/sink") || exit 1
	echo "bd-r blank" > "$D/emulator/media" || exit 1
	b=$(copy discfs "$D/burn") || exit 1
	case $(cat "$D/status") in
	completed*) ;;
	*) echo "burn $rep did not complete: $(cat "$D/status")" >&2; exit 1 ;;
	esac
	echo "$s $r $b" >> "$WORK/rows"
done

col() { awk -v c="$1" '{ print $c }' "$WORK/rows" | stats; }
ratio() { awk -v a="$1" -v b="$2" '{ printf "%.3f\n", $a / $b }' "$WORK/rows" | stats; }
row() { set -- $1; printf '| %s | %s | %s |' "$1" "$2" "$3"; }

echo "### 1. Burn path throughput ($((BYTES >> 20)) MiB, dd bs=1M, $REPS repetitions)"
echo
echo "| what | min | median | max |"
echo "|---|---|---|---|"
echo "| null sink, MB/s $(row "$(col 1)")"
echo "| sink + one memcpy into a ${FIFO_MIB} MiB ring, MB/s $(row "$(col 3)")"
echo "| discfs burn (bd-r, max, instant medium), MB/s $(row "$(col 5)")"
echo "| **burn / sink** (target ≥ 0.9) $(row "$(ratio 5 1)")"
echo "| burn / (sink + memcpy) $(row "$(ratio 5 3)")"
echo "| burn / BD 16x (72 MB/s) $(row "$(awk '{ printf "%.0f\n", $5 / 72 }' "$WORK/rows" | stats)")"
echo
echo "### 6. CPU cost at max speed (daemon utime+stime per GB, same runs)"
echo
echo "| daemon | min | median | max |"
echo "|---|---|---|---|"
echo "| null sink, CPU s/GB $(row "$(col 2)")"
echo "| sink + memcpy, CPU s/GB $(row "$(col 4)")"
echo "| discfs burn, CPU s/GB $(row "$(col 6)")"
echo
