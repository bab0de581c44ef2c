#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Reading the disc back through driveN/disc: every medium compared with what
# was burned; multisession discs read whole and extended with genisoimage -M;
# a disc-to-disc copy; a damaged disc read up to the exact bad sector; no
# read during a burn; a media change during a read; mount -o loop; a
# dropped file read back.  On the emulator's virtual clock, or a fast one
# through libcdio (discfs then sleeps on the real clock, which a virtual
# one would never see pass).
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
CLOCK=virtual
is_cdio && CLOCK=1000

make_iso 3 "$WORK/a.iso"
A_BYTES=$(stat -c %s "$WORK/a.iso")
A_SECTORS=$((A_BYTES / 2048))

# next_session N: an ISO of one more file, to append to the disc in drive0.
next_session() {
	mkdir -p "$WORK/s$1"
	echo "session $1" > "$WORK/s$1/file$1.txt"
	genisoimage -quiet -R -C "$(cat "$D/msinfo")" -M "$D/disc" -o "$WORK/s$1.iso" "$WORK/s$1"
}

# Each medium: blank, one session, then more sessions where it takes them.
for media in cd-r cd-rw dvd-r dvd-rw dvd+r dvd+rw bd-r bd-re; do
	mount_discfs --emulate="$media,image=$WORK/$media.img,timescale=$CLOCK" --poll-ms=0 || { fail "$media: mount"; continue; }
	same "$media: a blank disc's file is empty" 0 "$(stat -c %s "$D/disc")"
	same "$media: and reads as nothing" 0 "$(cat "$D/disc" | wc -c)"
	ok "$media: burns" cp "$WORK/a.iso" "$D/burn"
	same "$media: disc is the size of the image" "$A_BYTES" "$(stat -c %s "$D/disc")"
	ok "$media: cmp image disc" cmp "$WORK/a.iso" "$D/disc"
	case $media in
	dvd+rw|bd-re)
		# The volume, not the formatted disc READ CAPACITY reports.
		ok "$media: far less than the disc" test "$(cat "$D/total_sectors")" -gt $((A_SECTORS * 100))
		;;
	*)
		sessions=2
		case $media in cd-r|dvd+r|bd-r) sessions=3 ;; esac
		for n in $(seq 2 $sessions); do
			ok "$media: genisoimage -M disc builds session $n" next_session "$n"
			nwa=$(cat "$D/next_writable_address")
			ok "$media: session $n burns" cp "$WORK/s$n.iso" "$D/burn"
			last=$(cat "$D/previous_session/last_written")
			same "$media: $n sessions read as the whole disc" $(((last + 1) * 2048)) "$(stat -c %s "$D/disc")"
			same_on_disc "$media: session $n read back" "$WORK/s$n.iso" "$D/disc" "$nwa"
			same_on_disc "$media: session 1 still there" "$WORK/a.iso" "$D/disc" 0
			listing=$(isoinfo -R -l -T "$(cat "$D/previous_session/start")" -i "$D/disc" 2>&1)
			for k in $(seq 2 "$n"); do
				contains "$media: session $n lists file$k.txt" "file$k.txt" "$listing"
			done
			contains "$media: session $n keeps session 1's files" data.bin "$listing"
		done
		;;
	esac
	unmount_discfs
done

# Pressed discs read whole: READ CAPACITY on a DVD-ROM, the TOC on a CD-ROM.
for media in cd-rom dvd-rom; do
	cp "$WORK/a.iso" "$WORK/$media.img"
	mount_discfs --emulate="$media,image=$WORK/$media.img,timescale=$CLOCK" --poll-ms=0 || { fail "$media: mount"; continue; }
	same "$media: disc is the size of the image" "$A_BYTES" "$(stat -c %s "$D/disc")"
	ok "$media: cmp image disc" cmp "$WORK/a.iso" "$D/disc"
	unmount_discfs
done

# A dropped file reads back what its burn put on the disc, in a later session too.
mount_discfs --emulate="dvd-r,image=$WORK/drop.img,timescale=$CLOCK" --poll-ms=0
ok "dropped: first file burns" cp "$WORK/a.iso" "$D/first.iso"
ok "dropped: cmp first.iso" cmp "$WORK/a.iso" "$D/first.iso"
session_iso "$D" "$D/disc" "$WORK/b.iso"
ok "dropped: a second file burns in a second session" cp "$WORK/b.iso" "$D/second.iso"
ok "dropped: cmp second.iso" cmp "$WORK/b.iso" "$D/second.iso"
# Both stay listed on this disc: the first still reads its own session.
ok "dropped: cmp first.iso after the second burn" cmp "$WORK/a.iso" "$D/first.iso"

