#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The full recorder surface: capabilities, tray and lock, erase, format,
# close, multisession files (with a real mkisofs -C session), exclusive
# owner, and media changes through the emulator's tray.
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0

# burn_matches WHAT ISO IMAGE: the last burn put ISO on IMAGE at its start LBA.
burn_matches() { same_on_disc "$1" "$2" "$3" "$(cat "$D/progress/start_lba")"; }
CLOCK=200
make_iso 1 "$WORK/a.iso"
A_SECTORS=$(($(stat -c %s "$WORK/a.iso") / 2048))

# Capabilities and the tray, on every medium.
for media in cd-r cd-rw dvd-r dvd-rw dvd+r dvd+rw bd-r bd-re cd-rom dvd-rom; do
	mount_discfs --emulate="$media,timescale=$CLOCK" --poll-ms=0 || { fail "$media: mount"; continue; }
	contains "$media: profiles marks the current one" "$media current" "$(cat "$D/profiles")"
	same "$media: one current profile" 1 "$(grep -c current "$D/profiles")"
	contains "$media: features lists core as current" "0x0001 core current" "$(cat "$D/features")"
	if [[ $media == *rom ]]; then
		same "$media: write_protect" read-only-media "$(cat "$D/write_protect")"
	else
		same "$media: write_protect" none "$(cat "$D/write_protect")"
	fi
	same "$media: can_load" 1 "$(cat "$D/can_load")"
	same "$media: nobody holds it" none "$(cat "$D/exclusive_owner")"
	same "$media: tray closed" closed "$(cat "$D/tray")"
	same "$media: unlocked" 0 "$(cat "$D/locked")"
	ok "$media: lock" put "$D/locked" 1
	same "$media: locked" 1 "$(cat "$D/locked")"
	ok "$media: unlock" put "$D/locked" 0
	fails_with "Invalid argument" "$media: locked takes 0 or 1" put "$D/locked" maybe
	ok "$media: eject" put "$D/eject" 1
	same "$media: tray open after eject" open "$(cat "$D/tray")"
	same "$media: no medium in an open tray" none "$(cat "$D/media")"
	fails_with "No medium found" "$media: free_sectors without a disc" cat "$D/free_sectors"
	ok "$media: close the tray" put "$D/tray" closed
	same "$media: the disc is back" "$media" "$(cat "$D/media")"
	fails_with "Invalid argument" "$media: tray takes open or closed" put "$D/tray" ajar
	unmount_discfs
done

# Erase: CD-RW and DVD-RW, fast and full; everything else refuses.
for media in cd-rw dvd-rw; do
	mount_discfs --emulate="$media,image=$WORK/erase-$media.img,timescale=$CLOCK" --poll-ms=0
	total=$(cat "$D/total_sectors")
	ok "$media: burn before erase" cp "$WORK/a.iso" "$D/burn"
	burn_matches "$media: burn before erase" "$WORK/a.iso" "$WORK/erase-$media.img"
	contains "$media: appendable" appendable "$(cat "$D/media_status")"
	ok "$media: fast erase" put "$D/erase" fast
	contains "$media: status says erased" "erase completed" "$(cat "$D/status")"
	same "$media: blank after erase" blank "$(cat "$D/media_status")"
	same "$media: all free again" "$total" "$(cat "$D/free_sectors")"
	ok "$media: full erase" put "$D/erase" full
	fails_with "Invalid argument" "$media: erase takes fast or full" put "$D/erase" quick
	same "$media: unlocked after erase" 0 "$(cat "$D/locked")"
	unmount_discfs
done
for media in cd-r dvd-r dvd+r dvd+rw bd-r bd-re dvd-rom; do
	mount_discfs --emulate="$media,timescale=$CLOCK" --poll-ms=0
	fails_with "Wrong medium type" "$media: cannot be erased" put "$D/erase" fast
	contains "$media: last_error says why" "cannot be erased" "$(cat "$D/last_error")"
	contains "$media: status says the erase failed" "erase failed" "$(cat "$D/status")"
	unmount_discfs
