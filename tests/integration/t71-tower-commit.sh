#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# all/files and all/commit: a tree staged once for the tower, mastered once
# and burned through the shared FIFO to every member.  Each member's files/
# then shows the tree byte for byte and every member's disc is the same
# (cmp of driveN/disc); a member that cannot take a first session at sector
# 0 (an appendable disc, no disc) is refused before anything is written,
# all/last_error naming it; space is the smallest member's; the staged tree
# survives a restart, discard forgets it, and it cannot change during a
# commit (EBUSY).  timescale=virtual except where a commit must be caught
# while it writes (one member on a slowed emulator clock).
source "$(dirname "$0")/lib.sh"

A=$MNT/all
UTF8='Fotos 2026 — été, 日本'
LONG=$(printf 'n%.0s' $(seq 100))

# What a studio sends to every disc: folders in folders, UTF-8 and long
# names, an empty file, times of their own.
SRC=$WORK/src
mkdir -p "$SRC/$UTF8/album/disc 1" "$SRC/empty dir" "$SRC/a/b/c/d/e/f/g/h/i"
head -c 300000 /dev/urandom > "$SRC/$UTF8/album/disc 1/01 — intro.flac"
head -c 7000 /dev/urandom > "$SRC/$UTF8/cover.jpg"
printf 'deep\n' > "$SRC/a/b/c/d/e/f/g/h/i/readme"
printf '%s\n' "$LONG" > "$SRC/$LONG"
touch "$SRC/empty"
touch -d '2020-02-29 23:59:58' "$SRC/$UTF8/cover.jpg" "$SRC/$UTF8/album"

# One line per entry: path, type, mode, size (files), mtime.
listing() {
	(cd "$1" && find . -mindepth 1 | sort | while read -r f; do
		if [ -d "$f" ]; then
			echo "$f dir $(stat -c '%a %Y' "$f")"
		else
			echo "$f file $(stat -c '%a %s %Y' "$f")"
		fi
	done)
}

emu() { echo "--emulate=$1,image=$WORK/d$2.img,timescale=${3:-virtual}"; }
blank_discs() { rm -f "$WORK"/d[0-9].img "$WORK"/d[0-9].img.*; }
words() { tr '\n' ' ' | sed 's/ $//'; }

# ---- stage once, commit to three blank members ---------------------------------
mount_discfs "$(emu cd-r 0)" "$(emu dvd+r 1)" "$(emu bd-r 2)" --poll-ms=0 || exit 1
same "all/ lists its files and files/" \
	"burn commit discard files last_error members staged_sectors status volume_label" "$(ls "$A" | words)"
same "modes: commit and discard 0200, staged_sectors 0444, volume_label 0644" "200 200 444 644" \
	"$(stat -c %a "$A/commit" "$A/discard" "$A/staged_sectors" "$A/volume_label" | words)"
same "all/ links count files/" 3 "$(stat -c %h "$A")"
same "nothing staged yet" 0 "$(cat "$A/staged_sectors")"
fails_with "No data available" "commit with nothing staged" put "$A/commit" 1
contains "all/last_error says so" "nothing is staged" "$(cat "$A/last_error")"
ok "cp -a stages the tree in all/files" cp -a "$SRC/." "$A/files/"
same "all/files lists it" "$(listing "$SRC")" "$(listing "$A/files")"
ok "its files read back from the stage" diff -r "$SRC" "$A/files"
for i in 0 1 2; do
	same "drive$i's own stage is untouched" 0 "$(cat "$MNT/drive$i/staged_sectors")"
done
staged=$(cat "$A/staged_sectors")
ok "staged_sectors counts the data" test "$staged" -ge $((300000 / 2048 + 3))
cd_free=$(cat "$MNT/drive0/free_sectors")
same "df on all/: the smallest member's disc (the CD-R)" "$(cat "$MNT/drive0/total_sectors")" "$(stat -f -c %b "$A")"
ok "df on all/files counts the staged files as used" test "$(stat -f -c %f "$A/files")" -le $((cd_free - staged))
fails_with "No space left on device" "staging more than the smallest member holds" \
	truncate -s 800M "$A/files/too-big.bin"
