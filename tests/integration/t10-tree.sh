#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The foundation tree on every emulated media type: each file read with cat,
# dd, head and stat; speeds set with echo and printf; bad values refused;
# df and statfs; errors for an empty tray and read-only media.
source "$(dirname "$0")/lib.sh"

declare -A TOTAL=(
	[cd-r]=359849 [cd-rw]=359849 [dvd-r]=2298496 [dvd-rw]=2297888
	[dvd+r]=2295104 [dvd+rw]=2295104 [bd-r]=12219392 [bd-re]=11826176
)
declare -A FAMILY_1X=(
	[cd-r]=75 [cd-rw]=75 [dvd-r]=680 [dvd-rw]=680 [dvd+r]=680 [dvd+rw]=680 [bd-r]=2195 [bd-re]=2195
)

check_writable_media() {
	local media=$1 d=$MNT/drive0
	mount_discfs --emulate="$media" --poll-ms=0 || { fail "$media: mount"; return; }

	same "$media: media" "$media" "$(cat "$d/media")"
	same "$media: total_sectors" "${TOTAL[$media]}" "$(cat "$d/total_sectors")"
	same "$media: blank disc is all free" "${TOTAL[$media]}" "$(cat "$d/free_sectors")"
	same "$media: next_writable_address" 0 "$(cat "$d/next_writable_address")"
	same "$media: bytes_per_sector" 2048 "$(cat "$d/bytes_per_sector")"
	same "$media: device" "$(device_of 0 "$media")" "$(cat "$d/device")"
	contains "$media: media_status" blank "$(cat "$d/media_status")"
	same "$media: vendor is INQUIRY's" DISCFS "$(cat "$d/vendor")"
	ok "$media: product" test -n "$(cat "$d/product")"
	ok "$media: revision" test -n "$(cat "$d/revision")"
	same "$media: last_error starts empty" none "$(cat "$d/last_error")"

	# Every value is one newline-terminated line, whatever reads it.
	for f in free_sectors total_sectors media vendor write_speed/starting; do
		same "$media: $f ends with a newline" 1 "$(cat "$d/$f" | wc -l)"
		same "$media: dd reads $f whole" "$(cat "$d/$f")" "$(dd if="$d/$f" bs=1 2>/dev/null)"
		same "$media: head -c 3 reads the start of $f" "$(cat "$d/$f" | head -c 3)" "$(head -c 3 "$d/$f")"
	done

	# Unset speeds read the drive's estimate for the medium.
	local start end
	start=$(cat "$d/write_speed/starting")
	end=$(cat "$d/write_speed/ending")
	ok "$media: starting estimate is a positive number" test "$start" -gt 0
	ok "$media: ending estimate is a positive number" test "$end" -gt 0
	ok "$media: ending estimate at least the starting one" test "$end" -ge "$start"

	# The descriptor list: sectors/s, kB/s, x-factor, CAV or CLV.
	local supported
	supported=$(cat "$d/write_speed/supported")
	ok "$media: supported has descriptors" test "$(echo "$supported" | wc -l)" -ge 1
	ok "$media: supported lines are well formed" \
		bash -c "! echo '$supported' | grep -vqE '^[0-9]+ [0-9]+ [0-9]+\.[0-9]x (CAV|CLV)$'"

	# Setting speeds: echo and printf, Nx, max, -1, auto, within the
	# slowest and fastest descriptors.
	local lo hi lo_x
	lo=$(echo "$supported" | head -n 1 | cut -d' ' -f1)
	hi=$(echo "$supported" | tail -n 1 | cut -d' ' -f1)
	lo_x=$(echo "$supported" | head -n 1 | cut -d' ' -f3)
	put "$d/write_speed/starting" "$hi"
	same "$media: echo sets starting" "$hi" "$(cat "$d/write_speed/starting")"
	put_raw "$d/write_speed/ending" "$lo"
	same "$media: printf sets ending" "$lo" "$(cat "$d/write_speed/ending")"
	put "$d/write_speed/starting" "$lo_x"
	same "$media: Nx is N times the 1x rate" "$(awk -v x="${lo_x%x}" -v r="${FAMILY_1X[$media]}" 'BEGIN { printf "%d", x * r + 0.5 }')" \
		"$(cat "$d/write_speed/starting")"
	put "$d/write_speed/ending" max
	same "$media: max reads back" max "$(cat "$d/write_speed/ending")"
	put "$d/write_speed/ending" -1
	same "$media: -1 reads back" -1 "$(cat "$d/write_speed/ending")"
	put "$d/write_speed/starting" auto
	same "$media: auto returns to the estimate" "$start" "$(cat "$d/write_speed/starting")"

	# Bad values fail with EINVAL/ERANGE and keep the old value.
	put "$d/write_speed/starting" "$lo"
	for bad in abc 12a "" " " -5 1e5 4000.5; do
		fails_with "Invalid argument" "$media: '$bad' refused" put "$d/write_speed/starting" "$bad"
	done
	contains "$media: last_error says why" "EINVAL" "$(cat "$d/last_error")"
	fails_with "Numerical result out of range" "$media: overflow refused" \
		put "$d/write_speed/starting" 99999999999999999999
	fails_with "Numerical result out of range" "$media: zero refused" put "$d/write_speed/starting" 0
	same "$media: old value kept" "$lo" "$(cat "$d/write_speed/starting")"
	contains "$media: last_error says out of range" "ERANGE" "$(cat "$d/last_error")"
	fails_with "Invalid argument" "$media: a write past offset 0 is refused" \
		bash -c "printf 12 | dd of='$d/write_speed/starting' bs=1 seek=2 conv=notrunc 2>&1 >/dev/null"
	same "$media: value unchanged after offset write" "$lo" "$(cat "$d/write_speed/starting")"

	# Read-only files refuse writers, even root.
	fails_with "Permission denied" "$media: free_sectors is read-only" put "$d/free_sectors" 5

	# stat and df see sysfs modes and the disc.
	same "$media: starting mode" 644 "$(stat -c %a "$d/write_speed/starting")"
	same "$media: free_sectors mode" 444 "$(stat -c %a "$d/free_sectors")"
	same "$media: burn mode" 200 "$(stat -c %a "$d/burn")"
	same "$media: disc mode" 444 "$(stat -c %a "$d/disc")"
	same "$media: statfs block size" 2048 "$(stat -f -c %S "$d")"
	same "$media: statfs blocks" "${TOTAL[$media]}" "$(stat -f -c %b "$d")"
	same "$media: statfs free" "$(cat "$d/free_sectors")" "$(stat -f -c %f "$d")"
	same "$media: df size in KiB" $((${TOTAL[$media]} * 2)) "$(df -k --output=size "$d" | tail -n 1 | tr -d ' ')"
	unmount_discfs
}

