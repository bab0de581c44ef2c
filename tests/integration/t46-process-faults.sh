#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Process faults during a burn (issue 6):
#   (a) SIGTERM and (b) SIGINT to the daemon: it cancels the burn cleanly
#       (cache synchronized, track closed, tray unlocked), unmounts and
#       exits by itself; the writer gets an error; the disc it leaves is
#       consistent when mounted again, and takes a further burn;
#   (c) fusermount3 -u: refused (EBUSY) while the writer holds the burn
#       file, and the burn goes on; fusermount3 -uz detaches at once, the
#       burn finishes and the daemon leaves when the writer closes;
#   (d) SIGKILL of the writer mid-image: the burn ends as cancelled, the
#       tray is unlocked and the next burn works; killed after its last
#       write (waiting in close), the burn completes;
#   (e) 8 readers of attributes in loops during a burn;
#   (f) two burns on two drives at once.
# Every burn that succeeds is compared byte for byte with its source, and
# every writer that was cut off must exit non-zero.
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
CLOCK=5		# emulated seconds per real second (a DVD session close: 30 s, 6 s real)
# Drives burn no slower than their slowest descriptor (2.4x, 1623 sectors/s
# on DVD-R: a 3 MiB ISO in 0.2 real s), so where a burn must still be
# writing when something happens, the writer is the slow one: 800 KiB/s,
# a 3 MiB ISO in ~4 s.
SLOW_WRITER=800k
SAN_REPORT="ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:"

make_iso 3 "$WORK/a.iso"
make_iso 1 "$WORK/b.iso"

# The emulator's log: "time opcode NAME lba count sense", Prevent bit in the LBA column.
sectors_written() { awk '$3 ~ /^WRITE/ && $6 == "-" { n += $5 } END { print n + 0 }' "$1"; }
# What the drive executed after its last WRITE, less the polling (TEST UNIT
# READY while a close runs, GET EVENT STATUS): the clean stop's sequence.
after_last_write() {
	awk '$3 ~ /^WRITE/ { s = ""; next }
	     $3 != "TEST_UNIT_READY" && $3 != "GET_EVENT_STATUS" && $3 != "READ_BUFFER_CAPACITY" { s = s " " $3 }
	     END { print s }' "$1"
}

