#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Figure 2: rate accuracy.  Each plan (write_speed/starting → ending,
# sectors/s) is burned REPS times; rate.awk compares the achieved rate per
# 1 % of the LBA range with the plan, from the emulator's WRITE log.
#
# Two clocks:
#  - timescale=virtual: emulated time passes only when the engine or the
#    drive waits on it, so this measures the engine's pacing arithmetic,
#    free of the machine's scheduling noise.  All five plans of t25-rate.sh,
#    which a constant-speed descriptor can sustain (a CAV descriptor runs at
#    0.4× its rating at LBA 0, so the engine asks for a CLV one).
#  - timescale=$RT_SCALE on the real clock: the engine sleeps for real
#    (nanosleep), so wake-up latency shows.  Overwrite media only (DVD+RW,
#    BD-RE): their burn ends with SYNCHRONIZE CACHE, not a 30 s session
#    close, so the real-clock runs stay short.  One plan also runs at
#    timescale=1, real time.  Each WRITE's lateness against the plan (real
#    µs, from the most punctual WRITE of the burn) says what the error per
#    hundredth is made of; timer_jitter gives the machine's own.
source "$(dirname "$0")/lib.sh"

SECTORS=${BENCH_RATE_SECTORS:-32768}	# 64 MiB: 328 sectors per hundredth
RT_SCALE=${BENCH_RATE_TIMESCALE:-10}
IMG=$WORK/in.iso
mk_iso "$SECTORS" "$IMG"

VIRTUAL_PLANS=(
	"dvd+r 2720 2720 CLV flat 4x"
	"bd-r 4390 4390 CLV flat 2x"
	"dvd+r 2720 5440 CAV-style ramp 4x→8x"
	"dvd-r 5440 2720 falling ramp 8x→4x"
	"cd-r 750 1800 CAV-style ramp 10x→24x"
	"bd-r 4390 8780 CAV-style ramp 2x→4x"
)
REAL_PLANS=(
	"dvd+rw 2720 2720 CLV flat 4x"
	"bd-re 4390 4390 CLV flat 2x"
	"dvd+rw 2720 5410 CAV-style ramp 4x→8x"
	"dvd+rw 5410 2720 falling ramp 8x→4x"
	"bd-re 2195 4390 CAV-style ramp 1x→2x"
)

# measure CLOCK PLAN: burns PLAN REPS times on one mount and prints its
# table row.  A sequential disc is reloaded blank before each burn; an
# overwrite one is formatted once (its .state sidecar remembers that across
# mounts) and then overwritten.
measure() {
	local clock=$1 media start end what rep log=$WORK/emu.log
	read -r media start end what <<< "$2"
	mount_fs rate "$DISCFS" -f --poll-ms=0 \
		--emulate="$media,image=$(null_image "$media"),timescale=$clock,log=$log" "$WORK/mnt" || return 1
	local D=$WORK/mnt/drive0
	: > "$WORK/medians"; : > "$WORK/worsts"; : > "$WORK/late"
	echo 1 > "$D/force_overwrite"
	for rep in $(seq "$REPS"); do
		case $media in
		dvd+rw|bd-re) ;;
		*) echo "$media blank" > "$D/emulator/media" || return 1 ;;
		esac
		echo "$start" > "$D/write_speed/starting" && echo "$end" > "$D/write_speed/ending" || return 1
		: > "$log"
		dd if="$IMG" of="$D/burn" bs=1M status=none || { echo "$media burn failed: $(cat "$D/status")" >&2; return 1; }
		awk -v s="$start" -v e="$end" -v n="$SECTORS" -f "$TOP/tests/bench/rate.awk" "$log" |
			awk '{ print ($1 < 0 ? -$1 : $1) * 100 }' > "$WORK/errs"
		[ "$(wc -l < "$WORK/errs")" -ge 95 ] || { echo "$media: too few hundredths in the log" >&2; return 1; }
		stats < "$WORK/errs" | awk '{ print $2 }' >> "$WORK/medians"
		stats < "$WORK/errs" | awk '{ print $3 }' >> "$WORK/worsts"
		# Lateness in real µs: emulated ns over the timescale.
		[ "$clock" = virtual ] || awk -v s="$start" -v e="$end" -v n="$SECTORS" -v late=1 \
			-f "$TOP/tests/bench/rate.awk" "$log" | awk -v k="$clock" '{ print $1 / k / 1000 }' >> "$WORK/late"
	done
	unmount_fs rate
	local row
	row=$(stats < "$WORK/medians" | awk '{ printf "%.3f", $2 }')
	row+=$(stats < "$WORK/worsts" | awk '{ printf " | %.3f | %.3f | %.3f | %s", $1, $2, $3, $3 < 1 ? "yes" : "**no**" }')
	[ "$clock" = virtual ] || row+=$(percentiles 50 99 100 < "$WORK/late" | awk '{ printf " | %.0f / %.0f / %.0f", $1, $2, $3 }')
	echo "| $media $start→$end ($what) | $row |"
}