for media in cd-r cd-rw dvd-r dvd-rw dvd+r dvd+rw bd-r bd-re; do
	check_writable_media "$media"
done

# An empty tray: the media is "none" and numbers say ENOMEDIUM.
mount_discfs --emulate=none --poll-ms=0
same "none: media" none "$(cat "$MNT/drive0/media")"
same "none: media_status" unknown "$(cat "$MNT/drive0/media_status")"
fails_with "No medium found" "none: free_sectors" cat "$MNT/drive0/free_sectors"
fails_with "No medium found" "none: total_sectors" cat "$MNT/drive0/total_sectors"
fails_with "No medium found" "none: starting estimate" cat "$MNT/drive0/write_speed/starting"
same "none: no speeds" "" "$(cat "$MNT/drive0/write_speed/supported")"
same "none: df shows an empty disc" 0 "$(stat -f -c %b "$MNT/drive0")"
put "$MNT/drive0/write_speed/starting" 700
same "none: a sectors/s value needs no disc" 700 "$(cat "$MNT/drive0/write_speed/starting")"
unmount_discfs

# Read-only media: no writable address, closed and unsupported.
for media in cd-rom dvd-rom; do
	mount_discfs --emulate="$media" --poll-ms=0
	same "$media: media" "$media" "$(cat "$MNT/drive0/media")"
	contains "$media: closed" closed "$(cat "$MNT/drive0/media_status")"
	same "$media: nothing free" 0 "$(cat "$MNT/drive0/free_sectors")"
	fails_with "Wrong medium type" "$media: no writable address" cat "$MNT/drive0/next_writable_address"
	unmount_discfs
done

# Several recorders, in the order given; the root lists them all.
mount_discfs --emulate=cd-r --emulate=bd-re --emulate=none --poll-ms=0
same "three drives, and all/ beside them" "all drive0 drive1 drive2" "$(ls "$MNT" | tr '\n' ' ' | sed 's/ $//')"
same "drive0 is the first given" cd-r "$(cat "$MNT/drive0/media")"
same "drive1 is the second" bd-re "$(cat "$MNT/drive1/media")"
same "drive2 is the third" none "$(cat "$MNT/drive2/media")"
same "drive1's device" "$(device_of 1 bd-re)" "$(cat "$MNT/drive1/device")"
fails_with "No such file" "no drive3" cat "$MNT/drive3/media"
fails_with "No such file" "drive01 is not drive1" cat "$MNT/drive01/media"
# emulator/ (the tray of discfs's own emulator) exists only on the emulator
# transport: through libcdio discfs cannot reach the emulator behind /dev/srN.
emulator_dir=emulator
is_cdio && emulator_dir=
same "the drive directory lists its files" \
	"$(printf '%s\n' buffer_underrun_free burn bytes_per_sector can_load cancel close device disc $emulator_dir erase \
		eject exclusive_owner features force_close force_overwrite format free_sectors last_burn last_error locked \
		media media_status msinfo next_writable_address previous_session product profiles progress raw revision \
		sessions simulate status total_sectors tray vendor verify write_protect write_speed \
		files staged_sectors volume_label commit discard | sort)" \
	"$(ls "$MNT/drive0" | sort)"
same "write_speed lists its files" "ending starting supported" "$(ls "$MNT/drive0/write_speed" | tr '\n' ' ' | sed 's/ $//')"
unmount_discfs

finish
