#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Figure 10: a duplicator tower on one host.  One daemon with 16 emulated
# BD-R recorders on the real clock (timescale=1, image /dev/null), each
# burning at 12x, the top speed of a 12x drive on BD-R, for TOWER_SECONDS:
#  - separately: 16 dd's, one per drive/burn;
#  - through all/burn: one dd, one stream, every drive a member.
# 12x is CAV: the rate grows with the radius and reaches 12x only at the
# disc's outer edge (0.4 of it at LBA 0).  So that the drives really run at
# about 12x, each disc already holds a closed first session (an emulator
# .state sidecar beside the /dev/null image) that ends where TOWER_SECONDS
# at 12x CAV reach the last sector, and the image is appended there with
# raw=1 (its ISO 9660 addresses are for LBA 0).  The plan follows the CAV
# curve: write_speed/starting and ending are the 12x CAV rates at the
# burn's first and last sector, and the rate, linear in the LBA on both
# sides, is the drive's own 12x; the engine asks for the 12x descriptor.
# Buffer underrun protection is set off (BD has no such setting in mode
# page 05h; the engine paces on the host either way).
# Per drive, from its own last_burn/log.csv (one row per half second of the
# recorder's clock, here the real one): the rate error (achieved/planned - 1
# per row, whole rows only, against the row's planned rate on the CAV
# curve), the lag of the written LBA behind the plan (row time minus the
# plan's time for the LBA, the integral of 1/rate, in ms), host FIFO
# underruns (progress/underruns) and whether the burn completed; the
# daemon's CPU per drive: its CPU time from the first write to the last
# close, over the burn's planned seconds, per drive (the session close at
# the end costs little CPU).
source "$(dirname "$0")/lib.sh"

N=${BENCH_TOWER_DRIVES:-16}
SECONDS_PER_BURN=${BENCH_TOWER_SECONDS:-60}
CAPACITY=12219392	# the emulated BD-R's sectors (emu_media.c)
SPS_12X=26341		# 12x BD: 53946 kB/s over 2.048 kB per sector
CHUNK=32		# sectors per WRITE on BD (burn_engine.c)
# cav_sps LBA: the 12x CAV rate there, as the emulated drive writes it.
cav_sps() { awk -v x="$1" -v c=$CAPACITY -v r=$SPS_12X 'BEGIN { printf "%.0f", r * (0.4 + 0.6 * x / (c - 1)) }'; }
# The burn's first sector: walking in from the edge, where SECONDS_PER_BURN
# of 12x CAV begin; a multiple of CHUNK.
START=$(awk -v c=$CAPACITY -v r=$SPS_12X -v s="$SECONDS_PER_BURN" -v k=$CHUNK 'BEGIN {
	x = c; t = 0
	while (t < s) { x -= k; t += k / (r * (0.4 + 0.6 * x / (c - 1))) }
	printf "%d", x - 2 * k }')
SECTORS=$(( (CAPACITY - START - 2 * CHUNK) / CHUNK * CHUNK ))
SPS_START=$(cav_sps "$START")
SPS_END=$(cav_sps $((START + SECTORS - 1)))
mk_iso "$SECTORS" "$WORK/in.iso"

# appendable_bd_r NAME: a /dev/null image whose disc holds one closed
# session ending at START, so the next one is written from there.
appendable_bd_r() {
	local img
	img=$(null_image "$1")
	printf 'media=bd-r\nprofile=0x0041\nformatted=0\ncapacity=%d\nnext_start=%d\nsessions_closed=1\nfinalized=0\nwriting=0\ntrack=0 %d 1 closed\n' \
		$CAPACITY "$START" "$START" > "$img.state"
	echo "$img"
}