# Nothing reads the disc while a burn holds the drive, not even a reader that
# opened it before.
session_iso "$D" "$D/disc" "$WORK/c.iso"
exec 4< "$D/disc"
exec 3> "$D/burn"
fails_with "Device or resource busy" "a read while a burn is open" cat "$D/disc"
fails_with "Device or resource busy" "a reader opened before the burn" head -c 2048 <&4
contains "last_error says why" "being written" "$(cat "$D/last_error")"
c_start=$(cat "$D/next_writable_address")
cat "$WORK/c.iso" >&3
exec 3>&-
exec 4<&-
contains "the burn held back from readers completes" completed "$(cat "$D/status")"
ok "after the burn the disc reads again" cmp -n "$A_BYTES" "$WORK/a.iso" "$D/disc"
same_on_disc "and holds that burn" "$WORK/c.iso" "$D/disc" "$c_start"

# A media change in the middle of a long read: the reader is told, and never
# gets the new disc's data as if it were the old one's.
exec 4< "$D/disc"
ok "a reader gets the start" dd bs=64k count=4 status=none of=/dev/null <&4
load_medium 0 dvd+r appendable
fails_with "No medium found" "the rest after a media change" dd bs=64k count=64 status=none of=/dev/null <&4
contains "last_error says the disc changed" "changed" "$(cat "$D/last_error")"
exec 4<&-
ok "the new disc reads when opened again" cmp -n "$A_BYTES" "$WORK/a.iso" "$D/disc"
load_medium 0 none
fails_with "No medium found" "an empty tray has no disc to open" cat "$D/disc"
same "an empty tray's disc file is empty" 0 "$(stat -c %s "$D/disc")"
unmount_discfs

# A disc-to-disc copy, streamed: cp from one drive's disc to the other's burn.
mount_discfs --emulate="dvd+r,image=$WORK/src.img,timescale=$CLOCK" \
	--emulate="bd-r,image=$WORK/dst.img,timescale=$CLOCK" --poll-ms=0
ok "copy: source burns" cp "$WORK/a.iso" "$D/burn"
ok "copy: cp drive0/disc drive1/burn" cp "$D/disc" "$MNT/drive1/burn"
ok "copy: byte for byte" cmp "$D/disc" "$MNT/drive1/disc"
# The kernel reads the disc through a loop device, and mounts it where it
# has an iso9660 file system (a kernel without it cannot mount any ISO).
LOOP=$(losetup -f --show -r "$D/disc" 2>"$WORK/losetup.err")
if [ -n "$LOOP" ]; then
	ok "the loop device reads the disc" cmp "$WORK/a.iso" "$LOOP"
	losetup -d "$LOOP"
else
	fail "losetup -r disc (needs root): $(cat "$WORK/losetup.err")"
fi
if grep -qw iso9660 /proc/filesystems; then
	mkdir -p "$WORK/look"
	ok "mount -o loop,ro disc" mount -o loop,ro "$D/disc" "$WORK/look"
	contains "the mounted disc lists its files" data.bin "$(ls "$WORK/look")"
	ok "and they read back" test "$(stat -c %s "$WORK/look/data.bin")" -eq 3145728
	umount "$WORK/look"
else
	echo "t55-read: NOTE: mount -o loop not tried: this kernel has no iso9660 file system"
fi
unmount_discfs

# A damaged disc: a short read, then EIO at exactly the unreadable sector;
# every sector after it still reads.
BAD=200
mount_discfs --emulate="dvd-r,image=$WORK/bad.img,timescale=$CLOCK,fault=unreadable@$BAD-$((BAD + 3))" --poll-ms=0
ok "damaged: burns" cp "$WORK/a.iso" "$D/burn"
fails_with "Input/output error" "damaged: dd stops with EIO" dd if="$D/disc" of="$WORK/rescued" bs=2048 status=none
same "damaged: dd copied every sector before it" $((BAD * 2048)) "$(stat -c %s "$WORK/rescued")"
contains "damaged: last_error names the LBA" "LBA $BAD cannot be read" "$(cat "$D/last_error")"
contains "damaged: and the sense" "sense 3/11/00" "$(cat "$D/last_error")"
fails_with "Input/output error" "damaged: cp stops there too" cp "$D/disc" "$WORK/cp-copy"
same "damaged: cp's short read kept the same sectors" $((BAD * 2048)) "$(stat -c %s "$WORK/cp-copy")"
ok "damaged: never filled with zeros" cmp -n $((BAD * 2048)) "$WORK/a.iso" "$WORK/rescued"
fails_with "Input/output error" "damaged: a read inside the damage" dd if="$D/disc" of=/dev/null bs=2048 skip=$((BAD + 2)) count=1 status=none
ok "damaged: what follows reads" dd if="$D/disc" of="$WORK/tail" bs=2048 skip=$((BAD + 4)) status=none
same "damaged: to the end" $((A_BYTES - (BAD + 4) * 2048)) "$(stat -c %s "$WORK/tail")"
same_on_disc "damaged: and is right" "$WORK/tail" "$WORK/a.iso" $((BAD + 4))
unmount_discfs

finish
