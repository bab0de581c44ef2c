#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Truth to the writer: every path where a bad burn could look like a good
# one.  A short image fails the writer's close() with EIO whatever its
# pattern of opens and closes; an image made for another address, or no
# image at all, is refused with EINVAL before a sector is written; DVD+RW
# and BD-RE take growisofs-style appends; status figures add up.  The
# README's "Truth to the writer" table lists the same cases.
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
# Fast, but a real clock: through libcdio discfs waits on the host clock,
# which a virtual one would never see move.
CLOCK=200
SEQUENTIAL=(cd-r cd-rw dvd-r dvd-rw dvd+r bd-r)
OVERWRITE=(dvd+rw bd-re)

make_iso 2 "$WORK/a.iso"
A_SECTORS=$(($(stat -c %s "$WORK/a.iso") / 2048))
head -c 1M "$WORK/a.iso" > "$WORK/short.iso"
mkdir -p "$WORK/new"
echo "the second session" > "$WORK/new/second.txt"
head -c 100000 /dev/urandom > "$WORK/photo.jpg"

writes_in() { grep -c ' WRITE' "$1"; }

# mount_medium MEDIA NAME: a fresh emulated MEDIA whose image and log are
# $WORK/NAME.img and $WORK/NAME.log.
mount_medium() {
	rm -f "$WORK/$2".*
	mount_discfs --emulate="$1,image=$WORK/$2.img,timescale=$CLOCK,log=$WORK/$2.log" --poll-ms=0
}

# 1. A short image fails at close(), on every writable medium.
for media in "${SEQUENTIAL[@]}" "${OVERWRITE[@]}"; do
	mount_medium "$media" "short-$media" || { fail "$media: mount"; continue; }
	fails_with "Input/output error" "$media: cp of a cut-off image fails" cp "$WORK/short.iso" "$D/burn"
	contains "$media: last_error says where it ended" "image ended at sector 512 of $A_SECTORS" \
		"$(cat "$D/last_error")"
	status=$(cat "$D/status")
	contains "$media: status says failed" "failed 512/$A_SECTORS sectors" "$status"
	case " ${OVERWRITE[*]} " in
	*" $media "*)
		contains "$media: status says no volume is left" "on the disc: no volume" "$status"
		contains "$media: the disc holds no volume" blank "$(cat "$D/media_status")"
		;;
	*)
		contains "$media: status says the session was closed" "on the disc: a closed session" "$status"
		contains "$media: the disc stays appendable" appendable "$(cat "$D/media_status")"
		;;
	esac
	unmount_discfs
done

# force_close does not finalize a disc around a cut-off image.
for media in cd-r dvd-r; do
	mount_medium "$media" "short-closed-$media" || { fail "$media: mount"; continue; }
	put "$D/force_close" 1
	fails_with "Input/output error" "$media, force_close 1: a cut-off image fails" cp "$WORK/short.iso" "$D/burn"
	contains "$media, force_close 1: the disc stays appendable" appendable "$(cat "$D/media_status")"
	unmount_discfs
done

# Every pattern of writing a short image, on one medium.
# On DVD+RW: a short image leaves no volume, so each pattern starts on a blank disc.
mount_medium dvd+rw patterns
fails_with "Input/output error" "dd count=3: close fails" \
	dd if="$WORK/a.iso" of="$D/burn" count=3 status=none
contains "before the volume descriptor" "image ended at sector 1, before its volume descriptor at sector 16" \
	"$(cat "$D/last_error")"
fails_with "Input/output error" "dd bs=512k count=3: close fails" \
	dd if="$WORK/a.iso" of="$D/burn" bs=512k count=3 status=none
contains "where it ended" "image ended at sector 768 of $A_SECTORS" "$(cat "$D/last_error")"
fails_with "Input/output error" "dd conv=fsync of a cut image fails" \
	dd if="$WORK/a.iso" of="$D/burn" bs=64k count=3 conv=fsync status=none
fails_with "Input/output error" "a pipe into cat > burn fails" \
	bash -c 'head -c 1M "$1" | cat > "$2"' _ "$WORK/a.iso" "$D/burn"
contains "and says where it ended" "image ended at sector 512" "$(cat "$D/last_error")"
# A volume descriptor that claims more sectors than the file holds.
cp "$WORK/a.iso" "$WORK/claims-more.iso"
printf "$(printf '\\x%02x\\x%02x' $(((A_SECTORS + 100) & 255)) $(((A_SECTORS + 100) >> 8)))" |
	dd of="$WORK/claims-more.iso" bs=1 seek=$((32768 + 80)) conv=notrunc status=none
