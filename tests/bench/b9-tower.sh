#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Figure 10: a duplicator tower on one host.  One daemon with 16 emulated
# BD-R recorders on the real clock (timescale=1, image /dev/null), each
# paced flat at 4x (8780 sectors/s, the fastest constant speed the emulated
# BD-R offers) with buffer underrun protection off, for TOWER_SECONDS:
#  - separately: 16 dd's, one per drive/burn;
#  - through all/burn: one dd, one stream, every drive a member.
# Per drive, from its own last_burn/log.csv (one row per half second of the
# recorder's clock, here the real one): the rate error (achieved/planned - 1
# per row, whole rows only), the lag of the written LBA behind the plan
# (row time - LBA / 8780 s, in ms), host FIFO underruns (progress/underruns)
# and whether the burn completed; the daemon's CPU per drive: its CPU time
# from the first write to the last close, over the burn's planned seconds,
# per drive (the session close at the end costs little CPU).
source "$(dirname "$0")/lib.sh"

N=${BENCH_TOWER_DRIVES:-16}
SECONDS_PER_BURN=${BENCH_TOWER_SECONDS:-60}
SPS=8780
SECTORS=$((SPS * SECONDS_PER_BURN))
CHUNK=32	# sectors per WRITE on BD (burn_engine.c)
mk_iso "$SECTORS" "$WORK/in.iso"

# run_tower separate|all: one burn on every drive; prints the table row.
run_tower() {
	local how=$1 i args=() pids=() rc=0 t0 t1 c0 c1
	for ((i = 0; i < N; i++)); do args+=("--emulate=bd-r,image=$(null_image "t$i"),timescale=1"); done
	mount_fs tower "$DISCFS" -f --poll-ms=0 "${args[@]}" "$WORK/mnt" || return 1
	for ((i = 0; i < N; i++)); do
		D=$WORK/mnt/drive$i
		echo $SPS > "$D/write_speed/starting" && echo $SPS > "$D/write_speed/ending" &&
			echo 0 > "$D/buffer_underrun_free" || return 1
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
		awk -F, -v s=$SPS 'NR > 1 { if (have) print r; r = ($4 / $3 - 1) * 100; have = 1 }' \
			"$D/last_burn/log.csv" >> "$WORK/err"
		# A row comes after a WRITE of CHUNK sectors ending at its LBA: that
		# WRITE was due at the plan's time for its first sector.
		awk -F, -v s=$SPS -v c=$CHUNK -v start="$(cat "$D/progress/start_lba")" \
			'NR > 1 && $2 - start >= c { printf "%.3f\n", ($1 - ($2 - c - start) / s) * 1000 }' \
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

echo "### 10. A tower of $N BD-R recorders at 4x on the real clock, ${SECONDS_PER_BURN} s each, BUFE off"
echo
echo "| writers | completed | rate error % per half second, p50 / p99 / max | LBA lag ms, p50 / p99 / max | host FIFO underruns | daemon CPU per drive (of one core) | wall |"
echo "|---|---|---|---|---|---|---|"
run_tower separate || exit 1
run_tower all || exit 1
echo