contains "all/last_error says how much is free" "free" "$(cat "$A/last_error")"
ok "what fits the CD-R stages" truncate -s 1M "$A/files/fits.bin"
ok "rm in all/files" rm "$A/files/fits.bin" "$A/files/too-big.bin"
same "staged_sectors is back" "$staged" "$(cat "$A/staged_sectors")"
put "$A/volume_label" "Tower 2026"
same "volume_label" "Tower 2026" "$(cat "$A/volume_label")"
fails_with "Invalid argument" "commit takes 1" put "$A/commit" yes-please
put "$MNT/drive1/verify" full
ok "commit burns the staged tree to every member" put "$A/commit" 1
same "all/last_error: none" none "$(cat "$A/last_error")"
ok "all/status: every member completed" awk '!/^drive[0-2] completed/ { exit 1 }' "$A/status"
same "all/status: one line per member" 3 "$(wc -l < "$A/status")"
for i in 0 1 2; do
	same "drive$i: the session is staged_sectors long" "$staged" "$(cat "$MNT/drive$i/progress/sector_count")"
	same "drive$i: one session" 1 "$(cat "$MNT/drive$i/sessions")"
	same "drive$i's files/ lists the tree" "$(listing "$SRC")" "$(listing "$MNT/drive$i/files")"
	ok "drive$i's files/ reads it back byte for byte" diff -r "$SRC" "$MNT/drive$i/files"
	ok "drive$i's disc is drive0's" cmp "$MNT/drive0/disc" "$MNT/drive$i/disc"
	# ECMA-119's d-characters in the primary descriptor; Joliet keeps it as written.
	contains "drive$i's volume label" "TOWER_2026" "$(isoinfo -d -i "$WORK/d$i.img" | grep 'Volume id')"
done
contains "drive1 verified it (verify full, the session's MD5 too)" verified "$(cat "$MNT/drive1/status")"
same "the stage is empty again" "" "$(ls -A "$A/files")"
same "staged_sectors is 0 again" 0 "$(cat "$A/staged_sectors")"
same "the label is the default again" DISCFS "$(cat "$A/volume_label")"
unmount_discfs

# ---- members that cannot take the session at sector 0 ---------------------------
blank_discs
make_iso 1 "$WORK/old.iso"
mount_discfs "$(emu dvd+r 0)" "$(emu dvd-r 1)" "$(emu dvd+r 2)" --poll-ms=0 || exit 1
ok "drive2 gets a session of its own" cp "$WORK/old.iso" "$MNT/drive2/burn"
same "drive2's appendable disc is a member by default" "drive0 drive1 drive2" "$(cat "$A/members")"
ok "stage" cp -a "$SRC/." "$A/files/"
fails_with "Invalid argument" "commit refuses a member whose disc is not blank" put "$A/commit" 1
contains "all/last_error names drive2 and where its disc takes a session" "drive2's disc takes its next session at sector" \
	"$(cat "$A/last_error")"
same "nothing was written to the others" "blank blank" \
	"$(cat "$MNT/drive0/media_status" "$MNT/drive1/media_status" | words)"
same "drive2 still holds its one session" 1 "$(cat "$MNT/drive2/sessions")"
ok "what was staged stays" diff -r "$SRC" "$A/files"
put "$A/members" "drive0 drive1"
ok "commit to the blank members" put "$A/commit" 1
ok "drive1's disc is drive0's" cmp "$MNT/drive0/disc" "$MNT/drive1/disc"
ok "drive1 holds the tree" diff -r "$SRC" "$MNT/drive1/files"
same "drive2 was left out" 1 "$(cat "$MNT/drive2/sessions")"
unmount_discfs

# An overwrite medium holding a volume takes the session only with
# force_overwrite, which writes the new volume over it.
blank_discs
mount_discfs "$(emu dvd+rw 0)" "$(emu dvd+r 1)" --poll-ms=0 || exit 1
ok "drive0's DVD+RW gets a volume" cp "$WORK/old.iso" "$MNT/drive0/burn"
put "$A/members" "drive0 drive1"
ok "stage" cp -a "$SRC/." "$A/files/"
fails_with "File exists" "commit refuses a DVD+RW holding a volume" put "$A/commit" 1
contains "all/last_error names drive0" "drive0 holds a volume" "$(cat "$A/last_error")"
same "drive1 stays blank" blank "$(cat "$MNT/drive1/media_status")"
put "$MNT/drive0/force_overwrite" 1
ok "with force_overwrite 1 it is written over" put "$A/commit" 1
sectors=$(cat "$MNT/drive1/progress/sector_count")
ok "drive0 holds drive1's session" cmp -n $((sectors * 2048)) "$MNT/drive0/disc" "$MNT/drive1/disc"
ok "drive0 holds the tree" diff -r "$SRC" "$MNT/drive0/files"
unmount_discfs

