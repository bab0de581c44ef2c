#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# all/: one image burned to many recorders at once.  Every member's disc
# must hold the image byte for byte (each emulator's image file, and read
# back through driveN/disc); a member whose drive fails mid-burn is dropped
# and the others complete, the writer's close() says EIO and all/status
# names the failed one; a member without a disc is left out by default,
# and when chosen explicitly it is reported and the others still burn; an
# image cut short fails every member's close() with EIO (no disc finalized),
# and one a member's disc cannot take fails that member before it writes.
# timescale=virtual: nothing depends on how fast the machine is.
source "$(dirname "$0")/lib.sh"

A=$MNT/all
make_iso 6 "$WORK/image.iso"
SIZE=$(stat -c %s "$WORK/image.iso")

# on_every_disc WHAT DRIVE...: each drive's emulated image and its disc file
# hold the image from the burn's first LBA.
on_every_disc() {
	local what=$1 i; shift
	for i in "$@"; do
		same_on_disc "$what: drive$i's image file" "$WORK/image.iso" "$WORK/d$i.img" \
			"$(cat "$MNT/drive$i/progress/start_lba")"
		ok "$what: drive$i reads back the image through disc" cmp -n "$SIZE" "$WORK/image.iso" "$MNT/drive$i/disc"
		contains "$what: drive$i completed" completed "$(cat "$MNT/drive$i/status")"
	done
}

emu() { echo "--emulate=$1,image=$WORK/d$2.img,timescale=virtual${3:-}"; }
# Each group starts from blank discs: an image (and its .state) keeps the
# medium the group before put there.
blank_discs() { rm -f "$WORK"/d[0-9].img "$WORK"/d[0-9].img.*; }

# ---- every member burns --------------------------------------------------------
mount_discfs "$(emu dvd+r 0)" "$(emu bd-r 1)" "$(emu dvd-r 2)" --poll-ms=0 || exit 1
same "all/ lists its files" "burn commit discard files last_error members staged_sectors status volume_label" "$(ls "$A" | tr '\n' ' ' | sed 's/ $//')"
same "the root lists all/" "all drive0 drive1 drive2" "$(ls "$MNT" | tr '\n' ' ' | sed 's/ $//')"
same "modes: burn 0200, members 0644, status 0444" "200 644 444 444" \
	"$(stat -c %a "$A/burn" "$A/members" "$A/status" "$A/last_error" | tr '\n' ' ' | sed 's/ $//')"
same "members: every recorder with a writable disc" "drive0 drive1 drive2" "$(cat "$A/members")"
same "status before a burn: one line per member" "drive0 idle
drive1 idle
drive2 idle" "$(cat "$A/status")"
ok "cp to all/burn" cp "$WORK/image.iso" "$A/burn"
on_every_disc "all burned" 0 1 2
same "status: one line per member" 3 "$(wc -l < "$A/status")"
ok "status: each member completed" awk '!/^drive[0-2] completed/ { exit 1 }' "$A/status"
same "last_error: none" none "$(cat "$A/last_error")"
ok "each member has its last_burn log" test "$(tail -n +2 "$MNT/drive1/last_burn/log.csv" | wc -l)" -ge 1
# Chosen members: only they burn.
for i in 0 1 2; do put "$MNT/drive$i/force_overwrite" 1; done
load_medium 0 dvd+r blank
load_medium 2 dvd-r blank
put "$A/members" "drive2 drive0"
same "members: as chosen" "drive0 drive2" "$(cat "$A/members")"
ok "a burn to the chosen members" cp "$WORK/image.iso" "$A/burn"
same "status: the chosen members only" "drive0 drive2" "$(cut -d' ' -f1 "$A/status" | tr '\n' ' ' | sed 's/ $//')"
on_every_disc "chosen" 0 2
# Bad input: nothing changes.
fails_with "Invalid argument" "members: an unknown recorder" put "$A/members" "drive0 drive9"
contains "last_error says why" "EINVAL" "$(cat "$A/last_error")"
fails_with "Invalid argument" "members: a word that is no recorder" put "$A/members" "drive0 cdrom"
fails_with "Invalid argument" "members: nothing" put "$A/members" " "
same "members: unchanged" "drive0 drive2" "$(cat "$A/members")"
exec 3> "$A/burn"
fails_with "Device or resource busy" "members cannot change while a writer has all/burn open" put "$A/members" all
fails_with "Device or resource busy" "a second writer is refused" cp "$WORK/image.iso" "$A/burn"
exec 3>&-
put "$A/members" all
same "members: back to the default (drive1's BD-R is appendable)" "drive0 drive1 drive2" "$(cat "$A/members")"
ok "daemon alive" kill -0 "$DAEMON_PID"
unmount_discfs

# ---- one member fails mid-burn -------------------------------------------------
blank_discs
mount_discfs "$(emu dvd+r 0)" "$(emu dvd+r 1 ,fault=write-error@1000)" "$(emu dvd+r 2)" --poll-ms=0 || exit 1
fails_with "Input/output error" "cp to all/burn: EIO when a member failed" cp "$WORK/image.iso" "$A/burn"
on_every_disc "the others" 0 2
contains "drive1's status says it failed" failed "$(cat "$MNT/drive1/status")"
contains "drive1's last_error says why" "3/0C/00" "$(cat "$MNT/drive1/last_error")"
contains "all/status names drive1 as failed" "drive1 failed" "$(cat "$A/status")"
contains "all/last_error says not every member burned" "not every member" "$(cat "$A/last_error")"
same "no writer left holding any drive" "none none none" \
	"$(cat "$MNT"/drive{0,1,2}/exclusive_owner | tr '\n' ' ' | sed 's/ $//')"