# run_tower separate|all: one burn on every drive; prints the table row.
run_tower() {
	local how=$1 i args=() pids=() rc=0 t0 t1 c0 c1
	for ((i = 0; i < N; i++)); do args+=("--emulate=bd-r,image=$(appendable_bd_r "t$i"),timescale=1"); done
	mount_fs tower "$DISCFS" -f --poll-ms=0 "${args[@]}" "$WORK/mnt" || return 1
	for ((i = 0; i < N; i++)); do
		D=$WORK/mnt/drive$i
		echo "$SPS_START" > "$D/write_speed/starting" && echo "$SPS_END" > "$D/write_speed/ending" &&
			echo 0 > "$D/buffer_underrun_free" && echo 1 > "$D/raw" || return 1
	done
	c0=$(cpu_ticks "$PID_tower"); t0=$(now_s)
	if [ "$how" = all ]; then
		dd if="$WORK/in.iso" of="$WORK/mnt/all/burn" bs=1M status=none || rc=1
	else
		for ((i = 0; i < N; i++)); do
			dd if="$WORK/in.iso" of="$WORK/mnt/drive$i/burn" bs=1M status=none &
			pids+=($!)
		done
		for i in "${pids[@]}"; do wait "$i" || rc=1; done
	fi
	c1=$(cpu_ticks "$PID_tower"); t1=$(now_s)
	: > "$WORK/err"; : > "$WORK/lag"; : > "$WORK/under"
	local done_count=0
	for ((i = 0; i < N; i++)); do
		D=$WORK/mnt/drive$i
		grep -q '^completed' "$D/status" && done_count=$((done_count + 1))
		cat "$D/progress/underruns" >> "$WORK/under"
		# Whole half-second rows only: the last one is the remainder.
		awk -F, 'NR > 1 { if (have) print r; r = ($4 / $3 - 1) * 100; have = 1 }' \
			"$D/last_burn/log.csv" >> "$WORK/err"
		# A row comes after a WRITE of CHUNK sectors ending at its LBA: that
		# WRITE was due at the plan's time for its first sector, the
		# integral of 1/rate with the rate linear in the LBA.
		awk -F, -v a=$SPS_START -v b=$SPS_END -v n=$SECTORS -v c=$CHUNK -v start="$(cat "$D/progress/start_lba")" \
			'NR > 1 && $2 - start >= c { x = $2 - c - start; r = a + (b - a) * x / n
				printf "%.3f\n", ($1 - n / (b - a) * log(r / a)) * 1000 }' \
			"$D/last_burn/log.csv" >> "$WORK/lag"
	done
	unmount_fs tower
	[ $rc = 0 ] || echo "(a writer failed)" >&2
	local err lag
	err=$(awk '{ print ($1 < 0 ? -$1 : $1) }' "$WORK/err" | percentiles 50 99 100)
	lag=$(percentiles 50 99 100 < "$WORK/lag")
	echo "| $how | $done_count/$N |" \
		"$(echo "$err" | awk '{ printf "%.3f / %.3f / %.3f", $1, $2, $3 }') |" \
		"$(echo "$lag" | awk '{ printf "%.1f / %.1f / %.1f", $1, $2, $3 }') |" \
		"$(awk '{ s += $1 } END { print s + 0 }' "$WORK/under") |" \
		"$(awk -v c=$((c1 - c0)) -v k="$CLK_TCK" -v w="$SECONDS_PER_BURN" -v t0="$t0" -v t1="$t1" -v n="$N" \
			'BEGIN { printf "%.2f %% | %.0f s", c / k / w / n * 100, t1 - t0 }') |"
}

echo "### 10. A tower of $N BD-R recorders at 12x CAV on the real clock, ${SECONDS_PER_BURN} s each, BUFE off"
echo
echo "Each burn: LBA $START to $((START + SECTORS - 1)) ($SECTORS sectors), planned $SPS_START to $SPS_END sectors/s" \
	"($(awk -v a="$SPS_START" -v b="$SPS_END" -v r=$SPS_12X 'BEGIN { printf "%.2fx to %.2fx", 12 * a / r, 12 * b / r }'))."
echo
echo "| writers | completed | rate error % per half second, p50 / p99 / max | LBA lag ms, p50 / p99 / max | host FIFO underruns | daemon CPU per drive (of one core) | wall |"
echo "|---|---|---|---|---|---|---|"
run_tower separate || exit 1
run_tower all || exit 1
echo
