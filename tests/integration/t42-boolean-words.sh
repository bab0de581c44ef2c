#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every boolean file takes the same words (1 yes on true, 0 no off false)
# and every trigger file acts on any of the true ones; anything else fails
# with EINVAL and changes nothing.
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
TRUE_WORDS="1 yes on true"
FALSE_WORDS="0 no off false"
NOT_WORDS="maybe y n 2 YES"

mount_discfs --emulate="dvd+rw,state=blank,timescale=virtual" --poll-ms=0 || { fail mount; finish; }

for file in force_close buffer_underrun_free force_overwrite simulate locked; do
	for word in $TRUE_WORDS; do
		ok "$file: echo $word" put "$D/$file" 0
		ok "$file: echo $word" put "$D/$file" "$word"
		same "$file: $word reads 1" 1 "$(cat "$D/$file")"
	done
	for word in $FALSE_WORDS; do
		ok "$file: echo $word" put "$D/$file" 1
		ok "$file: echo $word" put "$D/$file" "$word"
		same "$file: $word reads 0" 0 "$(cat "$D/$file")"
	done
	for word in $NOT_WORDS; do
		fails_with "Invalid argument" "$file: echo $word" put "$D/$file" "$word"
		same "$file: $word changes nothing" 0 "$(cat "$D/$file")"
		contains "$file: last_error says why" "takes 0 or 1" "$(cat "$D/last_error")"
	done
done

# Triggers: the false words and the others do nothing.
for file in cancel format close eject; do
	for word in $FALSE_WORDS $NOT_WORDS; do
		fails_with "Invalid argument" "$file: echo $word" put "$D/$file" "$word"
	done
done
same "nothing was formatted" "blank overwrite-only" "$(cat "$D/media_status")"
same "the tray stayed closed" closed "$(cat "$D/tray")"
ok "cancel: echo yes with no burn" put "$D/cancel" yes
ok "format: echo on" put "$D/format" on
contains "format: formatted" "format completed" "$(cat "$D/status")"
ok "eject: echo true" put "$D/eject" true
same "eject: the tray is open" open "$(cat "$D/tray")"
unmount_discfs

# close: an appendable DVD+R (one closed session) is finalized.
mount_discfs --emulate="dvd+r,state=appendable,timescale=virtual" --poll-ms=0 || { fail mount; finish; }
ok "close: echo yes" put "$D/close" yes
contains "close: the disc is closed" closed "$(cat "$D/media_status")"
unmount_discfs
finish
