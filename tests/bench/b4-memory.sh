#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Figure 4: memory.  The daemon's peak RSS (VmHWM in /proc/PID/status)
# burning a 1 GB image and a 25 GB one, each in a fresh daemon, so each
# peak is that burn's alone.  Both inputs are sparse files (with an ISO
# 9660 volume descriptor), the medium a blank BD-R whose clock runs 10^6
# times fast and whose image is /dev/null, so neither input nor medium
# costs memory or disk.  The two peaks must agree within the FIFO size.
source "$(dirname "$0")/lib.sh"

FIFO_MIB=32
MEM_REPS=${BENCH_MEM_REPS:-3}
# GB here are 10^9 bytes, as on a disc's label: 25 GB fits a BD-R's 12219392 sectors.
SMALL=$((1000000000 / 2048))
LARGE=$((25000000000 / 2048))
mk_iso "$SMALL" "$WORK/small.iso"
mk_iso "$LARGE" "$WORK/large.iso"

kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }

# peak IMAGE: "baseline_KiB peak_KiB" of a fresh daemon burning IMAGE.
peak() {
	local base hwm
	rm -f "$WORK"/mem.img*
	mount_fs mem "$DISCFS" -f --poll-ms=0 --fifo-mib=$FIFO_MIB \
		--emulate="bd-r,timescale=1000000,image=$(null_image mem)" "$WORK/mnt" || return 1
	max_speed "$WORK/mnt/drive0" || return 1
	base=$(kib "${PIDS[mem]}" VmHWM)
	dd if="$1" of="$WORK/mnt/drive0/burn" bs=1M status=none || { echo "burn of $1 failed" >&2; return 1; }
	case $(cat "$WORK/mnt/drive0/status") in completed*) ;; *) echo "burn of $1 did not complete" >&2; return 1 ;; esac
	hwm=$(kib "${PIDS[mem]}" VmHWM)
	unmount_fs mem
	echo "$base $hwm"
}

: > "$WORK/rows"
for rep in $(seq "$MEM_REPS"); do
	s=$(peak "$WORK/small.iso") || exit 1
	l=$(peak "$WORK/large.iso") || exit 1
	echo "$s $l" >> "$WORK/rows"
done

col() { awk -v c="$1" '{ printf "%.1f\n", $c / 1024 }' "$WORK/rows" | stats | awk '{ printf "%s | %s | %s", $1, $2, $3 }'; }
echo "### 4. Memory: daemon peak RSS, MiB ($MEM_REPS repetitions, a fresh daemon per burn)"
echo
echo "| what | min | median | max |"
echo "|---|---|---|---|"
echo "| before the burn (mounted, idle) | $(col 1) |"
echo "| peak burning 1 GB (488281 sectors) | $(col 2) |"
echo "| peak burning 25 GB (12207031 sectors, sparse input) | $(col 4) |"
echo "| **25 GB peak − 1 GB peak** (target: within the ${FIFO_MIB} MiB FIFO) |" \
	"$(awk '{ printf "%.1f\n", ($4 - $2) / 1024 }' "$WORK/rows" | stats | awk '{ printf "%s | %s | %s", $1, $2, $3 }') |"
echo "| 1 GB peak − idle (the FIFO, touched once, and the engine) | $(awk '{ printf "%.1f\n", ($2 - $1) / 1024 }' "$WORK/rows" | stats | awk '{ printf "%s | %s | %s", $1, $2, $3 }') |"
echo