fails_with "Input/output error" "an ISO claiming more than it holds fails" cp "$WORK/claims-more.iso" "$D/burn"
contains "at its real end" "image ended at sector $A_SECTORS of $((A_SECTORS + 100))" "$(cat "$D/last_error")"
# Closing a copy while another descriptor still writes ends nothing.
exec 3> "$D/burn"
head -c 1M "$WORK/a.iso" >&3
tail -c +$((1048576 + 1)) "$WORK/a.iso" >&3
exec 3>&-
contains "an image written through two processes' copies burns" completed "$(cat "$D/status")"
same_on_disc "and is whole" "$WORK/a.iso" "$WORK/patterns.img" "$(cat "$D/progress/start_lba")"
unmount_discfs

# 2. An image made for another address is refused before a sector is
# written; one made with -C for the next writable address burns.
for media in "${SEQUENTIAL[@]}"; do
	mount_medium "$media" "addr-$media" || { fail "$media: mount"; continue; }
	ok "$media: a first session" cp "$WORK/a.iso" "$D/burn"
	nwa=$(cat "$D/next_writable_address")
	writes=$(writes_in "$WORK/addr-$media.log")
	fails_with "Invalid argument" "$media: an image made for LBA 0 is refused" cp "$WORK/a.iso" "$D/burn"
	contains "$media: last_error gives the fix" 'made for LBA 0, the next writable address is '"$nwa"': make it with genisoimage -C "$(cat msinfo)" -M' "$(cat "$D/last_error")"
	genisoimage -quiet -R -J -C "0,$((nwa + 32))" -o "$WORK/wrong.iso" "$WORK/new" 2>/dev/null
	fails_with "Invalid argument" "$media: an image made for another -C address is refused" \
		cp "$WORK/wrong.iso" "$D/burn"
	same "$media: nothing was written" "$writes" "$(writes_in "$WORK/addr-$media.log")"
	same "$media: the next writable address stayed" "$nwa" "$(cat "$D/next_writable_address")"
	genisoimage -quiet -R -J -C "$(cat "$D/msinfo")" -M "$WORK/addr-$media.img" -o "$WORK/next.iso" \
		"$WORK/new" 2>/dev/null
	ok "$media: an image made with -C msinfo burns" cp "$WORK/next.iso" "$D/burn"
	same "$media: at the next writable address" "$nwa" "$(cat "$D/progress/start_lba")"
	unmount_discfs
done

# 3. Appending on overwrite media, as growisofs does: an image made with -C
# for the end of the volume goes there, and its descriptors to LBA 16.
for media in "${OVERWRITE[@]}" dvd-rw; do
	mount_medium "$media" "grow-$media" || { fail "$media: mount"; continue; }
	img=$WORK/grow-$media.img
	if [ "$media" = dvd-rw ]; then
		ok "dvd-rw: format to restricted overwrite" put "$D/format" 1
		contains "dvd-rw: now overwrite-only" overwrite-only "$(cat "$D/media_status")"
	fi
	total=$(cat "$D/total_sectors")
	# Restricted overwrite is written in whole 16-sector blocks.
	blocks() { if [ "$media" = dvd-rw ]; then echo $((($1 + 15) / 16 * 16)); else echo "$1"; fi; }
	ok "$media: a first volume" cp "$WORK/a.iso" "$D/burn"
	first=$(blocks "$A_SECTORS")
	same "$media: msinfo" "0,$first" "$(cat "$D/msinfo")"
	genisoimage -quiet -R -J -C "$(cat "$D/msinfo")" -M "$img" -o "$WORK/grow.iso" "$WORK/new" 2>/dev/null
	G_SECTORS=$(($(stat -c %s "$WORK/grow.iso") / 2048))
	ok "$media: an image made with -C msinfo appends" cp "$WORK/grow.iso" "$D/burn"
	same "$media: at the end of the volume" "$first" "$(cat "$D/progress/start_lba")"
	same_on_disc "$media: the appended image" "$WORK/grow.iso" "$img" "$first"
	listing=$(isoinfo -R -l -i "$img" 2>&1)
	contains "$media: isoinfo lists the new file" second.txt "$listing"
	contains "$media: and the old one" data.bin "$listing"
	contains "$media: xorriso reads the merged volume" second.txt \
		"$(xorriso -indev "$img" -ls / 2>/dev/null)"
	end=$((first + $(blocks "$G_SECTORS")))
	same "$media: msinfo follows" "0,$end" "$(cat "$D/msinfo")"
	same "$media: next_writable_address follows" "$end" "$(cat "$D/next_writable_address")"
	same "$media: free_sectors follows" $((total - end)) "$(cat "$D/free_sectors")"
	same "$media: one session, as growisofs leaves it" 1 "$(cat "$D/sessions")"
	fails_with "File exists" "$media: a plain image is not written over it" cp "$WORK/a.iso" "$D/burn"
	ok "$media: force_overwrite" put "$D/force_overwrite" 1
	ok "$media: a plain image with force_overwrite replaces the disc" cp "$WORK/a.iso" "$D/burn"
	same "$media: from LBA 0" 0 "$(cat "$D/progress/start_lba")"
	same "$media: msinfo is the new volume's" "0,$first" "$(cat "$D/msinfo")"
	unmount_discfs
