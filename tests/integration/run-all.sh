#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every mounted-tree test (tests/integration/t*.sh) and sums them up.
# DISCFS picks the daemon binary (default ./discfs).
#
#   run-all.sh [--asan] [TEST...]
#
# --asan runs them on the AddressSanitizer+UBSan build (build/san/discfs).
# Its reports go to files, not to the daemon's stderr, so one written at
# exit (LeakSanitizer) or after a test's own checks still fails the test
# that caused it.  TEST... (t20-burn.sh ...) runs only those.
set -u
cd "$(dirname "$0")"
asan=
if [ "${1:-}" = --asan ]; then
	asan=1
	shift
	export DISCFS=${DISCFS:-$(cd ../.. && pwd)/build/san/discfs}
	san_dir=$(mktemp -d "${TMPDIR:-/tmp}/discfs-san.XXXXXX")
	trap 'rm -rf "$san_dir"' EXIT
	# halt_on_error: the first report stops the daemon (UBSan's too:
	# -fno-sanitize-recover), so a test cannot pass past it.
	export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:exitcode=66:detect_leaks=1:log_path=$san_dir/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
	export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$san_dir/ubsan${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
	export LSAN_OPTIONS="suppressions=$(pwd)/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
	echo "integration on $DISCFS (ASan+UBSan reports fail the test)"
fi
tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=(t*.sh)
total_passed=0
total_failed=0
failed_scripts=()
for t in "${tests[@]}"; do
	echo "== $t"
	out=$(bash "./$t" 2>&1)
	rc=$?
	echo "$out"
	if [ -n "$asan" ] && compgen -G "$san_dir/*" >/dev/null; then
		echo "FAIL: sanitizer report from $t:"
		cat "$san_dir"/*
		rm -f "$san_dir"/*
		total_failed=$((total_failed + 1))
		failed_scripts+=("$t")
		continue
	fi
	line=$(echo "$out" | grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
		f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
		total_passed=$((total_passed + p))
		total_failed=$((total_failed + f))
	fi
	if [ $rc -ne 0 ]; then
		failed_scripts+=("$t")
		[ -z "$line" ] && total_failed=$((total_failed + 1))
	fi
done
echo "integration: $total_passed passed, $total_failed failed"
if [ ${#failed_scripts[@]} -ne 0 ]; then
	echo "failed: ${failed_scripts[*]}"
	exit 1
fi
