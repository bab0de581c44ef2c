#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Burning files and folders: a tree staged in driveN/files (cp -a, mkdir,
# mv, rm, gio), mastered on the fly with libisofs and burned by commit on
# every writable medium; each disc read back with xorriso and isoinfo from
# the emulator's image (names, sizes, bytes, modes, times, symlinks); space
# (staged_sectors, df, ENOSPC), discard, the volume label, a restart that
# keeps what was staged, cancel and EBUSY during a commit.
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
STAGE=$WORK/staging   # where lib.sh keeps staged files
# The emulator's virtual clock moves only under discfs's own emulator
# transport; through libcdio and vdrive a fast clock stands in for it.
CLOCK=virtual
is_cdio && CLOCK=1000
LONG=$(printf 'n%.0s' $(seq 100))
UTF8='Fotos 2026 — été, 日本'

# The tree every medium gets: deep folders, UTF-8 and 100-character
# names, empty files, symlinks, modes and times of its own.
SRC=$WORK/src
mkdir -p "$SRC/deep/1/2/3/4/5/6/7/8/9" "$SRC/$UTF8" "$SRC/empty dir"
echo "at the bottom" > "$SRC/deep/1/2/3/4/5/6/7/8/9/leaf.txt"
head -c 300000 /dev/urandom > "$SRC/$UTF8/photo.jpg"
echo "long name" > "$SRC/$LONG"
: > "$SRC/empty"
head -c 5000 /dev/urandom > "$SRC/script.sh"
chmod 0750 "$SRC/script.sh"
chmod 0600 "$SRC/empty"
ln -s "$UTF8/photo.jpg" "$SRC/link"
touch -d '2021-06-15 12:34:56' "$SRC/$UTF8/photo.jpg" "$SRC/$LONG"
touch -d '2019-01-01 00:00:00' "$SRC/deep/1/2/3/4/5/6/7/8/9"

# What a second session changes, and the tree it makes with the first.
CHANGES=$WORK/changes
mkdir -p "$CHANGES/deep/1" "$CHANGES/added folder"
echo "replaced" > "$CHANGES/$LONG"
echo "new in an old folder" > "$CHANGES/deep/1/new.txt"
head -c 70000 /dev/urandom > "$CHANGES/added folder/data.bin"
touch -d '2022-03-04 05:06:07' "$CHANGES/$LONG"
touch -d '2023-01-01 00:00:00' "$CHANGES/deep/1" "$CHANGES/deep"
chmod 0700 "$CHANGES/deep"
SRC2=$WORK/src2
cp -a "$SRC/." "$SRC2/"
cp -a "$CHANGES/." "$SRC2/"
rm -r "$SRC2/script.sh" "$SRC2/empty dir"

# One line per entry: path, type, mode, size (files), mtime (not of
# symlinks, whose own time no tool keeps), link target.
listing() {
	(cd "$1" && find . -mindepth 1 | sort | while read -r f; do
		if [ -L "$f" ]; then
			echo "$f link $(readlink "$f")"
		elif [ -d "$f" ]; then
			echo "$f dir $(stat -c '%a %Y' "$f")"
		else
			echo "$f file $(stat -c '%a %s %Y' "$f")"
		fi
	done)
}

# extract IMAGE OUT [-load sbsector LBA]: the tree of the disc's first (or
# LBA's) session, as xorriso restores it.
extract() {
	rm -rf "$2"
	xorriso -osirrox on -indev "$1" "${@:3}" -extract / "$2" >/dev/null 2>&1 && chmod u+rwx "$2"
}

# mount_medium MEDIA IMAGE [MORE]: MORE adds to the emulator's spec.
mount_medium() {
	mount_discfs --emulate="$1,image=$2,timescale=$CLOCK${3:+,$3}" --poll-ms=0
}

