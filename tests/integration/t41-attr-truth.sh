#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The attribute files tell the truth (issue 12, points 7 to 10):
#   - one value per open, in one write at offset 0: a value sent in pieces
#     (dd bs=1) or a second write fails with EINVAL and changes nothing,
#     not even what the open's first write set;
#   - last_error is the last failed operation: a read with nothing to show
#     (msinfo on a blank disc) leaves it alone, a new operation clears it,
#     and status keeps a failed operation's reason all the same;
#   - speeds outside the medium's descriptors fail with ERANGE, and
#     last_error gives the range;
#   - mkdir, rmdir, ln -s, ln and mkfifo give EPERM; every xattr call
#     ENOTSUP; directory link counts are 2 + subdirectories (all/ and
#     last_burn/ among them); status and
#     progress show when they changed, values that did not keep their time;
#   - the files dropped into driveN/ are all listed, until the disc goes
#     (tray opened, another medium, an erase).
# Runs through libcdio too (t35-cdio-suite.sh).
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
RW=$MNT/drive1

make_iso 1 "$WORK/a.iso"

# errno_of PYTHON-STATEMENTS: runs them with os and fd ready; prints "ok"
# or the errno name of the first failure.
errno_of() {
	python3 - "$@" <<'EOF'
import errno, os, sys
try:
    exec(sys.argv[1])
    print("ok")
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e.errno)))
EOF
}

mount_discfs --emulate="dvd+r,timescale=1000" --emulate="cd-rw,timescale=1000" --poll-ms=0 || { finish; exit 1; }

supported=$(cat "$D/write_speed/supported")
lo=$(echo "$supported" | head -n 1 | cut -d' ' -f1)
hi=$(echo "$supported" | tail -n 1 | cut -d' ' -f1)

# --- 7. One value per open ---------------------------------------------
put "$D/write_speed/starting" "$hi"
fails_with "Numerical result out of range" "echo N | dd bs=1: its first byte is no speed" \
	bash -c "echo $lo | dd of='$D/write_speed/starting' bs=1 2>&1"
same "echo N | dd bs=1 leaves the old speed" "$hi" "$(cat "$D/write_speed/starting")"
put "$D/force_close" 0
fails_with "Invalid argument" "printf 1x | dd bs=1 fails" bash -c "printf 1x | dd of='$D/force_close' bs=1 2>&1"
same "printf 1x | dd bs=1: the first byte's 1 is taken back" 0 "$(cat "$D/force_close")"
same "write(lo) then write(00) in one open: the second fails" EINVAL \
	"$(errno_of "fd = os.open('$D/write_speed/starting', os.O_WRONLY); os.write(fd, b'$lo'); os.write(fd, b'00')")"
same "... and the first is taken back" "$hi" "$(cat "$D/write_speed/starting")"
contains "... and last_error says why" "one value per open" "$(cat "$D/last_error")"
same "a write at offset 5 fails" EINVAL \
	"$(errno_of "fd = os.open('$D/verify', os.O_WRONLY); os.pwrite(fd, b'full', 5)")"
same "... and changes nothing" none "$(cat "$D/verify")"
same "two writes to verify: the second fails" EINVAL \
	"$(errno_of "fd = os.open('$D/verify', os.O_WRONLY); os.write(fd, b'full'); os.write(fd, b'\n')")"
same "... and verify is as it was" none "$(cat "$D/verify")"
put "$D/verify" quick
same "one write sets verify" quick "$(cat "$D/verify")"
put "$D/verify" none
# all/members too, with all/last_error.
A=$MNT/all
same "all/members: both recorders by default" "drive0 drive1" "$(cat "$A/members")"
same "write(drive1) then write( drive0) to all/members: the second fails" EINVAL \
	"$(errno_of "fd = os.open('$A/members', os.O_WRONLY); os.write(fd, b'drive1'); os.write(fd, b' drive0')")"
same "... and the first is taken back" "drive0 drive1" "$(cat "$A/members")"
contains "... and all/last_error says why" "one value per open" "$(cat "$A/last_error")"
put "$A/members" drive1
same "one write chooses the members" drive1 "$(cat "$A/members")"
same "... and clears all/last_error" none "$(cat "$A/last_error")"
put "$A/members" all

# --- 8. last_error: the last failed operation -------------------------
put "$D/force_close" 0
same "a successful store: last_error none" none "$(cat "$D/last_error")"
fails_with "No data available" "msinfo on a blank disc: ENODATA" cat "$D/msinfo"
same "a read with nothing to show leaves last_error alone" none "$(cat "$D/last_error")"
fails_with "Invalid argument" "a bad value: EINVAL" put "$D/verify" sometimes
contains "the failed store is last_error" "EINVAL" "$(cat "$D/last_error")"
cat "$D/msinfo" >/dev/null 2>&1
contains "a read after it does not change that" "EINVAL" "$(cat "$D/last_error")"
ok "then a burn succeeds" cp "$WORK/a.iso" "$D/burn"
same "the burn cleared last_error" none "$(cat "$D/last_error")"
contains "status: completed" completed "$(cat "$D/status")"
# A failed operation keeps its reason in status when a store clears last_error.
fails_with "Wrong medium type" "close on a blank CD-RW fails" put "$RW/close" 1
contains "last_error says why" "nothing to close" "$(cat "$RW/last_error")"
put "$RW/verify" none
same "a later store clears last_error" none "$(cat "$RW/last_error")"
contains "status still says why the close failed" "close failed: EMEDIUMTYPE" "$(cat "$RW/status")"
contains "... with the reason" "nothing to close" "$(cat "$RW/status")"

