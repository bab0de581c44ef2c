#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Files of 4 GiB and more: ISO 9660 level 3 records them in several extents
# (ECMA-119 9.1.6).  A sparse file of 4 GiB + 3 MiB, with bytes of its own
# at the start, across the extent boundary and 4 GiB, and at the end, is
# staged, committed and read back whole through driveN/files/, after a
# second session too, and from the emulator's image with isoinfo and
# xorriso.  The emulator keeps zero sectors as holes, so the test costs the
# host little disk.  Each commit writes 4 GiB and reads it back, so there
# are two media: a write-once one, checked in full (verify=full, every byte
# read back through files/ and extracted by xorriso), and an overwritable
# one grown in place, whose commit checks the session's MD5 (verify=quick)
# and whose file is read back where a wrong mapping of offsets would show.
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
STAGE=$WORK/staging   # where lib.sh keeps staged files
CLOCK=virtual
is_cdio && CLOCK=1000
GIB4=$((4 * 1024 * 1024 * 1024))
EXTENT=$((0xFFFFF800))	# the most an extent holds: 4 GiB less a sector
SIZE=$((GIB4 + 3 * 1048576 + 1234))	# its last extent ends inside a sector

SRC=$WORK/src
BIG=$SRC/big.bin
mkdir -p "$SRC"
truncate -s "$SIZE" "$BIG"
# OFFSET TEXT: the file's own bytes, each across a place a wrong mapping
# of offsets to extents would get wrong.
MARKS=("0 first bytes" "$((EXTENT - 6)) across the extent boundary"
	"$((GIB4 - 5)) across 4 GiB" "$((SIZE - 8)) the end!")
for mark in "${MARKS[@]}"; do
	printf '%s' "${mark#* }" | dd of="$BIG" bs=1 seek="${mark%% *}" conv=notrunc status=none
done
chmod 0640 "$BIG"
touch -d '2024-02-29 08:15:00' "$BIG"
echo "a small file beside it" > "$SRC/note.txt"

# KiB a file takes on the host's disk.
used_kib() { du -k "$1" | cut -f1; }
# The whole file read through FUSE in large reads, against the source.
same_bytes() { cmp <(dd if="$1" bs=1M status=none) "$BIG"; }
# The 8 KiB around each mark, read at their offsets.
same_marks() {
	local mark at
	for mark in "${MARKS[@]}"; do
		at=${mark%% *}
		at=$((at > 100 ? at - 100 : 0))
		dd if="$1" iflag=skip_bytes,count_bytes skip=$at count=8192 status=none > "$WORK/read.part" &&
			dd if="$BIG" iflag=skip_bytes,count_bytes skip=$at count=8192 status=none > "$WORK/source.part" &&
			test -s "$WORK/source.part" && cmp "$WORK/source.part" "$WORK/read.part" || return 1
	done
}
# path, mode, size, mtime of each file.
listing() { (cd "$1" && find . -type f | sort | xargs -d '\n' stat -c '%n %a %s %Y'); }

ok "the source is sparse" test "$(used_kib "$BIG")" -lt 1024

for media in dvd+r bd-re; do
	img=$WORK/$media.img
	full= level=quick
	[ "$media" = dvd+r ] && full=1 level=full
	rm -rf "$STAGE"
	mount_discfs --emulate="$media,image=$img,timescale=$CLOCK" --poll-ms=0 || { fail "$media: mount"; continue; }
	ok "$media: cp -a stages a file over 4 GiB" cp -a "$SRC/." "$D/files/"
	ok "$media: staging keeps its holes" test "$(du -sk "$STAGE" | cut -f1)" -lt 4096
	staged=$(cat "$D/staged_sectors")
	ok "$media: staged_sectors counts all of it" test "$staged" -ge $((SIZE / 2048))
	put "$D/verify" "$level"
	ok "$media: commit burns it" put "$D/commit" 1
	same "$media: status says completed and verified" "completed, verified $staged/$staged sectors" \
		"$(cut -d' ' -f1-4 < "$D/status")"
	ok "$media: the emulator's image stays sparse" test "$(used_kib "$img")" -lt 65536
	same "$media: ls -l through files/ shows its size" "$SIZE" "$(stat -c %s "$D/files/big.bin")"
	same "$media: modes, sizes, times through files/" "$(listing "$SRC")" "$(listing "$D/files")"
	if [ -n "$full" ]; then
		ok "$media: its bytes read back through files/" same_bytes "$D/files/big.bin"
	else
		ok "$media: its bytes at each extent and boundary read back through files/" same_marks "$D/files/big.bin"
	fi
	# A second session keeps the big file where it is and adds one:
	# write-once media at the next writable address, overwritable ones
	# grown in place (the volume at sector 16 names the newest tree).
	session=()
	[ "$media" = dvd+r ] && session=("$(cat "$D/next_writable_address")")
	echo "second session" > "$D/files/added.txt"
	ok "$media: a second session commits" put "$D/commit" 1
	same "$media: the big file is still listed whole" "$SIZE" "$(stat -c %s "$D/files/big.bin")"
	ok "$media: its bytes at each extent and boundary still read back" same_marks "$D/files/big.bin"
	same "$media: the new file is there" "second session" "$(cat "$D/files/added.txt")"
	unmount_discfs
	ok "$media: the image is still sparse" test "$(used_kib "$img")" -lt 65536
	# Read back without discfs, from the newest tree.
	records=$(isoinfo -l -i "$img" ${session[0]:+-T "${session[0]}"} | awk '$NF == "BIG.BIN;1"')
	same "$media: isoinfo finds it in two directory records" 2 "$(echo "$records" | wc -l)"
	same "$media: whose sizes add up to the file's" "$SIZE" "$(echo "$records" | awk '{ s += $5 } END { printf "%.0f\n", s }')"
	load=()
	[ -n "${session[0]:-}" ] && load=(-load sbsector "${session[0]}")
	lsdl=$(xorriso -indev "$img" "${load[@]}" -find /big.bin -exec lsdl 2>/dev/null)
	contains "$media: xorriso lists its mode" "-rw-r-----" "$lsdl"
	contains "$media: ... and size" " $SIZE " "$lsdl"
	if [ -n "$full" ]; then
		rm -rf "$WORK/out"
		ok "$media: xorriso extracts it (keeping holes)" xorriso -osirrox on:sparse=1m -indev "$img" "${load[@]}" \
			-extract / "$WORK/out"
		same "$media: xorriso's copy: modes, sizes, times" "$(listing "$SRC")" \
			"$(listing "$WORK/out" | grep -v added.txt)"
		ok "$media: xorriso's copy: bytes" cmp "$BIG" "$WORK/out/big.bin"
		rm -rf "$WORK/out"
	fi
	rm -f "$img" "$img.state"
done

finish