for media in cd-r cd-rw dvd-r dvd-rw dvd+r dvd+rw bd-r bd-re; do
	img=$WORK/$media.img
	rm -rf "$STAGE" "$img.first"
	mount_medium "$media" "$img" || { fail "$media: mount"; continue; }
	ok "$media: cp -a stages the tree" cp -a "$SRC/." "$D/files/"
	same "$media: files/ lists it" "$(listing "$SRC")" "$(listing "$D/files")"
	staged=$(cat "$D/staged_sectors")
	ok "$media: staged_sectors counts the data" test "$staged" -ge $((300000 / 2048 + 3))
	free=$(cat "$D/free_sectors")
	ok "$media: df counts the staged files as used" test "$(stat -f -c %f "$D")" -le $((free - staged))
	ok "$media: and not much more" test "$(stat -f -c %f "$D")" -ge $((free - 2 * staged - 200))
	put "$D/volume_label" "Holiday 2026"
	# verify also checks the MD5 the session records, read back through the drive.
	put "$D/verify" full
	ok "$media: commit burns the staged tree" put "$D/commit" 1
	same "$media: status says completed and verified" "completed, verified $staged/$staged sectors" \
		"$(cut -d' ' -f1-4 < "$D/status")"
	# Reading the session back for its MD5 reads ahead past its end: that is
	# no error of the commit's.
	same "$media: last_error is none after a good commit with verify=full" none "$(cat "$D/last_error")"
	same "$media: the session was staged_sectors long" "$staged" "$(cat "$D/progress/sector_count")"
	same "$media: staged_sectors is 0 again" 0 "$(cat "$D/staged_sectors")"
	same "$media: the label is the default again" DISCFS "$(cat "$D/volume_label")"
	# The first session as it is, for reading back below.
	cp --sparse=always "$img" "$img.first"
	# A second session adds a folder and a file, replaces one and removes
	# two; the disc's other files stay, referenced where they are.  Write-once
	# media take it as a new session at the next writable address; DVD+RW
	# and BD-RE grow their volume, the new descriptors at sector 16 last.
	# files/ shows the disc's tree, read back through the drive.
	same "$media: files/ lists the disc" "$(listing "$SRC")" "$(listing "$D/files")"
	ok "$media: its files read back through the drive" diff -r "$SRC" "$D/files"
	nwa=$(cat "$D/next_writable_address")
	overwrite=
	if [ "$media" = dvd+rw ] || [ "$media" = bd-re ]; then
		overwrite=1
		nwa=$(((staged + 31) / 32 * 32))
	fi
	ok "$media: cp -a stages the changes" cp -a "$CHANGES/." "$D/files/"
	ok "$media: rm leaves a file of the disc out" rm "$D/files/script.sh"
	ok "$media: rmdir a folder" rmdir "$D/files/empty dir"
	fails_with "Directory not empty" "$media: not one with files" rmdir "$D/files/$UTF8"
	fails_with "Read-only file system" "$media: the disc's files change only whole" \
		dd if=/dev/zero of="$D/files/$UTF8/photo.jpg" bs=1 count=1 conv=notrunc status=none
	same "$media: files/ lists the next session" "$(listing "$SRC2")" "$(listing "$D/files")"
	ok "$media: commit appends a session" put "$D/commit" 1
	cat "$D/progress/sector_count" > "$WORK/sectors"
	same "$media: at the next writable address" "$nwa" "$(cat "$D/progress/start_lba")"
	if [ -z "$overwrite" ]; then
		same "$media: two sessions" 2 "$(cat "$D/sessions")"
	else
		same "$media: the volume grew" $((nwa + $(cat "$WORK/sectors"))) \
			$(($(cat "$D/total_sectors") - $(cat "$D/free_sectors")))
	fi
	same "$media: files/ lists the new session" "$(listing "$SRC2")" "$(listing "$D/files")"
	ok "$media: and reads it back" diff -r "$SRC2" "$D/files"
	unmount_discfs
	if [[ $media == cd-* ]]; then
		ok "$media: 150 zero sectors end the session, against TAO read-ahead" \
			cmp -n $((150 * 2048)) /dev/zero <(tail -c +$(((staged - 150) * 2048 + 1)) "$img.first")
	fi
	info=$(isoinfo -d -i "$img.first")
	contains "$media: isoinfo finds the label" "Volume id: HOLIDAY_2026" "$info"
	contains "$media: with Rock Ridge" "Rock Ridge signatures" "$info"
	contains "$media: and Joliet" "Joliet with UCS level 3" "$info"
	names=$(isoinfo -R -f -i "$img.first")
	contains "$media: isoinfo reads the 100-character name" "/$LONG" "$names"
	contains "$media: and the UTF-8 one" "/$UTF8/photo.jpg" "$names"
	contains "$media: and the deep one" "/deep/1/2/3/4/5/6/7/8/9/leaf.txt" "$names"
	ok "$media: xorriso checks its MD5" xorriso -md5 on -indev "$img.first" -check_md5 FAILURE --
	ok "$media: xorriso extracts the disc" extract "$img.first" "$WORK/out"
	same "$media: names, types, modes, sizes, times" "$(listing "$SRC")" "$(listing "$WORK/out")"
	ok "$media: bytes" diff -r "$SRC" "$WORK/out"
	if [ -z "$overwrite" ]; then
		ok "$media: xorriso checks the second session's MD5" \
			xorriso -md5 on -indev "$img" -load sbsector "$nwa" -check_md5 FAILURE --
		ok "$media: xorriso extracts the second session" extract "$img" "$WORK/out" -load sbsector "$nwa"
	else
		ok "$media: xorriso checks the grown volume's MD5" xorriso -md5 on -indev "$img" -check_md5 FAILURE --
		contains "$media: sector 16 describes the grown volume" \
			"Volume size is: $((nwa + $(cat "$WORK/sectors")))" "$(isoinfo -d -i "$img")"
		ok "$media: xorriso extracts the grown volume" extract "$img" "$WORK/out"
	fi
	same "$media: second session: old and new files" "$(listing "$SRC2")" "$(listing "$WORK/out")"
	ok "$media: second session: bytes" diff -r "$SRC2" "$WORK/out"
