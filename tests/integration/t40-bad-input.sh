#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Bad input to every writable file of a drive directory and of all/: empty, whitespace,
# non-numeric, negative, overflow, embedded NUL, very long, two writes in one
# open, a write at an offset, binary junk.  Each must fail with a clear errno
# (EINVAL, ERANGE for a number too large), leave the old value (read before
# and after; for write-only files, the drive's state), name the problem in
# last_error, and leave the daemon serving.
#
# The files come from `find`, not from a list: a new writable file without a
# row in VALID below fails this test until it gets one.  Run it on the
# AddressSanitizer daemon too: DISCFS=build/san/discfs bash t40-bad-input.sh
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0

# A valid value per writable file, used inside the cases (a NUL after it, a
# second write after it; each reads back as itself), and the value that puts
# the file back.  Action files (their write does something) have no RESTORE;
# their multi-write case is skipped where the valid first write would act on
# the disc (erase, format, close, eject).
declare -A VALID=(
	[write_speed/starting]=4000 [write_speed/ending]=5000 [force_close]=1 [buffer_underrun_free]=0
	[force_overwrite]=1 [raw]=1 [verify]=full [simulate]=1 [tray]=closed [locked]=1 [emulator/media]=dvd+rw
	[cancel]=1 [erase]=fast [format]=1 [close]=1 [eject]=1
	[volume_label]=Backup [commit]=1 [discard]=1
)
declare -A RESTORE=(
	[write_speed/starting]=auto [write_speed/ending]=auto [force_close]=0 [buffer_underrun_free]=1
	[force_overwrite]=0 [raw]=0 [verify]=none [simulate]=0 [tray]=closed [locked]=0 [emulator/media]=dvd+rw
	[volume_label]=DISCFS
)
ACTS_ON_DISC=" erase format close eject commit "
# A file with a value to put back is a setting: a refused second write takes
# back what the first one set.  Not a list of settings, which a new one could
# miss: the exceptions, whose first write acts (the tray, the lock, the medium).
FIRST_WRITE_ACTS=" tray locked emulator/media "
# Free text: words and numbers are values like any other, not bad input.
TEXT=" volume_label "
# Numbers too large are ERANGE here; elsewhere they are just not a word (EINVAL).
NUMERIC=" write_speed/starting write_speed/ending "

# One write (or two) as a program does it, reporting each call's outcome as
# "ok" or the errno name: the shell's own redirections cannot show errnos.
cat > "$WORK/write.py" <<'EOF'
import errno, os, sys

path, case, valid = sys.argv[1], sys.argv[2], sys.argv[3].encode()
payloads = {
    "empty": b"",
    "whitespace": b" \t \n",
    "non-numeric": b"abc\n",
    "negative": b"-5\n",
    "overflow": b"99999999999999999999\n",
    "embedded-nul": valid + b"\0\n",
    "very-long": b"1" * 102400,
    "binary-junk": bytes([0xFF, 0xFE, 0x00, 0x80, 0x1B, 0x5B, 0x32, 0x4A, 0x0A, 0xC3, 0x28, 0x07]),
}

def attempt(fn):
    try:
        fn()
        return "ok"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))

fd = os.open(path, os.O_WRONLY)
if case == "multi-write":
    # The first write is a whole valid value; the second, in the same open,
    # continues at its end and must be refused, not appended.
    print(attempt(lambda: os.write(fd, valid)) + "," + attempt(lambda: os.write(fd, b"0\n")))
elif case == "offset":
    print(attempt(lambda: os.pwrite(fd, valid + b"\n", 5)))
else:
    print(attempt(lambda: os.write(fd, payloads[case])))
os.close(fd)
EOF

CASES="empty whitespace non-numeric negative overflow embedded-nul very-long multi-write offset binary-junk"

readable() { [ -r "$D/$1" ] && [ "$(stat -c %a "$D/$1")" != 200 ]; }

# What a write must not change: the file's value, or for a write-only file
# the drive's state around it.
value_of() {
	if readable "$1"; then
		cat "$D/$1" 2>&1
	else
		echo "$(cat "$D/status") | $(cat "$D/media") | $(cat "$D/media_status") | $(cat "$D/tray") | $(cat "$D/locked")"
	fi
}

# expect_errno FILE CASE OUTCOME
expect_errno() {
	local f=$1 case=$2 got=$3
	case $case in
	empty)
		# write(2) of 0 bytes never reaches the file system: nothing to refuse.
		same "$f: empty write does nothing" ok "$got" ;;
	overflow)
		if [[ $NUMERIC == *" $f "* ]]; then
			same "$f: overflow is ERANGE" ERANGE "$got"
		else
			same "$f: overflow is EINVAL" EINVAL "$got"
		fi ;;
	multi-write)
		same "$f: a second write in one open is refused" ok,EINVAL "$got" ;;
	*)
		same "$f: $case is EINVAL" EINVAL "$got" ;;
	esac
}

