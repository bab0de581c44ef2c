#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# make bench: every figure of BENCHMARKS.md, in one run on this machine.
# Writes the tables, with the machine they were measured on, to
# build/bench/results.md as it goes (and to stdout).  BENCH_REPS=N changes
# the repetitions (default 5); BENCH_ONLY="b1 b3" runs some figures only.
set -u
export LC_ALL=C
TOP=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$TOP/build/bench/results.md
ONLY=${BENCH_ONLY:-b1 b2 b3 b4 b5 b6 b7 b8 b9 b10}
mkdir -p "$TOP/build/bench"

machine() {
	echo "## Machine"
	echo
	echo "- CPU: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores"
	echo "- RAM: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "- kernel: $(uname -sr)"
	echo "- gcc: $(gcc --version | head -1)"
	echo "- libfuse: $(pkg-config --modversion fuse3) ($("$TOP/discfs" -V | tr '\n' ' ' | sed 's/ $//'))"
	echo "- run: $(date -u '+%Y-%m-%d %H:%M UTC'), ${BENCH_REPS:-5} repetitions, load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
	echo
}

{
	echo "# discfs benchmark results"
	echo
	machine
} | tee "$OUT"
status=0
start=$SECONDS
for b in $ONLY; do
	script=$(ls "$TOP/tests/bench/$b"-*.sh)
	t=$SECONDS
	if ! bash "$script" | tee -a "$OUT"; then
		echo "**$b failed** (see above)" | tee -a "$OUT"
		status=1
	fi
	echo "($(basename "$script"): $((SECONDS - t)) s)" >&2
done
echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); whole run $((SECONDS - start)) s" | tee -a "$OUT"
echo "(results in $OUT)" >&2
# Nothing may be left behind: each script unmounts what it mounted.
if grep -q discfs-bench /proc/mounts; then
	echo "a benchmark left a mount behind:" >&2; grep discfs-bench /proc/mounts >&2; status=1
fi
exit $status