unmount_discfs

# ---- one recorder without a disc -----------------------------------------------
blank_discs
mount_discfs "$(emu dvd+r 0)" "$(emu none 1)" "$(emu dvd+r 2)" --poll-ms=0 || exit 1
same "members: the recorder without a disc is left out" "drive0 drive2" "$(cat "$A/members")"
ok "cp to all/burn" cp "$WORK/image.iso" "$A/burn"
on_every_disc "without drive1" 0 2
load_medium 0 dvd+r blank
load_medium 2 dvd+r blank
put "$A/members" "drive0 drive1 drive2"
fails_with "Input/output error" "chosen with no disc: the writer gets EIO" cp "$WORK/image.iso" "$A/burn"
on_every_disc "the members with a disc" 0 2
contains "all/status: drive1 did not start, and why" "drive1 not started: ENOMEDIUM" "$(cat "$A/status")"
load_medium 0 none
load_medium 2 none
put "$A/members" all
fails_with "No medium found" "no disc anywhere: open fails" cp "$WORK/image.iso" "$A/burn"
contains "all/last_error says why" "no recorder holds a writable medium" "$(cat "$A/last_error")"
unmount_discfs

# ---- the image's truth, as each member's own burn would tell it ---------------
blank_discs
mount_discfs "$(emu dvd+r 0)" "$(emu dvd-r 1)" "$(emu dvd+rw 2)" --poll-ms=0 || exit 1
SECTORS=$((SIZE / 2048))
head -c 1M "$WORK/image.iso" > "$WORK/short.iso"
fails_with "Input/output error" "a cut-off image to all/burn: close() fails" cp "$WORK/short.iso" "$A/burn"
for i in 0 1 2; do
	contains "cut off: drive$i's last_error says where it ended" "image ended at sector 512 of $SECTORS" \
		"$(cat "$MNT/drive$i/last_error")"
done
contains "cut off: the DVD+R stays appendable" appendable "$(cat "$MNT/drive0/media_status")"
contains "cut off: the DVD-R stays appendable" appendable "$(cat "$MNT/drive1/media_status")"
contains "cut off: the DVD+RW holds no volume" blank "$(cat "$MNT/drive2/media_status")"
contains "all/status names the failed members" "drive0 failed" "$(cat "$A/status")"
fails_with "Input/output error" "dd count=3 to all/burn: close fails" \
	dd if="$WORK/image.iso" of="$A/burn" count=3 status=none
contains "drive2: before the volume descriptor" "before its volume descriptor at sector 16" \
	"$(cat "$MNT/drive2/last_error")"
# Not an image: each member refuses it before a sector is written, unless
# its own raw is 1.
head -c 1M /dev/urandom > "$WORK/noise.bin"
put "$MNT/drive2/raw" 1
put "$A/members" "drive2 drive0"
fails_with "Input/output error" "noise to all/burn: drive0 refuses it, so close() fails" cp "$WORK/noise.bin" "$A/burn"
contains "drive0 says why" "not an ISO 9660 or UDF image" "$(cat "$MNT/drive0/last_error")"
contains "drive2 (raw 1) burned it" completed "$(cat "$MNT/drive2/status")"
same_on_disc "drive2 holds the bytes" "$WORK/noise.bin" "$WORK/d2.img" "$(cat "$MNT/drive2/progress/start_lba")"
put "$A/members" all
ok "daemon alive" kill -0 "$DAEMON_PID"
unmount_discfs

# ---- many recorders burning separately, all closing at once --------------------
# Each close() waits out its recorder's session close (10 s for a BD-R on
# the real clock, timescale=1) in a FUSE worker thread; with libfuse's
# default of 10 workers, 12 of them left nothing to answer the rest of the
# tree until one close ended.  Each read below has 8 s, less than the close.
# vdrive serves at most 8 drives: through libcdio, 8 recorders close at once.
RECORDERS=12
is_cdio && RECORDERS=8
make_iso 1 "$WORK/small.iso"
args=()
for i in $(seq 0 $((RECORDERS - 1))); do args+=("--emulate=bd-r,image=$WORK/m$i.img,timescale=1"); done
mount_discfs "${args[@]}" --poll-ms=0 || exit 1
pids=()
for i in $(seq 0 $((RECORDERS - 1))); do cp "$WORK/small.iso" "$MNT/drive$i/burn" & pids+=($!); done
closing=0
for _ in $(seq 300); do
	closing=0
	for i in $(seq 0 $((RECORDERS - 1))); do
		[ "$(timeout 8 cat "$MNT/drive$i/progress/action" 2>/dev/null)" = finalizing ] && closing=$((closing + 1))
	done
	[ "$closing" = "$RECORDERS" ] && break
	sleep 0.1
done
same "$RECORDERS recorders closing their sessions at once, and every one of them answers" "$RECORDERS" "$closing"
ok "the tree answers while they close" timeout 8 cat "$MNT/drive0/vendor" "$A/status"
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
same "all $RECORDERS burns succeed" 0 "$rc"
unmount_discfs

finish