# --- 9. Speeds within the descriptors ---------------------------------
for bad in 1 4 $((lo / 2)) $((hi * 2)) 1x 100x; do
	fails_with "Numerical result out of range" "write_speed '$bad' refused" put "$D/write_speed/starting" "$bad"
	fails_with "Numerical result out of range" "write_speed/ending '$bad' refused" put "$D/write_speed/ending" "$bad"
done
contains "last_error gives the range" "$lo to $hi sectors/s" "$(cat "$D/last_error")"
contains "... on this medium" "dvd+r" "$(cat "$D/last_error")"
same "the old value stays" "$hi" "$(cat "$D/write_speed/starting")"
for good in "$lo" "$hi" auto max -1 2.4x 16x; do
	ok "write_speed '$good' taken" put "$D/write_speed/starting" "$good"
done
put "$D/write_speed/starting" auto
put "$D/write_speed/ending" auto
cd_lo=$(head -n 1 "$RW/write_speed/supported" | cut -d' ' -f1)
fails_with "Numerical result out of range" "the CD-RW's own range: 2x refused" put "$RW/write_speed/starting" 2x
ok "the CD-RW's own range: its slowest taken" put "$RW/write_speed/starting" "$cd_lo"

# --- 10. Small things -------------------------------------------------
ok "mkdir on the drive stages a folder (a dropped folder)" mkdir "$D/new"
ok "... which is in files/" test -d "$D/files/new"
ok "... and rmdir on the drive takes it back" rmdir "$D/new"
ok "... from files/ too" test ! -e "$D/files/new"
fails_with "File exists" "mkdir over a file of the tree: EEXIST" mkdir "$D/status"
fails_with "Operation not permitted" "mkdir at the root: EPERM" mkdir "$MNT/drive9"
fails_with "Operation not permitted" "rmdir: EPERM" rmdir "$D/progress"
fails_with "Operation not permitted" "ln -s into the tree's own folders: EPERM" ln -s status "$D/progress/link"
fails_with "Operation not permitted" "ln: EPERM" ln "$D/status" "$D/status2"
fails_with "Operation not permitted" "mkfifo (mknod): EPERM" mkfifo "$D/fifo"
for f in burn status files; do
	same "setxattr on $f: ENOTSUP" ENOTSUP "$(errno_of "os.setxattr('$D/$f', 'user.x', b'1')")"
	same "getxattr on $f: ENOTSUP" ENOTSUP "$(errno_of "os.getxattr('$D/$f', 'user.x')")"
	same "listxattr on $f: ENOTSUP" ENOTSUP "$(errno_of "os.listxattr('$D/$f')")"
	same "removexattr on $f: ENOTSUP" ENOTSUP "$(errno_of "os.removexattr('$D/$f', 'user.x')")"
done
subdirs=$(find "$D" -mindepth 1 -maxdepth 1 -type d | wc -l)
ok "a drive directory has subdirectories" test "$subdirs" -ge 3
same "a drive directory's links: 2 + its subdirectories" $((2 + subdirs)) "$(stat -c %h "$D")"
same "the root's links: 2 + its drives and all/" 5 "$(stat -c %h "$MNT")"
same "a leaf directory's links" 2 "$(stat -c %h "$D/progress")"
same "last_burn/'s links" 2 "$(stat -c %h "$D/last_burn")"
same "all/'s links: 2 + files/" 3 "$(stat -c %h "$MNT/all")"

# Times: what changes shows when; what does not keeps its time.
status_was=$(stat -c %.9Y "$D/status")
start_was=$(stat -c %.9Y "$D/progress/start_lba")
vendor_was=$(stat -c %.9Y "$D/vendor")
# Each burn after the first is an image made for the next session.
session_iso "$D" "$D/disc" "$WORK/b.iso"
ok "a second burn" cp "$WORK/b.iso" "$D/burn"
newer() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
ok "status's time moved with it" newer "$(stat -c %.9Y "$D/status")" "$status_was"
ok "progress/start_lba's too (the session after the first)" newer "$(stat -c %.9Y "$D/progress/start_lba")" "$start_was"
same "vendor's did not" "$vendor_was" "$(stat -c %.9Y "$D/vendor")"
ok "a value first looked at after it changed is dated too" \
	newer "$(stat -c %.9Y "$D/progress/last_written_lba")" "$vendor_was"
was=$(stat -c %.9Y "$D/status")
same "an unchanged status keeps its time" "$was" "$(stat -c %.9Y "$D/status")"

# Every drop of this disc is listed, and none of the one before.
session_iso "$D" "$D/disc" "$WORK/first.iso"
ok "drop a file" cp "$WORK/first.iso" "$D/first.iso"
session_iso "$D" "$D/disc" "$WORK/second.iso"
ok "drop another" cp "$WORK/second.iso" "$D/second.iso"
same "both drops are listed" "first.iso second.iso" "$(cd "$D" && echo *.iso)"
same "with their sizes" "$(stat -c %s "$WORK/first.iso")" "$(stat -c %s "$D/first.iso")"
put "$D/tray" open
put "$D/tray" closed
same "a disc out and in again: the drops are forgotten" "*.iso" "$(cd "$D" && echo *.iso)"
ok "a drop on the CD-RW" cp "$WORK/a.iso" "$RW/old.iso"
same "listed" old.iso "$(cd "$RW" && echo *.iso)"
ok "erase it" put "$RW/erase" fast
same "after an erase the old name is gone" "*.iso" "$(cd "$RW" && echo *.iso)"
if ! is_cdio; then
	session_iso "$D" "$D/disc" "$WORK/third.iso"
	ok "a drop on the DVD+R" cp "$WORK/third.iso" "$D/third.iso"
	put "$D/emulator/media" dvd+r
	same "another medium: the old name is gone" "*.iso" "$(cd "$D" && echo *.iso)"
fi

ok "daemon alive" kill -0 "$DAEMON_PID"
unmount_discfs
finish