done

# 4. Only ISO 9660 and UDF images, unless raw is 1.
for media in "${SEQUENTIAL[@]}" "${OVERWRITE[@]}"; do
	mount_medium "$media" "raw-$media" || { fail "$media: mount"; continue; }
	same "$media: raw defaults to 0" 0 "$(cat "$D/raw")"
	fails_with "Invalid argument" "$media: a photo is refused" cp "$WORK/photo.jpg" "$D/burn"
	contains "$media: last_error says why" "not an ISO 9660 or UDF image" "$(cat "$D/last_error")"
	# Dropped on the drive directory instead, it is a file for the next
	# session: staged, not burned.
	ok "$media: a dropped photo is taken" cp "$WORK/photo.jpg" "$D/"
	ok "$media: and staged in files/" cmp "$WORK/photo.jpg" "$D/files/photo.jpg"
	ok "$media: discard empties the stage again" put "$D/discard" 1
	fails_with "Invalid argument" "$media: and truncate -s 1M" truncate -s 1M "$D/burn"
	echo 1 > "$D/burn"
	contains "$media: echo 1 > burn is refused" "failed 0/? sectors: EIO: the image is incomplete: image ended at sector 1, before" \
		"$(cat "$D/status")"
	same "$media: nothing was written" 0 "$(writes_in "$WORK/raw-$media.log")"
	contains "$media: the disc is still blank" blank "$(cat "$D/media_status")"
	unmount_discfs
done
mount_medium dvd+r raw
ok "raw 1" put "$D/raw" 1
ok "raw 1 burns any bytes" cp "$WORK/photo.jpg" "$D/burn"
contains "and says completed" completed "$(cat "$D/status")"
same_on_disc "the photo is on the disc" "$WORK/photo.jpg" "$WORK/raw.img" "$(cat "$D/progress/start_lba")"
ok "raw 0" put "$D/raw" 0
# A UDF image is an image: its volume recognition sequence (ECMA-167 2/9.1)
# is BEA01, NSR02, TEA01 at sectors 16 to 18.
head -c 1M /dev/urandom > "$WORK/udf.img"
for id in BEA01:16 NSR02:17 TEA01:18; do
	{ printf '\0%s\1' "${id%:*}"; head -c 2041 /dev/zero; } |
		dd of="$WORK/udf.img" bs=2048 seek="${id#*:}" conv=notrunc status=none
done
ok "a UDF image burns" cp "$WORK/udf.img" "$D/burn"
# An empty open and close burns nothing and leaves status as it was.
before=$(cat "$D/status")
writes=$(writes_in "$WORK/raw.log")
touch "$D/burn"
: > "$D/burn"
cp /dev/null "$D/burn"
same "an empty open leaves status as it was" "$before" "$(cat "$D/status")"
same "and writes nothing" "$writes" "$(writes_in "$WORK/raw.log")"
unmount_discfs

