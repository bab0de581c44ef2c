#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Figure 8: burning files and folders.  Staging a 10 000-file tree (100
# folders of 100 files of 1000 bytes) with cp -r into driveN/files against
# cp -r of the same tree to the same host file system; committing it on an
# instant BD-R (clock 10^6 times fast, image /dev/null) against
# xorriso -as mkisofs of the same tree to /dev/null; and the daemon's peak
# RSS while committing 100 000 files (BENCH_MASTER_BIG files, one run).
source "$(dirname "$0")/lib.sh"

FILES_PER_DIR=100
BIG=${BENCH_MASTER_BIG:-100000}

# make_tree DIR FILES: FILES files of 1000 bytes, 100 to a folder (written
# by the shell itself: a process per file would take longer than the copy).
make_tree() {
	local dir=$1 n=$2 d f chunk
	chunk=$(head -c 750 /dev/urandom | base64 -w0)
	for ((d = 0; d * FILES_PER_DIR < n; d++)); do
		mkdir -p "$dir/d$d"
		for ((f = 0; f < FILES_PER_DIR && d * FILES_PER_DIR + f < n; f++)); do
			printf '%s' "$chunk" > "$dir/d$d/f$f"
		done
	done
}

mount_master() {
	rm -rf "$WORK/staging" "$WORK"/m.img*
	mount_fs m "$DISCFS" -f --poll-ms=0 --staging-dir="$WORK/staging" \
		--emulate="bd-r,timescale=1000000,image=$(null_image m)" "$WORK/mnt" || return 1
	max_speed "$WORK/mnt/drive0"
}

seconds() { local t0=$(now_s); "$@" > /dev/null 2>&1 || return 1; awk -v a="$t0" -v b="$(now_s)" 'BEGIN { printf "%.3f\n", b - a }'; }

make_tree "$WORK/tree" 10000
: > "$WORK/rows"
for rep in $(seq "$REPS"); do
	rm -rf "$WORK/plain"
	plain=$(seconds cp -r "$WORK/tree" "$WORK/plain") || exit 1
	mount_master || exit 1
	staged=$(seconds cp -r "$WORK/tree" "$WORK/mnt/drive0/files/") || { echo "staging failed" >&2; exit 1; }
	commit=$(seconds sh -c "echo 1 > '$WORK/mnt/drive0/commit'") || { echo "commit failed" >&2; exit 1; }
	unmount_fs m
	xorriso=$(seconds xorriso -as mkisofs -quiet -R -J -o /dev/null "$WORK/tree") || exit 1
	echo "$plain $staged $commit $xorriso" >> "$WORK/rows"
done
rm -rf "$WORK/tree" "$WORK/plain"

# Peak RSS committing BIG files, in a fresh daemon.
make_tree "$WORK/big" "$BIG"
mount_master || exit 1
cp -r "$WORK/big" "$WORK/mnt/drive0/files/" || { echo "staging $BIG files failed" >&2; exit 1; }
rm -rf "$WORK/big"
base=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/${PIDS[m]}/status")
echo 1 > "$WORK/mnt/drive0/commit" || { echo "commit of $BIG files failed" >&2; exit 1; }
peak=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/${PIDS[m]}/status")
unmount_fs m

col() { awk -v c="$1" '{ print $c }' "$WORK/rows" | stats | awk '{ printf "%s | %s | %s", $1, $2, $3 }'; }
ratio() { awk -v a="$1" -v b="$2" '{ printf "%.2f\n", $a / $b }' "$WORK/rows" | stats | awk '{ printf "%s | %s | %s", $1, $2, $3 }'; }
echo "### 8. Burning files and folders: 10 000 files of 1000 bytes in 100 folders, s ($REPS repetitions)"
echo
echo "| what | min | median | max |"
echo "|---|---|---|---|"
echo "| cp -r to the host | $(col 1) |"
echo "| cp -r into drive0/files (staging) | $(col 2) |"
echo "| **staging / host copy** | $(ratio 2 1) |"
echo "| commit on an instant BD-R (master + burn) | $(col 3) |"
echo "| xorriso -as mkisofs -R -J -o /dev/null | $(col 4) |"
echo "| **commit / xorriso** | $(ratio 3 4) |"
echo
echo "Peak RSS committing $BIG files: $((peak / 1024)) MiB (mounted and staged: $((base / 1024)) MiB)."
echo