# A chosen member without a disc: refused, nothing written anywhere.
blank_discs
mount_discfs "$(emu dvd+r 0)" "$(emu none 1)" "$(emu dvd+r 2)" --poll-ms=0 || exit 1
ok "stage" cp -a "$SRC/." "$A/files/"
same "by default the recorder without a disc is no member" "drive0 drive2" "$(cat "$A/members")"
put "$A/members" "drive0 drive1 drive2"
fails_with "No medium found" "commit with a chosen member without a disc" put "$A/commit" 1
contains "all/last_error names it" "drive1 holds no disc" "$(cat "$A/last_error")"
same "nothing was written" "blank blank" "$(cat "$MNT/drive0/media_status" "$MNT/drive2/media_status" | words)"
unmount_discfs

# ---- the stage survives a restart; discard forgets it --------------------------
mount_discfs "$(emu dvd+r 0)" "$(emu none 1)" "$(emu dvd+r 2)" --poll-ms=0 || exit 1
same "after a restart all/files still holds the tree" "$(listing "$SRC")" "$(listing "$A/files")"
ok "staged_sectors counts it" test "$(cat "$A/staged_sectors")" -gt 0
fails_with "Invalid argument" "discard takes 1" put "$A/discard" 2
ok "discard" put "$A/discard" 1
same "the stage is empty" "" "$(ls -A "$A/files")"
same "staged_sectors is 0" 0 "$(cat "$A/staged_sectors")"
unmount_discfs

# ---- no staging area: all/ burns images only ----------------------------------
: > "$WORK/not-a-dir"
mount_discfs "$(emu dvd+r 0)" --staging-dir="$WORK/not-a-dir" --poll-ms=0 || exit 1
same "all/ without files/" "burn commit discard last_error members staged_sectors status volume_label" "$(ls "$A" | words)"
fails_with "Operation not supported" "commit without a staging area" put "$A/commit" 1
contains "all/last_error says why" "no staging area" "$(cat "$A/last_error")"
fails_with "Operation not supported" "staged_sectors without one" cat "$A/staged_sectors"
unmount_discfs

# ---- the staged tree holds still during a commit --------------------------------
# drive0, a CD-R on an emulator clock running at a quarter of real time,
# burns at its slowest speed (4x, 300 sectors/s: 160 s of real time for
# 24 MB), and with a 1 MiB FIFO no member can run ahead of it, so the commit
# is still writing while the tree is tried, however loaded the host.  Cancelling drive0 fails it alone: the others
# complete, commit says EIO, and the stage is kept.
blank_discs
mount_discfs "$(emu cd-r 0 0.25)" "$(emu dvd+r 1)" "$(emu dvd+r 2)" --poll-ms=0 --fifo-mib=1 || exit 1
slow_plan "$MNT/drive0"
head -c 24000000 /dev/urandom > "$WORK/big.bin"
ok "stage 24 MB" cp "$WORK/big.bin" "$A/files/"
(echo 1 > "$A/commit") 2> "$WORK/commit.err" &
committer=$!
for _ in $(seq 600); do [ "$(cat "$MNT/drive0/progress/action")" = writing ] && break; sleep 0.05; done
same "the commit is writing" writing "$(cat "$MNT/drive0/progress/action")"
fails_with "Device or resource busy" "no new file during a commit" touch "$A/files/new"
fails_with "Device or resource busy" "no removal during a commit" rm "$A/files/big.bin"
fails_with "Device or resource busy" "no mkdir during a commit" mkdir "$A/files/dir"
fails_with "Device or resource busy" "no write into a staged file during a commit" \
	dd if=/dev/zero of="$A/files/big.bin" bs=1 count=1 conv=notrunc status=none
fails_with "Device or resource busy" "no discard during a commit" put "$A/discard" 1
fails_with "Device or resource busy" "no new label during a commit" put "$A/volume_label" "Later"
contains "all/last_error says why" "commit" "$(cat "$A/last_error")"
fails_with "Device or resource busy" "no image to all/burn meanwhile" cp "$WORK/old.iso" "$A/burn"
ok "cancel drive0" put "$MNT/drive0/cancel" 1
wait "$committer"
same "commit failed" 1 "$?"
contains "with EIO" "Input/output error" "$(cat "$WORK/commit.err")"
contains "all/last_error names drive0" "drive0 failed" "$(cat "$A/last_error")"
contains "all/status: drive0 was cancelled" "drive0 cancelled" "$(cat "$A/status")"
for i in 1 2; do
	contains "all/status: drive$i completed" "drive$i completed" "$(cat "$A/status")"
	ok "drive$i holds the file" cmp "$WORK/big.bin" "$MNT/drive$i/files/big.bin"
done
ok "the staged file is kept for the member that failed" cmp "$WORK/big.bin" "$A/files/big.bin"
same "no writer left holding any drive" "none none none" \
	"$(cat "$MNT"/drive{0,1,2}/exclusive_owner | words)"
ok "daemon alive" kill -0 "$DAEMON_PID"
unmount_discfs

finish