# 5. A crash mid-burn: the emulator keeps what it wrote (its .state follows
# the burn), the remounted disc shows a damaged track, `close` closes it and
# the disc takes the next session; no sector is written twice.
make_iso 4 "$WORK/big.iso"
crash_case() {
	local media=$1 img=$WORK/crash-$1.img log=$WORK/crash-$1.log writer lba nwa written
	rm -f "$img" "$img.state" "$log"
	mount_discfs --emulate="$media,image=$img,timescale=$CLOCK,log=$log" --poll-ms=0 || { fail "$media: mount"; return; }
	# The writer sends 3 MiB and holds the stream open: the burn waits
	# for the rest, its track open, when the daemon dies.
	bash -c 'exec 3>"$1"; head -c 3145728 "$2" >&3; exec sleep 600' _ "$D/burn" "$WORK/big.iso" &
	writer=$!
	for _ in $(seq 300); do
		lba=$(cat "$D/progress/last_written_lba" 2>/dev/null)
		[ -n "$lba" ] && [ "$lba" -ge 1535 ] && break
		sleep 0.1
	done
	contains "$media: the burn is writing" writing "$(cat "$D/status")"
	crash_discfs
	kill "$writer" 2>/dev/null
	wait "$writer" 2>/dev/null
	ok "$media: the layout was saved as the burn went" grep -q '^track=0 [0-9]* 1 open' "$img.state"
	written=$(awk '$3 ~ /^WRITE/ && $6 == "-" { end = $4 + $5 } END { print end + 0 }' "$log")
	log=$WORK/crash-$1.after.log

	mount_discfs --emulate="$media,image=$img,timescale=$CLOCK,log=$log" --poll-ms=0 || { fail "$media: remount"; return; }
	contains "$media: remounted, the disc shows a damaged track" damaged "$(cat "$D/media_status")"
	contains "$media: last_error says what it found" "track 1 (from sector 0) is incomplete" "$(cat "$D/last_error")"
	local writes
	writes=$(grep -c ' WRITE' "$log")
	fails_with "Input/output error" "$media: a burn on it is refused" cp "$WORK/a.iso" "$D/burn"
	contains "$media: saying how to recover" "echo 1 > close" "$(cat "$D/last_error")"
	same "$media: nothing was written" "$writes" "$(grep -c ' WRITE' "$log")"
	ok "$media: echo 1 > close closes the damaged track and session" put "$D/close" 1
	contains "$media: the disc is appendable" appendable "$(cat "$D/media_status")"
	nwa=$(cat "$D/next_writable_address")
	ok "$media: the next address is past all that was written ($written)" test "$nwa" -ge "$written"
	if cmp -s -n $((written * 2048)) "$WORK/big.iso" "$img"; then pass; else fail "$media: the damaged track is not the image's start"; fi
	genisoimage -quiet -R -J -C "$(cat "$D/msinfo")" -o "$WORK/after.iso" "$WORK/new" 2>/dev/null
	ok "$media: the next session burns" cp "$WORK/after.iso" "$D/burn"
	same "$media: at the next writable address" "$nwa" "$(cat "$D/progress/start_lba")"
	if cmp -s -n $((written * 2048)) "$WORK/big.iso" "$img"; then pass; else fail "$media: a written sector was written again"; fi
	unmount_discfs
}
for media in dvd+r cd-r dvd-r bd-r; do crash_case "$media"; done

# 6. Status figures add up.
cat "$WORK/a.iso" "$WORK/photo.jpg" > "$WORK/longer.iso"
L_SECTORS=$((($(stat -c %s "$WORK/longer.iso") + 2047) / 2048))
mount_medium dvd-r figures
put "$D/verify" full
ok "an image longer than its volume burns" cp "$WORK/longer.iso" "$D/burn"
contains "status counts what was written" "completed, verified $L_SECTORS/$L_SECTORS sectors" "$(cat "$D/status")"
same "the drive buffer is empty after the burn" 0 "$(cat "$D/progress/drive_buffer_used")"
fails_with "Invalid argument" "zeros after an image burn are no image either" truncate -s 1M "$D/burn"
unmount_discfs
# Closing a DVD session takes the drive 30 s (3 s on a clock 10 times fast):
# status says so instead of "0s left".
genisoimage -quiet -R -J -o "$WORK/small.iso" "$WORK/new"
mount_discfs --emulate="dvd+r,timescale=10" --poll-ms=0 || fail "finalizing: mount"
cp "$WORK/small.iso" "$D/burn" &
writer=$!
for _ in $(seq 300); do [ "$(cat "$D/progress/action")" = finalizing ] && break; sleep 0.1; done
status=$(cat "$D/status")
contains "while closing, status says finalizing" "finalizing" "$status"
contains "and what the drive is doing" "the drive is closing the track and session" "$status"
if [[ $status == *"s left"* ]]; then fail "no time left is claimed while closing: $status"; else pass; fi
wait "$writer"
same "the burn completes" 0 "$?"
contains "and says so" completed "$(cat "$D/status")"
unmount_discfs

finish
