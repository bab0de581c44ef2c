# SPDX-License-Identifier: GPL-3.0-or-later
# Shared helpers for the benchmarks (tests/bench/b*.sh).  Source it, then:
#   mount_fs NAME CMD... MOUNTPOINT   runs a FUSE daemon in the foreground on MOUNTPOINT,
#                                     sets PID_<NAME>; every mount is undone on any exit
#   unmount_fs NAME                   unmounts and reaps it (kills it if it lingers)
#   mk_iso SECTORS PATH               a sparse file with an ISO 9660 PVD saying SECTORS
#   stats                             reads numbers, prints "min median max"
#   cpu_ticks PID                     utime+stime in clock ticks (/proc/PID/stat)
#   now_s                             wall clock, seconds with µs
#
# Benchmarks mount for real, so the cleanup is the important part: the trap
# unmounts everything this script mounted and kills every daemon it started,
# whether the benchmark passed, failed or was interrupted.
set -u
export LC_ALL=C

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DISCFS=${DISCFS:-$TOP/discfs}
BENCH_BIN=${BENCH_BIN:-$TOP/build/bench}
# Sparse inputs live on tmpfs: reading a hole costs no disk I/O, so dd's
# side is the same cheap source for every figure.
BENCH_TMP=${BENCH_TMP:-/dev/shm}
WORK=$(mktemp -d "$BENCH_TMP/discfs-bench.XXXXXX")
# Repetitions per figure; BENCH_REPS=1 makes a quick smoke run.
REPS=${BENCH_REPS:-5}
CLK_TCK=$(getconf CLK_TCK)

declare -A MOUNTS=()	# NAME -> mountpoint
declare -A PIDS=()	# NAME -> daemon pid

mount_fs() {
	local name=$1; shift
	local mnt=${!#}
	mkdir -p "$mnt"
	"$@" 2>>"$WORK/$name.log" &
	PIDS[$name]=$!
	MOUNTS[$name]=$mnt
	printf -v "PID_$name" '%s' "$!"
	for _ in $(seq 200); do
		mountpoint -q "$mnt" && return 0
		kill -0 "${PIDS[$name]}" 2>/dev/null || break
		sleep 0.05
	done
	echo "could not mount $name: $*" >&2
	cat "$WORK/$name.log" >&2
	unmount_fs "$name"
	return 1
}

unmount_fs() {
	local name=$1 pid=${PIDS[$1]:-} mnt=${MOUNTS[$1]:-}
	[ -n "$mnt" ] && { fusermount3 -u "$mnt" 2>/dev/null || fusermount3 -uz "$mnt" 2>/dev/null; }
	if [ -n "$pid" ]; then
		# A daemon that does not leave after its unmount is killed.
		for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	unset "PIDS[$name]" "MOUNTS[$name]"
}

bench_cleanup() {
	local name
	for name in "${!MOUNTS[@]}"; do unmount_fs "$name"; done
	rm -rf "$WORK"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# A sparse image whose sector 16 is an ISO 9660 primary volume descriptor
# giving its size: discfs learns the image size from it (progress, ENOSPC
# up front), and the rest reads as zeros without occupying memory or disk.
# A terminator at 17 and the path table (L) at 18, the root directory at 19,
# as mkisofs lays them out: an image made for LBA 0, which discfs burns
# there (ECMA-119 8.4: the path table location at byte 140, the root
# directory record's extent at 158).
mk_iso() {
	local sectors=$1 path=$2
	rm -f "$path"
	truncate -s $((sectors * 2048)) "$path"
	printf '\001CD001\001' | dd of="$path" bs=1 seek=$((16 * 2048)) conv=notrunc status=none
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((sectors & 255)) $((sectors >> 8 & 255)) \
		$((sectors >> 16 & 255)) $((sectors >> 24 & 255)))" |
		dd of="$path" bs=1 seek=$((16 * 2048 + 80)) conv=notrunc status=none
	printf '\000\010' | dd of="$path" bs=1 seek=$((16 * 2048 + 128)) conv=notrunc status=none	# 2048-byte blocks
	printf '\022' | dd of="$path" bs=1 seek=$((16 * 2048 + 140)) conv=notrunc status=none
	printf '\023' | dd of="$path" bs=1 seek=$((16 * 2048 + 158)) conv=notrunc status=none
	printf '\377CD001\001' | dd of="$path" bs=1 seek=$((17 * 2048)) conv=notrunc status=none
}

# "min median max" of the numbers on stdin (median of an even count: the
# mean of the middle two).
stats() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- - -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%s %s %s\n", v[1], m, v[NR] }'
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

now_s() { echo "$EPOCHREALTIME"; }

# max_speed DRIVE_DIR: as fast as the drive takes data.
max_speed() {
	echo max > "$1/write_speed/starting" && echo max > "$1/write_speed/ending"
}

# An emulated medium that costs nothing to write: the image is /dev/null
# (through a symlink, so the .state sidecar can sit beside it in $WORK).
# The emulator still checks and accounts every WRITE; only the bytes vanish,
# as they do in the sink.
null_image() {
	ln -sf /dev/null "$WORK/$1.img"
	echo "$WORK/$1.img"
}

# percentiles P...: the nearest-rank P-th percentiles of the numbers on
# stdin, space-separated (100 is the maximum).
percentiles() {
	sort -g | awk -v ps="$*" '{ v[NR] = $1 } END {
		n = split(ps, p, " ")
		for (i = 1; i <= n; i++) {
			k = int(p[i] / 100 * NR + 0.999999); if (k < 1) k = 1; if (k > NR) k = NR
			printf "%s%s", v[k], i < n ? " " : "\n"
		} }'
}