# wait_writing DRIVE: until the engine has written some sectors (or 20 s).
wait_writing() {
	local i lba
	for i in $(seq 200); do
		lba=$(cat "$1/progress/last_written_lba" 2>/dev/null)
		[ -n "$lba" ] && [ "$lba" -gt 64 ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_gone PID SECONDS: true once PID has exited.
wait_gone() {
	local i
	for i in $(seq $(($2 * 10))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	return 1
}

# A burn in the background: its exit status and message land in $WORK/NAME.rc / .out.
burn_bg() {
	local name=$1 iso=$2 target=$3
	( cp "$iso" "$target"; echo $? > "$WORK/$name.rc" ) > "$WORK/$name.out" 2>&1 &
	echo $!
}

# The same with a writer that sends SLOW_WRITER bytes a second.
burn_slow_bg() {
	local name=$1 iso=$2 target=$3
	( pv -q -L "$SLOW_WRITER" "$iso" | cp /dev/stdin "$target"; echo $? > "$WORK/$name.rc" ) > "$WORK/$name.out" 2>&1 &
	echo $!
}

no_san_report() {
	if grep -q "$SAN_REPORT" "$WORK/daemon.log"; then
		fail "$1: sanitizer report in the daemon log: $(grep -m1 -A8 "$SAN_REPORT" "$WORK/daemon.log")"
	else
		pass
	fi
}

# (a), (b): a termination signal mid-burn on a DVD-R (a sequential medium,
# so there is a track to close).
signal_case() {
	local sig=$1 img=$WORK/sig-$1.img log=$WORK/sig-$1.log what="SIG$1 mid-burn"
	local writer rc written

	mount_discfs --emulate="dvd-r,image=$img,timescale=$CLOCK,log=$log" --poll-ms=200 || { fail "$what: mount"; return; }
	slow_plan "$D"
	writer=$(burn_slow_bg "sig-$sig" "$WORK/a.iso" "$D/burn")
	ok "$what: the burn is writing" wait_writing "$D"
	kill -"$sig" "$DAEMON_PID"
	if wait_gone "$DAEMON_PID" 20; then
		pass
		wait "$DAEMON_PID"; rc=$?
		same "$what: the daemon's exit status" 0 "$rc"
		DAEMON_PID=
	else
		fail "$what: the daemon is still running 20 s after the signal"
	fi
	if mountpoint -q "$MNT"; then fail "$what: still mounted"; else pass; fi
	wait_gone "$writer" 20 || fail "$what: the writer still hangs"
	same "$what: the writer's exit status is non-zero" 1 "$(cat "$WORK/sig-$sig.rc" 2>/dev/null)"
	contains "$what: the writer is told it was cancelled" "Operation canceled" "$(cat "$WORK/sig-$sig.out")"
	contains "$what: cache synchronized, then track closed, then tray unlocked" \
		"SYNC_CACHE READ_TRACK_INFO CLOSE_TRACK_SESSION PREVENT_ALLOW" "$(after_last_write "$log")"
	same "$what: the last PREVENT ALLOW allowed removal" 0 "$(last_prevent "$log")"
	contains "$what: the daemon logs where the burn stopped" "stopped a burn after" "$(cat "$WORK/daemon.log")"
	no_san_report "$what"
	written=$(sectors_written "$log")
	# What was written before the signal is the image's start, intact.
	if [ "$written" -gt 0 ] && cmp -s -n $((written * 2048)) "$WORK/a.iso" "$img"; then
		pass
	else
		fail "$what: the $written sectors written are not the image's start"
	fi

	# The disc it left (image and its .state sidecar) mounted again.
	rm -f "$WORK/daemon.log"
	mount_discfs --emulate="dvd-r,image=$img,timescale=50" --poll-ms=0 || { fail "$what: remount"; return; }
	contains "$what: remounted, the disc is appendable" appendable "$(timeout 10 cat "$D/media_status" 2>&1)"
	same "$what: remounted, not locked" 0 "$(timeout 10 cat "$D/locked" 2>&1)"
	same "$what: remounted, idle" idle "$(timeout 10 cat "$D/progress/action" 2>&1)"
	session_iso "$D" "$img" "$WORK/next.iso"
	ok "$what: a burn after it succeeds" timeout 60 cp "$WORK/next.iso" "$D/burn"
	contains "$what: and completes" completed "$(cat "$D/status")"
	same_on_disc "$what: the burn after it" "$WORK/next.iso" "$img" "$(cat "$D/progress/start_lba")"
	unmount_discfs
	no_san_report "$what: remount"
}

signal_case TERM
signal_case INT

# (c) fusermount3 -u during a burn.
img=$WORK/umount.img log=$WORK/umount.log
rm -f "$WORK/daemon.log"
if mount_discfs --emulate="dvd-r,image=$img,timescale=$CLOCK,log=$log" --poll-ms=200; then
	slow_plan "$D"
	writer=$(burn_slow_bg umount1 "$WORK/a.iso" "$D/burn")
	ok "umount -u: the burn is writing" wait_writing "$D"
	fails_with "Device or resource busy" "umount -u: refused while the writer holds the burn file" fusermount3 -u "$MNT"
	contains "umount -u: the burn goes on" writing "$(cat "$D/status")"
	wait_gone "$writer" 60 || fail "umount -u: the writer hangs"
	same "umount -u: the burn succeeds" 0 "$(cat "$WORK/umount1.rc" 2>/dev/null)"
	same_on_disc "umount -u: the burn" "$WORK/a.iso" "$img" "$(cat "$D/progress/start_lba")"

	# Lazy: the tree leaves the namespace at once; the open burn file still works.
	session_iso "$D" "$img" "$WORK/next.iso"
	writer=$(burn_slow_bg umount2 "$WORK/next.iso" "$D/burn")
	ok "umount -uz: the second burn is writing" wait_writing "$D"
	start=$(cat "$D/progress/start_lba")
	ok "umount -uz: detaches during a burn" fusermount3 -uz "$MNT"
	if mountpoint -q "$MNT"; then fail "umount -uz: still mounted"; else pass; fi
	wait_gone "$writer" 60 || fail "umount -uz: the writer hangs"
	same "umount -uz: the burn still succeeds" 0 "$(cat "$WORK/umount2.rc" 2>/dev/null)"
	same_on_disc "umount -uz: the burn" "$WORK/next.iso" "$img" "$start"
	if wait_gone "$DAEMON_PID" 20; then pass; DAEMON_PID=; else fail "umount -uz: the daemon stays after the writer closed"; fi
	same "umount -uz: tray unlocked at the end" 0 "$(last_prevent "$log")"
	unmount_discfs
	no_san_report "umount"
else
	fail "umount: mount"
fi

# (d) SIGKILL of the writer.
img=$WORK/kill.img log=$WORK/kill.log
if mount_discfs --emulate="dvd-r,image=$img,timescale=$CLOCK,log=$log" --poll-ms=200; then
	slow_plan "$D"
	# One process holds the burn file: the shell's fd 3 goes to sleep by
	# exec after 1 MiB of the 3 MiB image.
	bash -c 'exec 3>"$1"; head -c 1048576 "$2" >&3; exec sleep 600' _ "$D/burn" "$WORK/a.iso" &
	writer=$!
	ok "SIGKILL writer: the burn is writing" wait_writing "$D"
	kill -9 "$writer"
	wait "$writer" 2>/dev/null
	for _ in $(seq 200); do [[ $(cat "$D/status") == writing* || $(cat "$D/status") == finalizing* ]] || break; sleep 0.1; done
	status=$(cat "$D/status")
	contains "SIGKILL writer: the burn fails" failed "$status"
	contains "SIGKILL writer: status says where the image ended" "image ended at sector 512 of" "$status"
	contains "SIGKILL writer: and what is left on the disc" "on the disc: a closed session holding the 512 sectors" "$status"
	same "SIGKILL writer: discfs holds no lock" 0 "$(cat "$D/locked")"
	same "SIGKILL writer: no owner left" none "$(cat "$D/exclusive_owner")"
	same "SIGKILL writer: the drive's tray is unlocked" 0 "$(last_prevent "$log")"
	# What came is written and closed (burn.c burn_end): track, then
	# session, page 05h set first so that it is never finalized.
	contains "SIGKILL writer: cache synchronized, track and session closed, tray unlocked" \
		"SYNC_CACHE READ_TRACK_INFO CLOSE_TRACK_SESSION MODE_SENSE10 MODE_SELECT10 CLOSE_TRACK_SESSION PREVENT_ALLOW" \
		"$(after_last_write "$log")"
	session_iso "$D" "$img" "$WORK/next.iso"
	ok "SIGKILL writer: the next burn works" timeout 60 cp "$WORK/next.iso" "$D/burn"
	same_on_disc "SIGKILL writer: the next burn" "$WORK/next.iso" "$img" "$(cat "$D/progress/start_lba")"

	# cp killed while it waits in close() for the burn it fully sent: the
	# burn is whole, so it completes (the FIFO has all of it).
	session_iso "$D" "$img" "$WORK/next.iso"
	writer=$(burn_bg killed-cp "$WORK/next.iso" "$D/burn")
	ok "SIGKILL cp in close: the burn is writing" wait_writing "$D"
	start=$(cat "$D/progress/start_lba")
	pkill -9 -P "$writer" -x cp
	wait_gone "$writer" 20 || fail "SIGKILL cp in close: the writer hangs"
	for _ in $(seq 300); do [[ $(cat "$D/status") == writing* || $(cat "$D/status") == finalizing* ]] || break; sleep 0.1; done
	contains "SIGKILL cp in close: the burn completes" completed "$(cat "$D/status")"
	same_on_disc "SIGKILL cp in close: the burn" "$WORK/next.iso" "$img" "$start"
	ok "SIGKILL writer: daemon alive" kill -0 "$DAEMON_PID"
	no_san_report "SIGKILL writer"
	unmount_discfs
else
	fail "SIGKILL writer: mount"
fi

# (e) 8 concurrent readers of attributes during a burn.  The achieved
# rate is printed, not asserted.
img=$WORK/readers.img
if mount_discfs --emulate="dvd+rw,image=$img,timescale=$CLOCK" --poll-ms=200; then
	slow_plan "$D"
	rm -f "$WORK/stop-readers"
	readers=()
	for r in $(seq 8); do
		(
			n=0 bad=0
			while [ ! -e "$WORK/stop-readers" ]; do
				for f in status progress/rate progress/last_written_lba free_sectors media_status locked; do
					v=$(cat "$D/$f" 2>&1) && [ -n "$v" ] || { bad=$((bad + 1)); echo "$f: $v" >> "$WORK/reader-errors"; }
					n=$((n + 1))
				done
			done
			echo "$n $bad" > "$WORK/reader-$r"
		) &
		readers+=($!)
	done
	ok "8 readers: the burn succeeds" timeout 120 cp "$WORK/a.iso" "$D/burn"
	touch "$WORK/stop-readers"
	wait "${readers[@]}"
	status=$(cat "$D/status")
	contains "8 readers: completed" completed "$status"
	same_on_disc "8 readers: the burn" "$WORK/a.iso" "$img" 0
	total=0
	for r in $(seq 8); do
		read -r n bad < "$WORK/reader-$r" || { fail "8 readers: reader $r left no count"; continue; }
		[ "$n" -gt 0 ] && pass || fail "8 readers: reader $r read nothing"
		same "8 readers: reader $r errors" 0 "$bad"
		total=$((total + n))
	done
	echo "8 readers: $total reads during the burn; $status"
	no_san_report "8 readers"
	unmount_discfs
else
	fail "8 readers: mount"
fi

# (f) Two burns on two drives at once.
if mount_discfs --emulate="dvd+rw,image=$WORK/two0.img,timescale=$CLOCK" \
		--emulate="dvd-r,image=$WORK/two1.img,timescale=$CLOCK" --poll-ms=200; then
	slow_plan "$MNT/drive0"
	slow_plan "$MNT/drive1"
	w0=$(burn_slow_bg two0 "$WORK/a.iso" "$MNT/drive0/burn")
	w1=$(burn_slow_bg two1 "$WORK/a.iso" "$MNT/drive1/burn")
	ok "two drives: drive0 is writing" wait_writing "$MNT/drive0"
	contains "two drives: both write at once" writing "$(cat "$MNT/drive1/status")"
	wait_gone "$w0" 60 || fail "two drives: drive0's writer hangs"
	wait_gone "$w1" 60 || fail "two drives: drive1's writer hangs"
	same "two drives: drive0's burn succeeds" 0 "$(cat "$WORK/two0.rc" 2>/dev/null)"
	same "two drives: drive1's burn succeeds" 0 "$(cat "$WORK/two1.rc" 2>/dev/null)"
	same_on_disc "two drives: drive0" "$WORK/a.iso" "$WORK/two0.img" 0
	same_on_disc "two drives: drive1" "$WORK/a.iso" "$WORK/two1.img" 0
	no_san_report "two drives"
	unmount_discfs
else
	fail "two drives: mount"
fi
no_san_report "at exit"

finish
