#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Burning through the tree: cp, cat >, dd, pv and gio copy onto every
# writable emulated medium; each disc compared byte for byte with its
# source; multisession appends; the errors a writer must see; rate control
# measured from the recorder's own write log on its emulated clock.
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
CLOCK=50
PROBE=$TOP/tests/integration/vdrive-probe.py

make_iso 3 "$WORK/a.iso"
make_iso 2 "$WORK/b.iso"
A_SECTORS=$(($(stat -c %s "$WORK/a.iso") / 2048))
B_SECTORS=$(($(stat -c %s "$WORK/b.iso") / 2048))

burn_with() {
	case $1 in
	cp) cp "$2" "$D/burn" ;;
	cat) cat "$2" > "$D/burn" ;;
	dd) dd if="$2" of="$D/burn" bs=1M status=none ;;
	pv) pv -q "$2" > "$D/burn" ;;
	gio) gio copy "$2" "$D/" ;;
	esac
}

# Every writable medium, each with a different writer, then the rest of the writers on one.
writers=(cp cat dd pv gio cp cat dd)
i=0
for media in cd-r cd-rw dvd-r dvd-rw dvd+r dvd+rw bd-r bd-re; do
	w=${writers[$i]}; i=$((i + 1))
	img=$WORK/$media.img
	mount_discfs --emulate="$media,image=$img,timescale=$CLOCK" --poll-ms=0 || { fail "$media: mount"; continue; }
	total=$(cat "$D/total_sectors")
	ok "$media: $w burns" burn_with "$w" "$WORK/a.iso"
	contains "$media: status says completed" completed "$(cat "$D/status")"
	same "$media: progress action" completed "$(cat "$D/progress/action")"
	same "$media: all sectors written" "$A_SECTORS" "$(cat "$D/progress/last_written_lba" | awk '{print $1 + 1}')"
	same_on_disc "$media ($w)" "$WORK/a.iso" "$img" 0
	if is_cdio; then
		# Another program reads the volume back through the device discfs
		# burned through, as anyone with the disc in a drive would.
		volume=$(on_vdrive isoinfo -d -i /dev/sr0 2>&1)
		contains "$media: isoinfo reads the volume id from /dev/sr0" "Volume id: DISCFS" "$volume"
		contains "$media: and the volume's size" "Volume size is: $A_SECTORS" "$volume"
	fi
	if [ "$media" = dvd+rw ] || [ "$media" = bd-re ]; then
		contains "$media: overwrite-only" overwrite-only "$(cat "$D/media_status")"
		same "$media: free is capacity minus the ISO" $((total - A_SECTORS)) "$(cat "$D/free_sectors")"
		same "$media: the next address follows the ISO" "$A_SECTORS" "$(cat "$D/next_writable_address")"
		fails_with "File exists" "$media: no overwrite without force_overwrite" cp "$WORK/b.iso" "$D/burn"
		contains "$media: last_error says not blank" "E_IMAPI_DF2DATA_MEDIA_NOT_BLANK" "$(cat "$D/last_error")"
		put "$D/force_overwrite" 1
		ok "$media: force_overwrite burns from sector 0" cp "$WORK/b.iso" "$D/burn"
		same_on_disc "$media: overwritten" "$WORK/b.iso" "$img" 0
		same "$media: free follows the new ISO" $((total - B_SECTORS)) "$(cat "$D/free_sectors")"
	else
		contains "$media: appendable" appendable "$(cat "$D/media_status")"
		nwa=$(cat "$D/next_writable_address")
		ok "$media: next address past the first session" test "$nwa" -ge "$A_SECTORS"
		same "$media: free is what follows it" $((total - nwa)) "$(cat "$D/free_sectors")"
		same "$media: df agrees" "$(cat "$D/free_sectors")" "$(stat -f -c %f "$D")"
		# The second session, made for it, starts at the next writable address.
		session_iso "$D" "$img" "$WORK/next.iso"
		ok "$media: a second session burns" cp "$WORK/next.iso" "$D/burn"
		same "$media: it started at the NWA" "$nwa" "$(cat "$D/progress/start_lba")"
		same_on_disc "$media: second session" "$WORK/next.iso" "$img" "$nwa"
		same_on_disc "$media: first session intact" "$WORK/a.iso" "$img" 0
		ok "$media: NWA moved on" test "$(cat "$D/next_writable_address")" -ge $((nwa + $(stat -c %s "$WORK/next.iso") / 2048))
		contains "$media: still appendable" appendable "$(cat "$D/media_status")"
	fi
	unmount_discfs
done

# Every writer on one medium, session after session, each image made for
# the disc's next session.
mount_discfs --emulate="dvd+r,image=$WORK/writers.img,timescale=$CLOCK" --poll-ms=0
S=$WORK/sessions/b.iso
mkdir -p "$WORK/sessions"
for w in cp cat dd pv gio; do
	nwa=$(cat "$D/next_writable_address")
	session_iso "$D" "$WORK/writers.img" "$S"
	ok "dvd+r: $w burns a session" burn_with "$w" "$S"
	same_on_disc "dvd+r: $w session" "$S" "$WORK/writers.img" "$nwa"