done

# Space: a write that would not fit fails at that write, nothing else.
mount_medium cd-r "$WORK/space.img"
ok "cd-r: a small file stages" cp "$SRC/script.sh" "$D/files/"
fails_with "No space left on device" "a file past the disc's end" \
	dd if=/dev/zero of="$D/files/huge" bs=1M seek=800 count=1 conv=notrunc status=none
contains "last_error says why" "E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA" "$(cat "$D/last_error")"
fails_with "No space left on device" "a sparse file past the disc's end" truncate -s 800M "$D/files/huge"
ok "what fits still stages" truncate -s 100M "$D/files/huge"
ok "df follows" test "$(stat -f -c %f "$D")" -le $(($(cat "$D/free_sectors") - 51200))
# Bad input changes nothing.
fails_with "Invalid argument" "commit takes 1" put "$D/commit" 2
fails_with "Numerical result out of range" "a 33-byte label" put "$D/volume_label" "$(printf 'L%.0s' $(seq 33))"
same "the label is unchanged" DISCFS "$(cat "$D/volume_label")"
fails_with "Operation not permitted" "no folder among the tree's folders" mkdir "$D/progress/folder"
fails_with "Invalid cross-device link" "nothing moves out of files/" \
	python3 -c 'import os, sys; os.rename(sys.argv[1], sys.argv[2])' "$D/files/script.sh" "$D/script.sh"
# discard forgets everything.
put "$D/volume_label" "Scratch"
ok "discard" put "$D/discard" 1
same "files/ is empty" "" "$(ls -A "$D/files")"
same "staged_sectors is 0" 0 "$(cat "$D/staged_sectors")"
same "df is the disc's free space again" "$(cat "$D/free_sectors")" "$(stat -f -c %f "$D")"
same "the label is forgotten" DISCFS "$(cat "$D/volume_label")"
fails_with "No data available" "commit with nothing staged" put "$D/commit" 1
same "the disc stays blank" blank "$(cat "$D/media_status")"

