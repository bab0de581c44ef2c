#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Caching: while nothing changes, reading attributes sends the drive no
# command at all (the emulator logs every command it answers); the poller's
# GET EVENT STATUS NOTIFICATION is the only traffic, and a media change is
# seen at once.
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
LOG=$WORK/emu.log
files="free_sectors total_sectors next_writable_address media media_status write_speed/starting
	write_speed/ending write_speed/supported sessions previous_session/start msinfo profiles features"

count() { grep -vc "$1" "$LOG"; }

mount_discfs --emulate="dvd+r,state=appendable,log=$LOG" --poll-ms=0
cat "$D/media" > /dev/null
before=$(wc -l < "$LOG")
for _ in $(seq 20); do
	for f in $files; do cat "$D/$f" > /dev/null; done
	stat -f "$D" > /dev/null
done
same "260 reads and 20 statfs send no command" "$before" "$(wc -l < "$LOG")"
unmount_discfs

# With the poller on, only GET EVENT STATUS reaches the drive.
mount_discfs --emulate="dvd+r,log=$LOG.poll" --poll-ms=20
LOG=$LOG.poll
before=$(count GET_EVENT_STATUS)
polls_before=$(grep -c GET_EVENT_STATUS "$LOG")
for _ in $(seq 50); do
	for f in $files; do cat "$D/$f" > /dev/null 2>&1; done
done
# Wait (bounded, generously for a loaded machine) until the poller has
# polled a few times.
for _ in $(seq 1500); do
	[ "$(grep -c GET_EVENT_STATUS "$LOG")" -ge $((polls_before + 3)) ] && break
	sleep 0.02
done
ok "the poller polls" test "$(grep -c GET_EVENT_STATUS "$LOG")" -ge $((polls_before + 3))
same "reads send nothing but the poller's questions" "$before" "$(count GET_EVENT_STATUS)"
# A media change is answered with a fresh read of the disc.
put "$D/emulator/media" cd-r
same "the new medium shows at once" cd-r "$(cat "$D/media")"
ok "the change was read from the drive" test "$(count GET_EVENT_STATUS)" -gt "$before"
# The poller may have seen the same change while it was being read, and
# then reads it once more; after a few polls everything is settled.
polls=$(grep -c GET_EVENT_STATUS "$LOG")
for _ in $(seq 1500); do
	[ "$(grep -c GET_EVENT_STATUS "$LOG")" -ge $((polls + 3)) ] && break
	sleep 0.02
done
for f in $files; do cat "$D/$f" > /dev/null 2>&1; done
settled=$(count GET_EVENT_STATUS)
for _ in $(seq 10); do
	for f in $files; do cat "$D/$f" > /dev/null 2>&1; done
done
same "and then cached again" "$settled" "$(count GET_EVENT_STATUS)"
same "the cache holds the new medium" 359849 "$(cat "$D/total_sectors")"
unmount_discfs

finish