done

# Format on request: DVD+RW, BD-RE, and DVD-RW (to restricted overwrite).
for media in dvd+rw bd-re dvd-rw; do
	mount_discfs --emulate="$media,timescale=$CLOCK,log=$WORK/format-$media.log" --poll-ms=0
	ok "$media: format" put "$D/format" 1
	contains "$media: status says formatted" "format completed" "$(cat "$D/status")"
	same "$media: a FORMAT UNIT was sent" 1 "$(grep -c ' FORMAT_UNIT ' "$WORK/format-$media.log")"
	unmount_discfs
done
mount_discfs --emulate="dvd-rw,timescale=$CLOCK" --poll-ms=0
put "$D/format" 1
same "dvd-rw: formatted to restricted overwrite" dvd-rw-ro "$(cat "$D/media")"
contains "dvd-rw: now overwrite-only" overwrite-only "$(cat "$D/media_status")"
unmount_discfs
for media in cd-r cd-rw dvd+r bd-r; do
	mount_discfs --emulate="$media,timescale=$CLOCK" --poll-ms=0
	fails_with "Wrong medium type" "$media: cannot be formatted" put "$D/format" 1
	unmount_discfs
done
# An unformatted DVD+RW and BD-RE are formatted before their first burn.
for media in dvd+rw bd-re; do
	mount_discfs --emulate="$media,state=blank,timescale=$CLOCK,log=$WORK/auto-$media.log,image=$WORK/auto-$media.img" --poll-ms=0
	ok "$media: burn onto an unformatted disc" cp "$WORK/a.iso" "$D/burn"
	same "$media: formatted first" 1 "$(grep -c ' FORMAT_UNIT ' "$WORK/auto-$media.log")"
	ok "$media: the image is on the disc" cmp -n "$(stat -c %s "$WORK/a.iso")" "$WORK/a.iso" "$WORK/auto-$media.img"
	unmount_discfs
done

# Close: DVD+R and BD-R finalize an appendable disc; CD and DVD-R say how.
for media in dvd+r bd-r; do
	mount_discfs --emulate="$media,image=$WORK/close-$media.img,timescale=$CLOCK" --poll-ms=0
	fails_with "Wrong medium type" "$media: nothing to close on a blank disc" put "$D/close" 1
	ok "$media: burn" cp "$WORK/a.iso" "$D/burn"
	burn_matches "$media: burn" "$WORK/a.iso" "$WORK/close-$media.img"
	ok "$media: close" put "$D/close" 1
	contains "$media: closed" closed "$(cat "$D/media_status")"
	contains "$media: status" "close completed" "$(cat "$D/status")"
	fails_with "Wrong medium type" "$media: closing twice" put "$D/close" 1
	fails_with "Wrong medium type" "$media: no burn on a closed disc" cp "$WORK/a.iso" "$D/burn"
	unmount_discfs
done
for media in cd-r dvd-r; do
	mount_discfs --emulate="$media,image=$WORK/closed-$media.img,timescale=$CLOCK" --poll-ms=0
	ok "$media: burn" cp "$WORK/a.iso" "$D/burn"
	burn_matches "$media: burn" "$WORK/a.iso" "$WORK/closed-$media.img"
	fails_with "Wrong medium type" "$media: a closed session cannot be finalized later" put "$D/close" 1
	contains "$media: last_error says what to do" "force_close=1" "$(cat "$D/last_error")"
	unmount_discfs
done
mount_discfs --emulate="dvd+rw,timescale=$CLOCK" --poll-ms=0
fails_with "Wrong medium type" "dvd+rw: no sessions to close" put "$D/close" 1
unmount_discfs