# Staged files survive a restart for the same recorder; mkdir, mv, rm and
# gio (mkdir, then a file at a time, as file managers copy folders) work.
mkdir -p "$D/files/album/2026"
ok "gio copies files into a staged folder" gio copy "$SRC/$UTF8/photo.jpg" "$SRC/script.sh" "$D/files/album/2026/"
ok "gio copy --preserve over a staged file" gio copy --preserve "$SRC/$LONG" "$D/files/album/2026/script.sh"
ok "mv renames" mv "$D/files/album/2026/photo.jpg" "$D/files/album/beach.jpg"
ok "rm removes" rm "$D/files/album/2026/script.sh"
ok "ln -s" ln -s album/beach.jpg "$D/files/cover"
staged=$(cat "$D/staged_sectors")
unmount_discfs
mount_medium cd-r "$WORK/space.img"
same "after a restart the staged folder is back" "./album
./album/2026
./album/beach.jpg
./cover" "$(cd "$D/files" && find . -mindepth 1 | sort)"
same "with the same size" "$staged" "$(cat "$D/staged_sectors")"
ok "and commits" put "$D/commit" 1
unmount_discfs
ok "extract" extract "$WORK/space.img" "$WORK/out"
ok "the beach photo is on the disc" cmp "$SRC/$UTF8/photo.jpg" "$WORK/out/album/beach.jpg"
same "the symlink too" album/beach.jpg "$(readlink "$WORK/out/cover")"
same "the removed file is not" "" "$(ls -A "$WORK/out/album/2026")"

# Growing a DVD+RW is safe against a failure before its commit point: a
# drive that fails the write of the new descriptors (after all of the new
# session) leaves the disc reading as it did, and the files staged.
mount_medium dvd+rw "$WORK/crash.img"
cp -a "$SRC/." "$D/files/"
put "$D/commit" 1
cp -a "$CHANGES/." "$D/files/"
grown=$(cat "$D/staged_sectors")
unmount_discfs
mount_medium dvd+rw "$WORK/crash.img" "fault=write-error@$grown"
ok "dvd+rw: the session is written" test -n "$grown"
fails_with "Input/output error" "dvd+rw: a failed descriptor write fails the commit" put "$D/commit" 1
contains "dvd+rw: last_error says where" "WRITE" "$(cat "$D/last_error")"
ok "dvd+rw: the changes are still staged" test -f "$D/files/added folder/data.bin"
unmount_discfs
ok "dvd+rw: the disc still reads as before" extract "$WORK/crash.img" "$WORK/out"
same "dvd+rw: with the first session's files" "$(listing "$SRC")" "$(listing "$WORK/out")"

