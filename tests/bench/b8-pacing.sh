#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Figure 9: pacing on the real clock, idle and under load.  N recorders
# (1, 16) in one daemon, each a blank BD-R at timescale=1 (real time, image
# /dev/null) burning a flat 2x plan (4390 sectors/s, ${PACE_SECTORS}
# sectors, about 7.5 s); once with the machine idle, once with two busy
# loops keeping both cores occupied.  Each WRITE's lag behind the plan's
# time for its first LBA, in ms on the real clock, from the emulator's log
# (rate.awk late=1: measured from the most punctual WRITE of each burn, as
# the log does not know when the plan started); p50, p99, max over every
# WRITE of every drive.
source "$(dirname "$0")/lib.sh"

PACE_SECTORS=${BENCH_PACE_SECTORS:-32768}
PACE_SPS=4390
DRIVE_COUNTS=${BENCH_PACE_DRIVES:-1 16}
mk_iso "$PACE_SECTORS" "$WORK/in.iso"

BUSY=()
stop_busy() {
	local pid
	for pid in "${BUSY[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
	BUSY=()
}
trap 'stop_busy; bench_cleanup' EXIT

# lags N LOAD: one burn on each of N recorders at once; prints every WRITE's
# lag in ms, one per line.
lags() {
	local n=$1 load=$2 i args=() pids=() rc=0
	for ((i = 0; i < n; i++)); do
		args+=("--emulate=bd-r,image=$(null_image "p$i"),timescale=1,log=$WORK/p$i.log")
		: > "$WORK/p$i.log"
	done
	mount_fs pace "$DISCFS" -f --poll-ms=0 "${args[@]}" "$WORK/mnt" || return 1
	for ((i = 0; i < n; i++)); do
		echo $PACE_SPS > "$WORK/mnt/drive$i/write_speed/starting" &&
			echo $PACE_SPS > "$WORK/mnt/drive$i/write_speed/ending" || return 1
	done
	if [ "$load" = busy ]; then
		for _ in 1 2; do sh -c 'while :; do :; done' & BUSY+=($!); done
	fi
	for ((i = 0; i < n; i++)); do
		dd if="$WORK/in.iso" of="$WORK/mnt/drive$i/burn" bs=1M status=none &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || rc=1; done
	stop_busy
	unmount_fs pace
	[ $rc = 0 ] || { echo "a burn failed" >&2; return 1; }
	for ((i = 0; i < n; i++)); do
		awk -v s=$PACE_SPS -v e=$PACE_SPS -v n="$PACE_SECTORS" -v late=1 -f "$TOP/tests/bench/rate.awk" \
			"$WORK/p$i.log" | awk '{ printf "%.3f\n", $1 / 1e6 }'
	done
}

echo "### 9. Pacing on the real clock: each WRITE's lag behind the plan, ms (BD-R 2x flat, timescale=1)"
echo
echo "| recorders | host | WRITEs | p50 | p99 | max |"
echo "|---|---|---|---|---|---|"
for n in $DRIVE_COUNTS; do
	for load in idle busy; do
		lags "$n" "$load" > "$WORK/lag" || exit 1
		echo "| $n | $load$([ "$load" = busy ] && echo ", both cores") | $(wc -l < "$WORK/lag") |" \
			"$(percentiles 50 99 100 < "$WORK/lag" | awk '{ printf "%.2f | %.2f | %.2f", $1, $2, $3 }') |"
	done
done
echo