done
# gio copy drops a file: it stays listed with its size.
same "the dropped file is listed with its size" "$(stat -c %s "$S")" "$(stat -c %s "$D/b.iso")"
# A ".part" copy renamed at the end keeps its listing under the new name.
session_iso "$D" "$WORK/writers.img" "$S"
ok "a .part copy burns" cp "$S" "$D/copy.part"
same_on_disc "dvd+r: .part copy" "$S" "$WORK/writers.img" "$(cat "$D/progress/start_lba")"
ok "and is renamed" mv "$D/copy.part" "$D/copy.iso"
ok "listed under the new name" test -f "$D/copy.iso"
# Metadata on the target succeeds without effect, so copy tools do not fail.
ok "chmod on burn" chmod 644 "$D/burn"
ok "touch on burn" touch "$D/burn"
session_iso "$D" "$WORK/writers.img" "$S"
ok "cp -a keeps going" cp --preserve=all "$S" "$D/burn"
same_on_disc "dvd+r: cp -a" "$S" "$WORK/writers.img" "$(cat "$D/progress/start_lba")"
# An open and close without data (touch, `: >`) burns nothing, and the next
# writer right after it is not taken for a second one.
for _ in 1 2 3; do
	session_iso "$D" "$WORK/writers.img" "$S"
	touch "$D/burn"
	ok "a burn right after an empty open" cp "$S" "$D/burn"
	same_on_disc "dvd+r: after an empty open" "$S" "$WORK/writers.img" "$(cat "$D/progress/start_lba")"
done
unmount_discfs

# A sparse copy: holes become zeros, a final ftruncate extends with zeros.
mkdir -p "$WORK/sparse"
head -c 1M /dev/urandom > "$WORK/sparse/head.bin"
truncate -s 3M "$WORK/sparse/zeros.bin"
genisoimage -quiet -R -o "$WORK/sparse.iso" "$WORK/sparse"
mount_discfs --emulate="bd-r,image=$WORK/sparse.img,timescale=$CLOCK" --poll-ms=0
ok "sparse cp burns" cp --sparse=always "$WORK/sparse.iso" "$D/burn"
same_on_disc "sparse image" "$WORK/sparse.iso" "$WORK/sparse.img" 0
unmount_discfs

# force_close finalizes; a closed disc takes no more.
mount_discfs --emulate="cd-r,image=$WORK/closed.img,timescale=$CLOCK" --poll-ms=0
put "$D/force_close" 1
ok "force_close burn" cp "$WORK/a.iso" "$D/burn"
same_on_disc "force_close burn" "$WORK/a.iso" "$WORK/closed.img" "$(cat "$D/progress/start_lba")"
contains "closed after force_close" closed "$(cat "$D/media_status")"
same "no free sectors on a closed disc" 0 "$(cat "$D/free_sectors")"
fails_with "Wrong medium type" "a closed disc refuses a burn" cp "$WORK/b.iso" "$D/burn"
unmount_discfs

# verify=full reads everything back.
mount_discfs --emulate="dvd-r,image=$WORK/verify.img,timescale=$CLOCK" --poll-ms=0
put "$D/verify" full
ok "verify=full burn" cp "$WORK/a.iso" "$D/burn"
same_on_disc "verify=full burn" "$WORK/a.iso" "$WORK/verify.img" "$(cat "$D/progress/start_lba")"
fails_with "Invalid argument" "verify refuses other words" put "$D/verify" sometimes
same "verify kept" full "$(cat "$D/verify")"
unmount_discfs

# Errors the writer must see.
mount_discfs --emulate=none --poll-ms=0
fails_with "No medium found" "no disc: ENOMEDIUM" cp "$WORK/a.iso" "$D/burn"
unmount_discfs
mount_discfs --emulate=dvd-rom --poll-ms=0
fails_with "Wrong medium type" "read-only disc: EMEDIUMTYPE" cp "$WORK/a.iso" "$D/burn"
unmount_discfs

# An image larger than the disc fails before any sector is written: its
# volume descriptor claims 400000 sectors, more than a CD holds.
cp "$WORK/a.iso" "$WORK/huge.iso"
printf '\x80\x1a\x06\x00' | dd of="$WORK/huge.iso" bs=1 seek=$((32768 + 80)) conv=notrunc status=none
mount_discfs --emulate="cd-r,image=$WORK/huge.img,timescale=$CLOCK,log=$WORK/huge.log" --poll-ms=0
fails_with "No space left on device" "too large: ENOSPC" cp "$WORK/huge.iso" "$D/burn"
contains "status says why" "ENOSPC" "$(cat "$D/status")"
same "nothing was written" 0 "$(grep -c ' WRITE' "$WORK/huge.log")"
same "the disc is still blank" blank "$(cat "$D/media_status")"
unmount_discfs

# A backward write fails with ESPIPE; a second writer gets EBUSY.
mount_discfs --emulate="dvd+r,image=$WORK/busy.img,timescale=1" --poll-ms=0
# An ISO's start: its volume descriptor tells the size, so the stream stays
# open while other processes come and go with a copy of the descriptor.
exec 3> "$D/burn"
head -c 65536 "$WORK/a.iso" >&3
# The same open file, written at offset 0 again.
fails_with "Illegal seek" "a backward write: ESPIPE" python3 -c "import os; os.pwrite(3, bytes(2048), 0)"
fails_with "Device or resource busy" "a second writer: EBUSY" cp "$WORK/a.iso" "$D/burn"
if is_cdio; then
	# discfs claims /dev/sr0 (O_EXCL) once the burn is validated, so other
	# burning programs keep off it; plain opens (readers) still succeed.
	for _ in $(seq 1200); do
		case $(cat "$D/progress/action") in idle | validating) sleep 0.05 ;; *) break ;; esac
	done
	same "during a burn another O_EXCL open of /dev/sr0 is EBUSY" EBUSY \
		"$(on_vdrive python3 "$PROBE" open /dev/sr0 excl)"
	same "and a plain open still succeeds" ok "$(on_vdrive python3 "$PROBE" open /dev/sr0)"
fi
ok "cancel" put "$D/cancel" 1
exec 3>&-
contains "status says cancelled" cancelled "$(cat "$D/status")"
if is_cdio; then
	same "after the burn the claim is given back" ok "$(on_vdrive python3 "$PROBE" open /dev/sr0 excl)"
fi
unmount_discfs

finish