# ... and against the death of discfs there (DVD+RW, BD-RE, DVD-RW in
# restricted overwrite): the drive hangs on a WRITE
# (fault=stall@LBA-LBA) until discfs is killed, and the test waits for the
# emulator's log to say it hangs, so the kill lands exactly there whatever
# the machine's load.  Killed as the session's last sectors are written,
# and then between the session and the new descriptors (sectors 0-31), the
# same disc remounted reads as before the commit; a commit then grows it.
SRC3=$WORK/src3
cp -a "$SRC/." "$SRC3/"
cp -a "$CHANGES/." "$SRC3/"
# commit_killed_at MEDIA IMAGE LOG FIRST-LAST: a commit the drive hangs on
# at the first WRITE of those sectors, and discfs killed there.
commit_killed_at() {
	local commit
	mount_medium "$1" "$2" "fault=stall@$4,log=$3" || { fail "$1: mount with stall@$4"; return 1; }
	put "$D/commit" 1 2>/dev/null &
	commit=$!
	for _ in $(seq 1200); do
		grep -q ' STALLED$' "$3" 2>/dev/null || ! kill -0 "$commit" 2>/dev/null && break
		sleep 0.1
	done
	contains "$1: the drive hangs on the WRITE of sectors $4" " STALLED" "$(tail -n 1 "$3")"
	crash_discfs
	wait "$commit"
	ok "$1: the commit did not return success" test $? -ne 0
}
grow_crash() {
	local media=$1 img=$WORK/grow-$1.img log=$WORK/grow-$1.log old free grown nwa written
	rm -rf "$STAGE"
	mount_medium "$media" "$img" || { fail "$media: mount"; return; }
	if [ "$media" = dvd-rw ]; then
		ok "dvd-rw: format to restricted overwrite" put "$D/format" 1
	fi
	cp -a "$SRC/." "$D/files/"
	ok "$media: the first session" put "$D/commit" 1
	free=$(cat "$D/free_sectors")
	cp -a "$CHANGES/." "$D/files/"
	grown=$(cat "$D/staged_sectors")
	unmount_discfs
	cp --sparse=always "$img" "$img.first"
	old=$(isoinfo -d -i "$img" | sed -n 's/^Volume size is: //p')
	nwa=$(((old + 31) / 32 * 32))
	commit_killed_at "$media" "$img" "$log.1" "$((nwa + grown - 16))-$((nwa + grown - 1))" || return
	contains "$media: killed in the session, sector 16 still describes the old volume" "Volume size is: $old" \
		"$(isoinfo -d -i "$img")"
	ok "$media: xorriso extracts it" extract "$img" "$WORK/out"
	same "$media: the old volume's files" "$(listing "$SRC")" "$(listing "$WORK/out")"
	commit_killed_at "$media" "$img" "$log.2" 0-31 || return
	written=$(awk '$3 ~ /^WRITE/ && $6 == "-" { end = $4 + $5; if (end > last) last = end } END { print last + 0 }' "$log.2")
	ok "$media: killed after all of the session ($grown sectors at $nwa; written up to $written)" \
		test "$written" -ge $((nwa + grown))
	contains "$media: before the descriptors: sector 16 still describes the old volume" "Volume size is: $old" \
		"$(isoinfo -d -i "$img")"
	mount_medium "$media" "$img" || { fail "$media: remount"; return; }
	same "$media: remounted, free_sectors as before the commit" "$free" "$(cat "$D/free_sectors")"
	same "$media: one session" 1 "$(cat "$D/sessions")"
	same "$media: status tells of no burn" idle "$(cat "$D/status")"
	ok "$media: the changes are still staged" cmp "$CHANGES/added folder/data.bin" "$D/files/added folder/data.bin"
	ok "$media: discard them" put "$D/discard" 1
	same "$media: files/ lists the old volume" "$(listing "$SRC")" "$(listing "$D/files")"
	ok "$media: whose files read back through the drive" diff -r "$SRC" "$D/files"
	same "$media: driveN/disc is the old volume's size" $((old * 2048)) "$(stat -c %s "$D/disc")"
	ok "$media: and reads back byte for byte" cmp "$D/disc" <(head -c $((old * 2048)) "$img.first")
	cp -a "$CHANGES/." "$D/files/"
	ok "$media: a commit then grows the volume" put "$D/commit" 1
	same "$media: from the same address" "$nwa" "$(cat "$D/progress/start_lba")"
	same "$media: which now holds the new session" $((nwa + $(cat "$D/progress/sector_count"))) \
		$(($(cat "$D/total_sectors") - $(cat "$D/free_sectors")))
	unmount_discfs
	ok "$media: xorriso extracts the grown volume" extract "$img" "$WORK/out"
	same "$media: old and new files" "$(listing "$SRC3")" "$(listing "$WORK/out")"
	ok "$media: bytes" diff -r "$SRC3" "$WORK/out"
}
for media in dvd+rw bd-re dvd-rw; do grow_crash "$media"; done
# Through libcdio every recorder is /dev/sr0: its staging area starts empty.
rm -rf "$STAGE"

