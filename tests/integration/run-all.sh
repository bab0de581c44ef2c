#!/bin/bash
# Runs every mounted-tree test (tests/integration/t*.sh) and sums them up.
# DISCFS picks the daemon binary (default ./discfs; make check passes the
# AddressSanitizer build too).
set -u
cd "$(dirname "$0")"
total_passed=0
total_failed=0
failed_scripts=()
for t in t*.sh; do
	echo "== $t"
	out=$(bash "./$t" 2>&1)
	rc=$?
	echo "$out"
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