run_cases() {
	local f=$1 case before after out valid=${VALID[$1]}
	for case in $CASES; do
		if [ "$case" = multi-write ] && [[ $ACTS_ON_DISC == *" $f "* ]]; then
			continue
		fi
		if [[ " non-numeric negative overflow " == *" $case "* ]] && [[ $TEXT == *" $f "* ]]; then
			continue
		fi
		before=$(value_of "$f")
		# A successful store clears last_error, so an E_INVALIDARG
		# afterwards is known to come from this write.
		put "$D/tray" closed
		out=$(python3 "$WORK/write.py" "$D/$f" "$case" "$valid" 2>&1)
		expect_errno "$f" "$case" "$out"
		after=$(value_of "$f")
		if [ "$case" = multi-write ] && [ -n "${RESTORE[$f]+set}" ] && [[ $FIRST_WRITE_ACTS != *" $f "* ]]; then
			same "$f: multi-write took back the first value too" "$before" "$after"
		elif [ "$case" = multi-write ] && [ -n "${RESTORE[$f]+set}" ]; then
			# The first write acted: that stays, the second write does nothing.
			same "$f: multi-write kept the first value only" "$valid" "$after"
			put "$D/$f" "${RESTORE[$f]}"
		elif [ "$case" = multi-write ]; then
			same "$f: multi-write changed nothing" "$before" "$after"
		else
			same "$f: $case kept the old value" "$before" "$after"
		fi
		if [ "$case" != empty ] && [ "$case" != multi-write ]; then
			local err
			err=$(cat "$D/last_error")
			contains "$f: $case: last_error says invalid argument" E_INVALIDARG "$err"
			if [ "$case" != overflow ] || [[ $NUMERIC != *" $f "* ]]; then
				contains "$f: $case: last_error names EINVAL" "EINVAL:" "$err"
			fi
		fi
		# The daemon still serves after every case.
		same "$f: $case: still serving" DISCFS "$(cat "$D/vendor" 2>&1)"
	done
}

mount_discfs --emulate="dvd+rw,timescale=100" --poll-ms=0 || { finish; exit 1; }

mapfile -t FILES < <(cd "$D" && find . -type f -perm -u+w | sed 's|^\./||' | grep -vx burn | sort)
ok "writable files were found" test "${#FILES[@]}" -gt 10
for f in "${FILES[@]}"; do
	if [ -z "${VALID[$f]+set}" ]; then
		fail "$f: writable but has no row in VALID: add one so bad input is tested on it"
		continue
	fi
	run_cases "$f"
done

# all/'s writable values (all/burn is a stream, as driveN/burn is): the same
# cases, with all/last_error.  Write-only files must leave what is staged.
A=$MNT/all
declare -A TOWER_VALID=([members]=drive0 [volume_label]=Backup [commit]=1 [discard]=1)
mapfile -t TOWER_FILES < <(cd "$A" && find . -maxdepth 1 -type f -perm -u+w | sed 's|^\./||' | grep -vx burn | sort)
ok "all/ has writable values" test "${#TOWER_FILES[@]}" -ge 4
tower_value() {
	if [ "$(stat -c %a "$A/$1")" != 200 ]; then cat "$A/$1"; else cat "$A/staged_sectors"; fi
}
for f in "${TOWER_FILES[@]}"; do
	if [ -z "${TOWER_VALID[$f]+set}" ]; then
		fail "all/$f: writable but has no row in TOWER_VALID: add one so bad input is tested on it"
		continue
	fi
	for case in $CASES; do
		[ "$case" = multi-write ] && [ "$f" = commit ] && continue
		[[ " non-numeric negative overflow " == *" $case "* ]] && [[ $TEXT == *" $f "* ]] && continue
		before=$(tower_value "$f")
		out=$(python3 "$WORK/write.py" "$A/$f" "$case" "${TOWER_VALID[$f]}" 2>&1)
		expect_errno "all/$f" "$case" "$out"
		same "all/$f: $case kept the old value" "$before" "$(tower_value "$f")"
		if [ "$case" != empty ] && [ "$case" != multi-write ]; then
			contains "all/$f: $case: all/last_error names EINVAL" "EINVAL:" "$(cat "$A/last_error")"
		fi
	done
done

# Nothing acted on the disc: no erase, format, close or eject happened.
same "still the same medium" dvd+rw "$(cat "$D/media")"
same "tray still closed" closed "$(cat "$D/tray")"
same "tray unlocked" 0 "$(cat "$D/locked")"
same "no operation ran" idle "$(cat "$D/status")"
ok "daemon alive" kill -0 "$DAEMON_PID"
if grep -q "ERROR: AddressSanitizer\|runtime error:" "$WORK/daemon.log"; then
	fail "sanitizer report in the daemon log: $(grep -m1 -A5 "ERROR: AddressSanitizer\|runtime error:" "$WORK/daemon.log")"
else
	pass
fi
echo "t40-bad-input: ${#FILES[@]} writable files, $(echo $CASES | wc -w) cases each"
unmount_discfs
finish