# A file that is not an ISO 9660 or UDF image, dropped on the drive as a
# file manager does, is staged; an image dropped the same way still burns.
mount_medium dvd+r "$WORK/drop.img"
{ printf '\377\330\377\340\000\020JFIF\000'; head -c 200000 /dev/urandom; } > "$WORK/photo.jpg"
echo "a short note" > "$WORK/note.txt"
touch -d '2020-02-29 10:00:00' "$WORK/note.txt"
ok "cp of a JPEG onto the drive" cp "$WORK/photo.jpg" "$D/"
ok "is staged in files/" cmp "$WORK/photo.jpg" "$D/files/photo.jpg"
same "driveN/NAME still names it" "$(stat -c %s "$WORK/photo.jpg")" "$(stat -c %s "$D/photo.jpg")"
ok "cp -p of a small file onto the drive" cp -p "$WORK/note.txt" "$D/"
same "keeps its time" "$(stat -c %Y "$WORK/note.txt")" "$(stat -c %Y "$D/files/note.txt")"
ok "gio copy onto the drive" gio copy "$WORK/note.txt" "$D/gio-note.txt"
ok "mv renames a dropped file" mv "$D/photo.jpg" "$D/beach.jpg"
# A folder dropped on the drive is staged in files/, as a file is.
ok "cp -r of a folder onto the drive" cp -r "$SRC/deep" "$D/"
ok "ln -s in files/" ln -s deep "$D/files/deep-link"
ok "mkdir in files/" mkdir "$D/files/gone"
ok "rmdir in files/" rmdir "$D/files/gone"
fails_with "Operation not permitted" "no link among the tree's folders" ln -s deep "$D/progress/deep-link2"
same "in files/" "beach.jpg deep deep-link gio-note.txt note.txt" "$(ls "$D/files" | tr '\n' ' ' | sed 's/ $//')"
same "driveN/ links count files/" "$(($(find "$D" -mindepth 1 -maxdepth 1 -type d | wc -l) + 2))" "$(stat -c %h "$D")"
same "nothing was burned" blank "$(cat "$D/media_status")"
ok "commit" put "$D/commit" 1
unmount_discfs
ok "extract" extract "$WORK/drop.img" "$WORK/out"
ok "the JPEG is a file on the disc" cmp "$WORK/photo.jpg" "$WORK/out/beach.jpg"
ok "the note too" cmp "$WORK/note.txt" "$WORK/out/note.txt"
ok "and gio's copy" cmp "$WORK/note.txt" "$WORK/out/gio-note.txt"
ok "and the folder" diff -r "$SRC/deep" "$WORK/out/deep"
make_iso 1 "$WORK/drop.iso"
mount_medium dvd+r "$WORK/drop-iso.img"
ok "cp of an ISO onto the drive burns it" cp "$WORK/drop.iso" "$D/"
same_on_disc "the ISO is the disc" "$WORK/drop.iso" "$WORK/drop-iso.img" 0
same "nothing is staged" 0 "$(cat "$D/staged_sectors")"
same "files/ shows the image's files" "README data.bin" "$(ls "$D/files" | tr '\n' ' ' | sed 's/ $//')"
unmount_discfs

