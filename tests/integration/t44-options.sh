#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# No option is silently ignored (issue 12, point 11): each one either does
# what it says or makes discfs refuse to start with a message that names
# the problem.
#   - --poll-ms and --fifo-mib take whole numbers only (fuse_opt's %u read
#     "-5" as 4294967291);
#   - --emulate: an option given twice, a state the medium cannot be in
#     (a DVD+RW "closed", a CD-ROM "blank", an empty tray "appendable"),
#     an image whose .state describes another medium;
#   - --emulate-if-none is checked even when recorders are found;
#   - fault=power-calibration@N fires after N sectors, mid-burn;
#   - a medium put in through emulator/media is a new, blank disc.
# Emulator only: these are the emulator's and the command line's options.
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
make_iso 2 "$WORK/a.iso"

# refused WHAT MESSAGE ARGS...: discfs exits non-zero at once, saying MESSAGE,
# and mounts nothing.
refused() {
	local what=$1 message=$2 out rc
	shift 2
	mkdir -p "$MNT"
	out=$(timeout 20 "$DISCFS" -f "$@" "$MNT" 2>&1)
	rc=$?
	if mountpoint -q "$MNT"; then
		fusermount3 -u "$MNT"
		fail "$what: mounted"
	elif [ "$rc" -eq 0 ] || [ "$rc" -eq 124 ]; then
		fail "$what: exit $rc, expected a refusal"
	elif [[ "$out" != *"$message"* ]]; then
		fail "$what: expected '$message', got: $out"
	else
		pass
	fi
}

refused "--poll-ms=-5" "--poll-ms takes a whole number" --emulate=dvd+rw --poll-ms=-5
refused "--poll-ms=5x" "not '5x'" --emulate=dvd+rw --poll-ms=5x
refused "-o poll_ms=-1" "--poll-ms takes a whole number" --emulate=dvd+rw -o poll_ms=-1
refused "--fifo-mib=-1" "--fifo-mib takes a whole number from 1 to 4096" --emulate=dvd+rw --fifo-mib=-1
refused "--fifo-mib=0" "--fifo-mib takes a whole number from 1 to 4096" --emulate=dvd+rw --fifo-mib=0
refused "an emulator option twice" "given twice" --emulate="dvd+r,timescale=10,timescale=20"
refused "dvd+rw,state=closed" "no sessions to append or close" --emulate=dvd+rw,state=closed
refused "bd-re,state=appendable" "no sessions to append or close" --emulate=bd-re,state=appendable
refused "cd-rom,state=blank" "always closed" --emulate=cd-rom,state=blank
refused "none,state=closed" "empty tray" --emulate=none,state=closed
refused "a bad --emulate-if-none beside a recorder" "--emulate-if-none=floppy: unknown medium" \
	--emulate=dvd+rw --emulate-if-none=floppy

# An image burned as a DVD+R is not a CD-R.
mount_discfs --emulate="dvd+r,image=$WORK/disc.img,timescale=1000" --poll-ms=0 || { finish; exit 1; }
ok "burn a DVD+R image" cp "$WORK/a.iso" "$D/burn"
unmount_discfs
refused "an image whose .state says dvd+r, as cd-r" "says the image holds a dvd+r, not a cd-r" \
	--emulate="cd-r,image=$WORK/disc.img"
echo "garbage=1" > "$WORK/bad.img.state"
refused "an unreadable .state" "bad.img.state is not a layout" --emulate="cd-r,image=$WORK/bad.img"
mount_discfs --emulate="dvd+r,image=$WORK/disc.img,timescale=1000" --poll-ms=0 || { finish; exit 1; }
same "the same image as dvd+r still holds its session" 1 "$(cat "$D/sessions")"

# A medium put in by hand is a new disc: nothing of the one before shows.
ok "put a DVD+RW in" put "$D/emulator/media" dvd+rw
same "it is a DVD+RW" dvd+rw "$(cat "$D/media")"
contains "blank" blank "$(cat "$D/media_status")"
same "no volume from the DVD+R's image" "$(cat "$D/total_sectors")" "$(cat "$D/free_sectors")"
ok "back to a DVD-R" put "$D/emulator/media" dvd-r
same "a new DVD-R is blank: no session" 0 "$(cat "$D/sessions")"
ok "a state asked for is given" put "$D/emulator/media" "dvd-r closed"
contains "closed" closed "$(cat "$D/media_status")"
fails_with "Invalid argument" "a DVD+RW cannot be put in closed" put "$D/emulator/media" "dvd+rw closed"
contains "last_error says which states fit" "dvd+rw and bd-re are only ever blank" "$(cat "$D/last_error")"
unmount_discfs
refused "the DVD-R left in is what the image holds now" "says the image holds a dvd-r" \
	--emulate="dvd+r,image=$WORK/disc.img"

# power-calibration@N: the drive's running calibration fails after N sectors.
log=$WORK/opc.log
mount_discfs --emulate="dvd-r,image=$WORK/opc.img,timescale=1000,log=$log,fault=power-calibration@300" \
	--poll-ms=0 || { finish; exit 1; }
fails_with "Input/output error" "power-calibration@300: the burn fails" cp "$WORK/a.iso" "$D/burn"
contains "status names the calibration error" 3/73/03 "$(cat "$D/status")"
same "it fired on a WRITE" WRITE "$(awk '$6 == "3/73/03" { sub(/[0-9]+$/, "", $3); print $3 }' "$log")"
ok "after 300 sectors" test "$(awk '$3 ~ /^WRITE/ && $6 == "-" { n += $5 } END { print n + 0 }' "$log")" -ge 300
unmount_discfs

finish