# Multisession: sessions, previous_session/*, msinfo, and a real second
# session built by genisoimage -C from msinfo, appended at the NWA.
for media in dvd+r cd-r bd-r dvd-r; do
	img=$WORK/ms-$media.img
	mount_discfs --emulate="$media,image=$img,timescale=$CLOCK" --poll-ms=0
	same "$media: no sessions on a blank disc" 0 "$(cat "$D/sessions")"
	same "$media: no previous session start" -1 "$(cat "$D/previous_session/start")"
	same "$media: no previous session end" -1 "$(cat "$D/previous_session/last_written")"
	fails_with "No data available" "$media: no msinfo on a blank disc" cat "$D/msinfo"
	ok "$media: first session" cp "$WORK/a.iso" "$D/burn"
	burn_matches "$media: first session" "$WORK/a.iso" "$img"
	same "$media: one session" 1 "$(cat "$D/sessions")"
	same "$media: it starts at 0" 0 "$(cat "$D/previous_session/start")"
	same "$media: and ends with the image" $((A_SECTORS - 1)) "$(cat "$D/previous_session/last_written")"
	nwa=$(cat "$D/next_writable_address")
	same "$media: msinfo is start,nwa" "0,$nwa" "$(cat "$D/msinfo")"
	mkdir -p "$WORK/second-$media"
	echo "second session" > "$WORK/second-$media/next.txt"
	ok "$media: genisoimage -C builds the next session" \
		genisoimage -quiet -R -C "$(cat "$D/msinfo")" -M "$img" -o "$WORK/next-$media.iso" "$WORK/second-$media"
	ok "$media: second session burns" cp "$WORK/next-$media.iso" "$D/burn"
	same "$media: two sessions" 2 "$(cat "$D/sessions")"
	same "$media: the last one started at the old NWA" "$nwa" "$(cat "$D/previous_session/start")"
	same_on_disc "$media: the disc holds it at the NWA" "$WORK/next-$media.iso" "$img" "$nwa"
	unmount_discfs
done

# The exclusive owner is whoever burns, and only while the burn runs.
mount_discfs --emulate="dvd+r,timescale=1" --poll-ms=0
slow_plan "$D"
exec 3> "$D/burn"
head -c 65536 "$WORK/a.iso" >&3
contains "the burning program owns the drive" "bash[" "$(cat "$D/exclusive_owner")"
same "the tray is locked during a burn" 1 "$(cat "$D/locked")"
fails_with "Device or resource busy" "no eject during a burn" put "$D/eject" 1
fails_with "Device or resource busy" "no erase during a burn" put "$D/erase" fast
fails_with "Device or resource busy" "no media swap during a burn" put "$D/emulator/media" cd-r
put "$D/cancel" 1
exec 3>&-
same "nobody owns it after" none "$(cat "$D/exclusive_owner")"
same "the tray is unlocked after a burn, even a failed one" 0 "$(cat "$D/locked")"
unmount_discfs

# Media changes refresh every attribute; a real drive's files do not
# include the emulator's tray.
mount_discfs --emulate="cd-r,image=$WORK/swap.img,timescale=$CLOCK" --poll-ms=0
ok "cd-r: burn" cp "$WORK/a.iso" "$D/burn"
burn_matches "cd-r: burn" "$WORK/a.iso" "$WORK/swap.img"
ok "swap to a blank BD-R" put "$D/emulator/media" bd-r
same "media follows" bd-r "$(cat "$D/media")"
same "total follows" 12219392 "$(cat "$D/total_sectors")"
same "free follows" 12219392 "$(cat "$D/free_sectors")"
same "status follows" blank "$(cat "$D/media_status")"
same "sessions follow" 0 "$(cat "$D/sessions")"
contains "speeds follow" "x CLV" "$(cat "$D/write_speed/supported" | head -n 1)"
ok "load an appendable DVD+R" put "$D/emulator/media" "dvd+r appendable"
contains "appendable as asked" appendable "$(cat "$D/media_status")"
ok "take the disc out" put "$D/emulator/media" none
same "empty" none "$(cat "$D/media")"
fails_with "Invalid argument" "unknown media refused" put "$D/emulator/media" floppy
same "emulator/media says what is loaded" none "$(cat "$D/emulator/media")"
unmount_discfs

finish