# A small image (genisoimage -no-pad of one short file) ends before the
# 64 KiB that decide while it is written: its last close decides, by the
# part of the recognition area it holds.  It is burned, and close() tells
# how the burn went as cp to driveN/burn would; a short file that is not
# an image, or holds less than one whole sector from 32 KiB, is staged.
mkdir -p "$WORK/tiny"
echo "a tiny image" > "$WORK/tiny/tiny.txt"
genisoimage -quiet -no-pad -o "$WORK/tiny.iso" "$WORK/tiny"
tiny_sectors=$(($(stat -c %s "$WORK/tiny.iso") / 2048))
ok "the small image is under 64 KiB" test "$tiny_sectors" -lt 32
head -c $((16 * 2048 + 2047)) "$WORK/tiny.iso" > "$WORK/under-a-sector.bin"
head -c 50000 /dev/urandom > "$WORK/small.bin"
mount_medium dvd+r "$WORK/tiny.img"
ok "cp of a small image onto the drive burns it" cp "$WORK/tiny.iso" "$D/"
ok "driveN/disc reads it back byte for byte" cmp "$WORK/tiny.iso" "$D/disc"
same "driveN/disc is the image's size" "$(stat -c %s "$WORK/tiny.iso")" "$(stat -c %s "$D/disc")"
same "status says it was burned" "completed $tiny_sectors/$tiny_sectors sectors" "$(cut -d' ' -f1-3 < "$D/status")"
same "one session" 1 "$(cat "$D/sessions")"
same "it was not staged" 0 "$(cat "$D/staged_sectors")"
ok "files/ shows the image's file" cmp "$WORK/tiny/tiny.txt" "$D/files/TINY.TXT"
ok "a 50000-byte file that is no image is staged" cp "$WORK/small.bin" "$D/"
ok "in files/" cmp "$WORK/small.bin" "$D/files/small.bin"
ok "32 KiB + 2047 bytes of an image is staged" cp "$WORK/under-a-sector.bin" "$D/"
ok "in files/ too" cmp "$WORK/under-a-sector.bin" "$D/files/under-a-sector.bin"
ok "the same through a shell's redirection" sh -c "cat '$WORK/small.bin' > '$D/shell.bin'"
ok "staged" cmp "$WORK/small.bin" "$D/files/shell.bin"
# The disc now holds a session: an image made for LBA 0 is refused at
# close(), as driveN/burn refuses it, and is not staged either.
fails_with "Invalid argument" "driveN/burn refuses the image made for LBA 0" cp "$WORK/tiny.iso" "$D/burn"
burn_error=$(cat "$D/last_error")
fails_with "Invalid argument" "so does close() of the same image dropped" cp "$WORK/tiny.iso" "$D/again.iso"
same "last_error says the same" "$burn_error" "$(cat "$D/last_error")"
ok "it is not staged" test ! -e "$D/files/again.iso"
same "still one session" 1 "$(cat "$D/sessions")"
unmount_discfs
# Only the last close decides: a script that writes the image in two
# parts through one descriptor burns it whole.
head -c $(((tiny_sectors - 2) * 2048)) "$WORK/tiny.iso" > "$WORK/tiny-cut.iso"
mount_medium dvd+rw "$WORK/tiny-cut.img"
ok "a small image written by two processes through one descriptor burns" \
	bash -c 'exec 3>"$1"; head -c 40000 "$2" >&3; tail -c +40001 "$2" >&3; exec 3>&-' _ "$D/parts.iso" "$WORK/tiny.iso"
ok "whole" cmp "$WORK/tiny.iso" "$D/disc"
# Cut off, a small image fails close() with EIO, as it fails driveN/burn.
put "$D/force_overwrite" 1
fails_with "Input/output error" "close() of a cut-off small image fails" cp "$WORK/tiny-cut.iso" "$D/"
contains "last_error says where it ended" "image ended at sector $((tiny_sectors - 2)) of $tiny_sectors" \
	"$(cat "$D/last_error")"
unmount_discfs

# Files can be staged before the disc goes in (emulator/media is the
# emulator transport's tray, so not through libcdio).
if ! is_cdio; then
	mount_discfs --emulate="none,image=$WORK/later.img,timescale=virtual" --poll-ms=0
	ok "staging with an empty tray" cp "$WORK/note.txt" "$D/files/"
	fails_with "No medium found" "commit needs a disc" put "$D/commit" 1
	put "$D/emulator/media" dvd+r
	ok "commit once a disc is in" put "$D/commit" 1
	same "it is on the disc" 1 "$(cat "$D/sessions")"
	unmount_discfs
