#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# make check's two integration passes at once: every suite on ./discfs and
# on the ASan+UBSan build (run-all.sh and run-all.sh --asan).  They share
# nothing (each test has its own directory, mount point, staging area and
# vdrive), the suites hold up on a loaded machine (make check-busy), and
# most of a pass waits on emulated drives, so together they take little
# longer than the slower one alone.  Each pass's output is printed whole,
# the first as soon as it ends; the exit status fails if either failed.
set -u
cd "$(dirname "$0")"
logs=$(mktemp -d "${TMPDIR:-/tmp}/discfs-passes.XXXXXX")
trap 'rm -rf "$logs"' EXIT
./run-all.sh > "$logs/release" 2>&1 &
release=$!
./run-all.sh --asan > "$logs/asan" 2>&1 &
asan=$!
wait "$release"
release_rc=$?
cat "$logs/release"
wait "$asan"
asan_rc=$?
cat "$logs/asan"
[ "$release_rc" -eq 0 ] && [ "$asan_rc" -eq 0 ]
