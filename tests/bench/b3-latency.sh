#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Figure 3: attribute latency.  `cat driveN/free_sectors` is timed as cat
# pays it, open + read + close, by attr_lat (clock_gettime around each, in
# one process: spawning cat would add ~1 ms of fork and exec to every
# sample and hide the figure).  Against the same loop on a sysfs file, and
# on FUSE's floor: const_file, a minimal libfuse filesystem serving one
# constant file with libfuse's defaults (no FUSE file can cost less), and
# the same opened with direct_io as discfs opens its values (the floor for
# a file whose every read goes to the daemon: a cat's second read, the one
# that finds the end, costs a round trip).
#
#  - cached: the drive model answers from its cache, no MMC command.
#  - after a media change: emulator/media is written (a dvd+r and a dvd+rw
#    by turns), untimed, then the next read is timed; it waits for discfs to
#    re-read the disc (GET CONFIGURATION, READ DISC/TRACK INFORMATION, READ
#    CAPACITY, the volume descriptors on overwrite media).  The media poller
#    is off (--poll-ms=0) so that the read itself pays for the refresh, as
#    the first read after an unnoticed change does.  The emulated drive
#    answers at once: there is no spin-up in it, so this is discfs's own
#    cost, not a real drive's seconds of spinning up.
source "$(dirname "$0")/lib.sh"

N_CACHED=${BENCH_LAT_N:-5000}
N_CHANGE=${BENCH_LAT_CHANGE_N:-300}
SYSFS=/sys/kernel/mm/transparent_hugepage/enabled
[ -r "$SYSFS" ] || SYSFS=/sys/kernel/mm/ksm/run

mount_fs floor "$BENCH_BIN/const_file" -f -o default_permissions "$WORK/floor.mnt" || exit 1
mount_fs floor_dio "$BENCH_BIN/const_file" --direct-io -f -o default_permissions "$WORK/floor_dio.mnt" || exit 1
mount_fs lat "$DISCFS" -f --poll-ms=0 --emulate="dvd+rw,image=$(null_image lat)" "$WORK/mnt" || exit 1
D=$WORK/mnt/drive0

: > "$WORK/sys"; : > "$WORK/floor"; : > "$WORK/floor_dio"; : > "$WORK/cached"; : > "$WORK/change"
for rep in $(seq "$REPS"); do
	"$BENCH_BIN/attr_lat" read "$SYSFS" "$N_CACHED" >> "$WORK/sys" || exit 1
	"$BENCH_BIN/attr_lat" read "$WORK/floor.mnt/value" "$N_CACHED" >> "$WORK/floor" || exit 1
	"$BENCH_BIN/attr_lat" read "$WORK/floor_dio.mnt/value" "$N_CACHED" >> "$WORK/floor_dio" || exit 1
	"$BENCH_BIN/attr_lat" read "$D/free_sectors" "$N_CACHED" >> "$WORK/cached" || exit 1
	"$BENCH_BIN/attr_lat" change "$D/emulator/media" "dvd+r" "dvd+rw" "$D/free_sectors" "$N_CHANGE" \
		>> "$WORK/change" || exit 1
done

# cell FILE COLUMN: "median (min–max)" over the repetitions.
cell() { awk -v c="$2" '{ print $c }' "$1" | stats | awk '{ printf "%.1f (%.1f–%.1f)", $2, $1, $3 }'; }
med() { awk -v c="$2" '{ print $c }' "$1" | stats | awk '{ print $2 }'; }

echo "### 3. Attribute latency (open + read + close, µs; median over $REPS repetitions, (min–max))"
echo
echo "| file | samples per repetition | p50 µs | p99 µs | p50 / sysfs p50 | p50 / FUSE floor p50 |"
echo "|---|---|---|---|---|---|"
echo "| sysfs \`$SYSFS\` | $N_CACHED | $(cell "$WORK/sys" 1) | $(cell "$WORK/sys" 2) | 1 | - |"
echo "| FUSE floor (\`const_file\`) | $N_CACHED | $(cell "$WORK/floor" 1) | $(cell "$WORK/floor" 2) |" \
	"$(awk -v a="$(med "$WORK/floor" 1)" -v b="$(med "$WORK/sys" 1)" 'BEGIN { printf "%.1f", a / b }') | 1 |"
for f in floor_dio cached change; do
	case $f in
	floor_dio) what="FUSE floor with direct_io (\`const_file --direct-io\`)" n=$N_CACHED ;;
	cached) what="discfs \`free_sectors\`, cached" n=$N_CACHED ;;
	change) what="discfs \`free_sectors\`, first read after a media change" n=$N_CHANGE ;;
	esac
	echo "| $what | $n | $(cell "$WORK/$f" 1) | $(cell "$WORK/$f" 2) |" \
		"$(awk -v a="$(med "$WORK/$f" 1)" -v b="$(med "$WORK/sys" 1)" 'BEGIN { printf "%.1f", a / b }') |" \
		"$(awk -v a="$(med "$WORK/$f" 1)" -v b="$(med "$WORK/floor" 1)" 'BEGIN { printf "%.2f", a / b }') |"
done
echo
