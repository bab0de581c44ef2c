#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Figure 7: reading the disc back through driveN/disc.
#
#  - Against the raw emulator: a DVD+RW holding a 1 GiB volume (a sparse
#    image on tmpfs) on a virtual clock, so the medium costs no time; per
#    repetition `dd bs=1M` of driveN/disc to /dev/null, then emu_read, the
#    emulator alone sending the same READ(10)s; the ratio is per repetition.
#    CPU cost is the daemon's utime+stime per GB read (emu_read's own for
#    the yardstick).
#  - Against the modelled read speed: the same disc on a clock running
#    RT_SCALE× real time; the speed dd sees, on the drive's clock, over the
#    speed the drive models for that LBA range (16x CAV: 0.4 of 22160 kB/s
#    at LBA 0, rising linearly to all of it at the last LBA).
source "$(dirname "$0")/lib.sh"

SECTORS=${BENCH_READ_SECTORS:-524288}			# 1 GiB
MODEL_SECTORS=${BENCH_READ_MODEL_SECTORS:-131072}	# 256 MiB
RT_SCALE=${BENCH_READ_TIMESCALE:-20}
CAPACITY=2295104	# the emulated DVD+RW
READ_KBPS=22160		# its read speed at the last LBA: DVD 16x
BYTES=$((SECTORS * 2048))
IMG=$WORK/disc.img
mk_iso "$SECTORS" "$IMG"
# A logical block size of 2048 in the PVD: the volume size is trusted only then.
printf '\000\010' | dd of="$IMG" bs=1 seek=$((16 * 2048 + 128)) conv=notrunc status=none

mount_fs instant "$DISCFS" -f --poll-ms=0 --emulate="dvd+rw,image=$IMG,timescale=virtual" "$WORK/instant" || exit 1
D=$WORK/instant/drive0
[ "$(stat -c %s "$D/disc")" = "$BYTES" ] || { echo "disc is $(stat -c %s "$D/disc") bytes, not $BYTES" >&2; exit 1; }

# read_disc DIR MIB: "MB/s cpu_s_per_GB seconds" for one dd of MIB MiB of DIR/disc.
read_disc() {
	local pid=${PIDS[$1]} c0 c1 t0 t1
	c0=$(cpu_ticks "$pid"); t0=$(now_s)
	dd if="$2/disc" of=/dev/null bs=1M count="$3" status=none || { echo "dd of $2/disc failed" >&2; return 1; }
	t1=$(now_s); c1=$(cpu_ticks "$pid")
	awk -v b="$(($3 << 20))" -v t0="$t0" -v t1="$t1" -v c="$((c1 - c0))" -v hz="$CLK_TCK" \
		'BEGIN { printf "%.1f %.3f %.6f\n", b / 1e6 / (t1 - t0), c / hz / (b / 1e9), t1 - t0 }'
}

: > "$WORK/rows"
for rep in $(seq "$REPS"); do
	d=$(read_disc instant "$D" $((BYTES >> 20))) || exit 1
	r=$("$BENCH_BIN/emu_read" "$IMG" "$SECTORS") || exit 1
	echo "$d $r" >> "$WORK/rows"
done
unmount_fs instant

mount_fs model "$DISCFS" -f --poll-ms=0 --emulate="dvd+rw,image=$IMG,timescale=$RT_SCALE" "$WORK/model" || exit 1
# The model's time for LBAs 0..N-1: the integral of 1/rate over a linear rate.
model_s=$(awk -v n="$MODEL_SECTORS" -v cap="$CAPACITY" -v kbps="$READ_KBPS" 'BEGIN {
	smax = kbps * 1000 / 2048; k = 0.6 * smax / (cap - 1)
	printf "%.6f\n", log((0.4 * smax + k * n) / (0.4 * smax)) / k }')
: > "$WORK/model_rows"
for rep in $(seq "$REPS"); do
	m=$(read_disc model "$WORK/model/drive0" $((MODEL_SECTORS >> 9))) || exit 1
	set -- $m
	awk -v s="$3" -v scale="$RT_SCALE" -v model="$model_s" -v b="$((MODEL_SECTORS * 2048))" \
		'BEGIN { printf "%.1f %.1f %.3f\n", b / 1e6 / (s * scale), b / 1e6 / model, model / (s * scale) }' \
		>> "$WORK/model_rows"
done

col() { awk -v c="$2" '{ print $c }' "$1" | stats; }
row() { set -- $1; printf '| %s | %s | %s |' "$1" "$2" "$3"; }
head_row() { printf '| what | min | median | max |\n|---|---|---|---|\n'; }

echo "### 7. Reading the disc ($((BYTES >> 20)) MiB DVD+RW volume, dd bs=1M, $REPS repetitions)"
echo
head_row
echo "| raw emulator (emu_read, READ(10) × 32 sectors), MB/s $(row "$(col "$WORK/rows" 4)")"
echo "| discfs disc, instant medium, MB/s $(row "$(col "$WORK/rows" 1)")"
echo "| **disc / raw emulator** $(row "$(awk '{ printf "%.3f\n", $1 / $4 }' "$WORK/rows" | stats)")"
echo "| raw emulator, CPU s/GB $(row "$(col "$WORK/rows" 5)")"
echo "| discfs daemon, CPU s/GB $(row "$(col "$WORK/rows" 2)")"
echo
echo "Against the modelled drive ($((MODEL_SECTORS >> 9)) MiB from LBA 0, DVD 16x CAV, clock ${RT_SCALE}× real time; MB/s on the drive's clock):"
echo
head_row
echo "| modelled read speed, MB/s $(row "$(col "$WORK/model_rows" 2)")"
echo "| discfs disc, MB/s $(row "$(col "$WORK/model_rows" 1)")"
echo "| **disc / model** $(row "$(col "$WORK/model_rows" 3)")"
echo
