#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Faults a recorder shows in the field, injected by the emulator
# (--emulate=...,fault=KIND@SECTORS, see emu.h) mid-burn.  For each one:
#   - the writer (cp) fails, with the errno that fits the fault;
#   - status and last_error say what happened;
#   - the tray is unlocked afterwards: discfs's `locked`, and the last
#     PREVENT ALLOW the emulator logged is an allow (Prevent bit 0);
#   - the daemon keeps serving the other drive;
#   - the fault fires once: a retry succeeds and is verified byte for byte
#     (except after "vanish": that drive is gone for good, and stays an
#     ENODEV without hanging anything).
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
OTHER=$MNT/drive1
CLOCK=50
AT=500	# sectors written before the fault fires

make_iso 3 "$WORK/a.iso"
make_iso 1 "$WORK/b.iso"

# WRITEs and SEND OPCs the emulator failed: where a fault fires.
failed_writes() { awk '($3 ~ /^WRITE/ || $3 == "SEND_OPC") && $6 != "-" { n++ } END { print n + 0 }' "$1"; }

# fault_case KIND[@SECTORS] MEDIUM ERRNO_TEXT STATUS_TEXT [RETRY_PREP]
#   SECTORS      written before the fault fires, default AT
#   ERRNO_TEXT   what cp must print (strerror of the errno)
#   STATUS_TEXT  what status and last_error must contain
#   RETRY_PREP   a function run before the retry (closing the tray ...)
fault_case() {
	local kind=${1%@*} at=$AT media=$2 errno_text=$3 status_text=$4 prep=${5:-}
	[[ $1 == *@* ]] && at=${1#*@}
	local img=$WORK/$kind@$at-$media.img log=$WORK/$kind@$at-$media.log what="$kind@$at on $media"
	local status

	mount_discfs --emulate="$media,image=$img,timescale=$CLOCK,log=$log,fault=$kind@$at" \
		--emulate="cd-r,timescale=$CLOCK" --poll-ms=200 || { fail "$what: mount"; return; }
	fails_with "$errno_text" "$what: cp fails with the fitting errno" timeout 120 cp "$WORK/a.iso" "$D/burn"
	status=$(cat "$D/status" 2>&1)
	contains "$what: status says failed" failed "$status"
	contains "$what: status says why" "$status_text" "$status"
	contains "$what: last_error says why" "$status_text" "$(cat "$D/last_error")"
	same "$what: the fault fired once" 1 "$(failed_writes "$log")"
	same "$what: discfs holds no lock" 0 "$(cat "$D/locked" 2>&1)"
	same "$what: the other drive still answers" cd-r "$(cat "$OTHER/media" 2>&1)"
	same "$what: no writer left holding the drive" none "$(cat "$D/exclusive_owner" 2>&1)"
	if [ "$kind" = vanish ]; then
		# Nothing reaches the drive any more, not even the unlock.
		fails_with "No such device" "$what: the drive is gone" cat "$D/media"
		fails_with "No such device" "$what: a second burn fails at once" timeout 60 cp "$WORK/b.iso" "$D/burn"
		ok "$what: the other drive still burns" timeout 120 cp "$WORK/b.iso" "$OTHER/burn"
		contains "$what: and completes" completed "$(cat "$OTHER/status")"
	else
		same "$what: the drive's tray is unlocked" 0 "$(last_prevent "$log")"
		[ -n "$prep" ] && $prep
		put "$D/force_overwrite" 1
		# On write-once media the failed track stays: the retry is an
		# image made for the next writable address.
		local retry=$WORK/a.iso
		if [ "$media" != dvd+rw ]; then
			retry=$WORK/retry.iso
			session_iso "$D" "$img" "$retry"
		fi
		ok "$what: a retry succeeds" timeout 120 cp "$retry" "$D/burn"
		contains "$what: retry completed" completed "$(cat "$D/status")"
		case $media in
		dvd+rw) same_on_disc "$what: retry" "$retry" "$img" 0 ;;
		*) same_on_disc "$what: retry" "$retry" "$img" "$(cat "$D/progress/start_lba")" ;;
		esac
		same "$what: unlocked after the retry" 0 "$(last_prevent "$log")"
	fi
	ok "$what: daemon alive" kill -0 "$DAEMON_PID"
	unmount_discfs
}

close_tray() { put "$D/tray" closed; }

fault_case medium-removed dvd+rw "No medium found" ENOMEDIUM close_tray
fault_case medium-removed dvd-r "No medium found" ENOMEDIUM close_tray
fault_case write-error dvd+rw "Input/output error" 3/0C/00
fault_case write-error dvd-r "Input/output error" 3/0C/00
fault_case write-error cd-r "Input/output error" 3/0C/00
fault_case loss-of-streaming dvd+rw "Input/output error" 3/0C/09
# Calibration comes before the first sector: it fires at once.
fault_case power-calibration@0 dvd-r "Input/output error" 3/73/03
# After N sectors it is the running calibration that fails, on a WRITE.
fault_case power-calibration dvd-r "Input/output error" 3/73/03
fault_case unit-attention dvd+rw "Resource temporarily unavailable" 6/29/00
fault_case becoming-ready dvd+rw "Resource temporarily unavailable" 2/04/01
# A command that never comes back is the transport's own report.  Through
# libcdio (DISCFS_TRANSPORT=cdio) it arrives as a bare failure, without the
# kernel's errno, so discfs can only call it an invalid response (EPROTO).
if is_cdio; then
	echo "t45-faults: timeout and vanish skipped: libcdio does not pass on ETIMEDOUT or ENODEV"
else
	fault_case timeout dvd+rw "Connection timed out" ETIMEDOUT
	fault_case vanish dvd+rw "No such device" ENODEV
fi

if grep -q "ERROR: AddressSanitizer\|runtime error:" "$WORK/daemon.log"; then
	fail "sanitizer report in the daemon log: $(grep -m1 -A5 "ERROR: AddressSanitizer\|runtime error:" "$WORK/daemon.log")"
else
	pass
fi
finish