header() {
	if [ "$1" = virtual ]; then
		echo "| plan (sectors/s) | median error % | worst error % min | median | max | worst < 1 % |"
		echo "|---|---|---|---|---|---|"
	else
		echo "| plan (sectors/s) | median error % | worst error % min | median | max | worst < 1 % | WRITE lateness p50 / p99 / max, real µs, from the most punctual |"
		echo "|---|---|---|---|---|---|---|"
	fi
}

echo "### 2. Rate accuracy per 1 % of the LBA range ($((SECTORS / 512)) MiB image, $REPS repetitions)"
echo
echo "Emulated clock, timescale=virtual (the engine's pacing, free of scheduling noise):"
echo
header virtual
for p in "${VIRTUAL_PLANS[@]}"; do measure virtual "$p" || exit 1; done
echo
echo "Emulated clock running ${RT_SCALE}× real time (the engine sleeps for real; one hundredth of a DVD 4x burn is $(awk -v n="$SECTORS" -v k="$RT_SCALE" 'BEGIN { printf "%.0f", n / 100 / 2720 / k * 1000 }') ms):"
echo
header real
for p in "${REAL_PLANS[@]}"; do measure "$RT_SCALE" "$p" || exit 1; done
echo
# Real time, as a burn on a real drive runs: a hundredth of this image is
# then 10 times longer, so the same wake-up outliers weigh 10 times less.
RT1_REPS=${BENCH_RATE_REALTIME_REPS:-3}
echo "Real time (timescale=1), $RT1_REPS repetitions; one hundredth is $(awk -v n="$SECTORS" 'BEGIN { printf "%.0f", n / 100 / 2720 * 1000 }') ms:"
echo
header real
REPS=$RT1_REPS measure 1 "dvd+rw 2720 2720 CLV flat 4x" || exit 1
echo
# The machine's own wake-up lateness, sleeping as the engine does with the
# period of a DVD 4x burn's WRITEs at this timescale (16 sectors each).
period=$(awk -v k="$RT_SCALE" 'BEGIN { printf "%.0f", 16 / 2720 / k * 1e6 }')
: > "$WORK/jitter"
for rep in $(seq "$REPS"); do "$BENCH_BIN/timer_jitter" "$period" 2000 >> "$WORK/jitter" || exit 1; done
echo "The machine's own wake-up lateness (timer_jitter: nanosleep to deadlines every $period µs, 2000 per repetition), real µs, median (min–max) over $REPS repetitions:"
echo
echo "| p50 | p99 | max |"
echo "|---|---|---|"
echo "| $(for c in 1 2 3; do awk -v c=$c '{ print $c }' "$WORK/jitter" | stats | awk '{ printf "%.0f (%.0f–%.0f)", $2, $1, $3 }'; [ $c = 3 ] || printf ' | '; done) |"
echo