fi

mount_medium dvd+r "$WORK/closed.img" state=closed
fails_with "No space left on device" "a closed disc has no room to stage into" cp "$WORK/note.txt" "$D/files/"
ok "an empty file stages" touch "$D/files/empty"
put "$D/force_close" 0	# a store that works: last_error is none again
fails_with "Wrong medium type" "staged_sectors cannot be measured for a closed disc" cat "$D/staged_sectors"
same "a read that has nothing to show leaves last_error alone" none "$(cat "$D/last_error")"
fails_with "Wrong medium type" "a closed disc takes no session" put "$D/commit" 1
contains "the refused commit says why in last_error" "takes no more sessions" "$(cat "$D/last_error")"
ok "what was staged stays" test -f "$D/files/empty"
unmount_discfs
rm -rf "$STAGE"

# The file managers' "Burn staged files to disc" (contrib/desktop).
mount_medium bd-r "$WORK/desktop.img"
cp "$WORK/note.txt" "$D/files/"
ok "discfs-commit from a staged file burns" env -u DISPLAY -u WAYLAND_DISPLAY \
	"$TOP/contrib/desktop/discfs-commit" "$D/files/note.txt"
same "the staged file is on the disc" 1 "$(cat "$D/sessions")"
same "discfs-commit outside a drive: exit 2" 2 "$("$TOP/contrib/desktop/discfs-commit" "$WORK" 2>/dev/null; echo $?)"
unmount_discfs

# During a commit the staged tree cannot change; cancel stops the burn and
# keeps what was staged.  A burn of 30 MB at the DVD-R's slowest speed, on
# an emulator clock at a quarter of real time, takes over half a minute:
# long enough to act while it writes, however loaded the host.
mount_discfs --emulate="dvd-r,image=$WORK/busy.img,timescale=0.25" --poll-ms=0
slow_plan "$D"
head -c 30000000 /dev/urandom > "$D/files/big.bin"
(echo 1 > "$D/commit") 2> "$WORK/commit.err" &
committer=$!
for _ in $(seq 600); do [ "$(cat "$D/progress/action")" = writing ] && break; sleep 0.05; done
same "the commit is writing" writing "$(cat "$D/progress/action")"
fails_with "Device or resource busy" "no new file during a commit" touch "$D/files/new"
fails_with "Device or resource busy" "no removal during a commit" rm "$D/files/big.bin"
fails_with "Device or resource busy" "no discard during a commit" put "$D/discard" 1
ok "cancel" put "$D/cancel" 1
wait "$committer"
same "commit failed" 1 "$?"
contains "with ECANCELED" "Operation canceled" "$(cat "$WORK/commit.err")"
same "the staged file is kept" 30000000 "$(stat -c %s "$D/files/big.bin")"
unmount_discfs

# A session whose MD5 does not read back is a failed burn, whatever the
# engine's own read-back saw: verify quick reads about ten chunks of 16
# sectors (every sixth here), so an unreadable sector 120 in the file's data
# is found only by the MD5 of the whole session.
mount_discfs --emulate="dvd+r,image=$WORK/md5.img,timescale=virtual,fault=unreadable@120" --poll-ms=0
head -c 2000000 /dev/urandom > "$WORK/md5.bin"
ok "stage a file of 2 MB" cp "$WORK/md5.bin" "$D/files/"
put "$D/verify" quick
fails_with "Input/output error" "commit: the session's MD5 cannot be read back" put "$D/commit" 1
contains "status: the burn failed" "failed" "$(cat "$D/status")"
contains "last_error: the sector that did not read" "120" "$(cat "$D/last_error")"
contains "status says why, as last_error does" "$(cut -d' ' -f1 < "$D/last_error")" "$(cat "$D/status")"
ok "the staged file is kept to burn again" cmp "$WORK/md5.bin" "$D/files/md5.bin"
unmount_discfs

finish
