#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Figure 5: many drives.  One daemon with N emulated recorders (N = 1, 2,
# 4, 8), all burning at once:
#  - throughput: each a blank BD-R at max speed, instant medium (image
#    /dev/null), one `dd bs=1M` of a 1 GiB sparse image per drive, started
#    together; aggregate MB/s is all the bytes over the time until the last
#    dd finished.
#  - rate accuracy: each a DVD+RW on a clock running ${RT_SCALE}× real time,
#    paced 4x → 8x (2720 → 5410 sectors/s), a real-clock plan of figure 2;
#    the worst error per 1 % of the LBA range of each drive.
source "$(dirname "$0")/lib.sh"

SECTORS=524288		# 1 GiB per drive at max speed
RATE_SECTORS=32768	# 64 MiB per drive paced
# 2× real time: a hundredth of each paced burn lasts about 40 ms, long
# enough that one wake-up outlier of the machine (1-3 ms) does not decide
# the figure, short enough for the whole run to take about a minute.
RT_SCALE=${BENCH_DRIVES_TIMESCALE:-2}
DRIVE_COUNTS=${BENCH_DRIVES:-1 2 4 8}
mk_iso "$SECTORS" "$WORK/in.iso"
mk_iso "$RATE_SECTORS" "$WORK/rate.iso"

# mount_n N SPEC_TEMPLATE: one daemon with N recorders; @ in the template
# becomes the drive's index.
mount_n() {
	local n=$1 i args=()
	for ((i = 0; i < n; i++)); do args+=("--emulate=${2//@/$i}"); done
	mount_fs many "$DISCFS" -f --poll-ms=0 "${args[@]}" "$WORK/mnt"
}

# burn_all N IMAGE: burns IMAGE on drives 0..N-1 at once; prints the
# seconds from start to the last one's end.
burn_all() {
	local n=$1 i t0 t1 rc=0 pids=()
	t0=$(now_s)
	for ((i = 0; i < n; i++)); do
		dd if="$2" of="$WORK/mnt/drive$i/burn" bs=1M status=none &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || rc=1; done
	t1=$(now_s)
	[ $rc = 0 ] || { echo "a burn failed" >&2; return 1; }
	awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}

echo "### 5. Many drives in one daemon, burning at once ($REPS repetitions; paced burns at ${RT_SCALE}× real time)"
echo
echo "| drives | aggregate MB/s at max, min | median | max | per drive, median | worst error % per 1 %, median drive | worst drive | WRITE lateness p99 / max, real µs |"
echo "|---|---|---|---|---|---|---|---|"
for n in $DRIVE_COUNTS; do
	rm -f "$WORK"/d*.img*
	for ((i = 0; i < n; i++)); do null_image "d$i" > /dev/null; done
	mount_n "$n" "bd-r,timescale=1000000,image=$WORK/d@.img" || exit 1
	for ((i = 0; i < n; i++)); do max_speed "$WORK/mnt/drive$i" || exit 1; done
	: > "$WORK/agg"
	for rep in $(seq "$REPS"); do
		for ((i = 0; i < n; i++)); do echo "bd-r blank" > "$WORK/mnt/drive$i/emulator/media" || exit 1; done
		s=$(burn_all "$n" "$WORK/in.iso") || exit 1
		awk -v n="$n" -v b=$((SECTORS * 2048)) -v s="$s" 'BEGIN { printf "%.1f\n", n * b / 1e6 / s }' >> "$WORK/agg"
	done
	unmount_fs many

	for ((i = 0; i < n; i++)); do null_image "r$i" > /dev/null; done
	mount_n "$n" "dvd+rw,timescale=$RT_SCALE,image=$WORK/r@.img,log=$WORK/r@.log" || exit 1
	for ((i = 0; i < n; i++)); do
		D=$WORK/mnt/drive$i
		echo 1 > "$D/force_overwrite" && echo 2720 > "$D/write_speed/starting" && echo 5410 > "$D/write_speed/ending" || exit 1
	done
	# The first burn formats each DVD+RW (20 s of emulated time); after it
	# the discs are overwritten in place.
	burn_all "$n" "$WORK/rate.iso" > /dev/null || exit 1
	: > "$WORK/worst"; : > "$WORK/late"
	for rep in $(seq "$REPS"); do
		for ((i = 0; i < n; i++)); do : > "$WORK/r$i.log"; done
		burn_all "$n" "$WORK/rate.iso" > /dev/null || exit 1
		for ((i = 0; i < n; i++)); do
			awk -v s=2720 -v e=5410 -v n="$RATE_SECTORS" -f "$TOP/tests/bench/rate.awk" "$WORK/r$i.log" |
				awk '{ print ($1 < 0 ? -$1 : $1) * 100 }' | stats | awk '{ print $3 }' >> "$WORK/worst"
			awk -v s=2720 -v e=5410 -v n="$RATE_SECTORS" -v late=1 -f "$TOP/tests/bench/rate.awk" "$WORK/r$i.log" |
				awk -v k="$RT_SCALE" '{ print $1 / k / 1000 }' >> "$WORK/late"
		done
	done
	unmount_fs many
	agg=$(stats < "$WORK/agg")
	echo "| $n | $(echo "$agg" | awk -v n="$n" '{ printf "%.0f | %.0f | %.0f | %.0f", $1, $2, $3, $2 / n }') |" \
		"$(stats < "$WORK/worst" | awk '{ printf "%.3f | %.3f", $2, $3 }') |" \
		"$(percentiles 99 100 < "$WORK/late" | awk '{ printf "%.0f / %.0f", $1, $2 }') |"
done
echo
