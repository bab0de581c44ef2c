#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The emulated recorder answers as real drives do: unmodified Debian burning
# programs (wodim, xorriso, libcdio's cd-info) run through vdrive against it
# and report what they would report on hardware.  Each check failed before the
# emulator modelled what it checks (issue 13).
#
# Needs `make vdrive` and the packages wodim, xorriso, libcdio-utils, genisoimage.
. "$(dirname "$0")/lib.sh"

for tool in wodim xorriso cd-info genisoimage; do
	command -v "$tool" >/dev/null || { echo "$TEST_NAME: $tool is not installed"; exit 1; }
done
# Programs that print a banner on stderr: keep what they report.
quiet() { on_vdrive "$@" 2>&1; }

ISO=$WORK/a.iso
make_iso 1 "$ISO" || exit 1

# Four groups of drives, each behind its own vdrive-server, run side by
# side: the programs mostly wait on their own timers.  Every clock runs fast
# enough that lead-ins, lead-outs, formatting and blanking take milliseconds.

# CD-R and CD-RW track-at-once: ATIP, the full TOC, blanking, a dry run.
cd_track_at_once() {
	start_vdrive "cd-r,image=$WORK/cdr.img,timescale=1000" "cd-rw,timescale=1000" "cd-r,timescale=1000" || { fail "${FUNCNAME[0]}: no vdrive-server"; return; }
	# ---- ATIP (READ TOC format 4) ----
	atip=$(quiet wodim dev=/dev/sr0 -atip)
	contains "wodim -atip: lead-in of a Taiyo Yuden CD-R" "ATIP start of lead in:  -11849 (97:24/01)" "$atip"
	contains "wodim -atip: last possible lead-out of an 80-minute disc" "ATIP start of lead out: 359849 (79:59/74)" "$atip"
	contains "wodim -atip: the dye" "Long strategy type" "$atip"
	contains "wodim -atip: CD-R is not erasable" "Is not erasable" "$atip"
	atip=$(quiet wodim dev=/dev/sr1 -atip)
	contains "wodim -atip: CD-RW is erasable" "Is erasable" "$atip"
	contains "wodim -atip: CD-RW maker" "Mitsubishi" "$atip"
	toc=$(quiet xorriso -outdev /dev/sr1 -toc)
	contains "xorriso: media product from the ATIP" "Media product: 97m34s23f/79m59s74f" "$toc"

	# ---- Full TOC (format 2): two sessions by wodim, read by xorriso and cd-info ----
	ok "wodim writes session 1" quiet wodim dev=/dev/sr0 gracetime=0 -tao -multi "$ISO"
	ok "wodim writes session 2" quiet wodim dev=/dev/sr0 gracetime=0 -tao -multi "$ISO"
	msinfo=$(quiet wodim dev=/dev/sr0 -msinfo | tail -n 1)
	start2=${msinfo%%,*}
	toc=$(quiet xorriso -outdev /dev/sr0 -toc)
	contains "xorriso: the written CD-R is appendable" "is written , is appendable" "$toc"
	contains "xorriso: two sessions" "Media summary: 2 sessions" "$toc"
	contains "xorriso: session 2 where wodim -msinfo says" "ISO session  :   2 , $(printf '%9s' "$start2")" "$toc"
	info=$(quiet cd-info --no-header /dev/sr0)
	contains "cd-info: session 2 on track 2" "session #2 starts at track  2, LSN: $start2" "$info"
	toc=$(quiet wodim dev=/dev/sr0 -toc)
	contains "wodim -toc: track 2 where -msinfo says" "track:   2 lba: $(printf '%9s' "$start2")" "$toc"

	# ---- A CD-RW burned by wodim can be blanked by xorriso ----
	ok "wodim writes the CD-RW" quiet wodim dev=/dev/sr1 gracetime=0 -tao -multi "$ISO"
	out=$(quiet xorriso -outdev /dev/sr1 -blank as_needed)
	contains "xorriso blanks the written CD-RW" "Blanking done" "$out"
	contains "xorriso finds it blank after" "Media status : is blank" "$out"

	# ---- Test Write: wodim -dummy goes through the burn and the CD-R stays blank ----
	out=$(quiet wodim dev=/dev/sr2 gracetime=0 -dummy -tao "$ISO")
	contains "wodim -dummy runs the whole track" "Track 01: Total bytes read/written" "$out"
	contains "xorriso: the dry run left the CD-R blank" "Media status : is blank" "$(quiet xorriso -outdev /dev/sr2 -toc)"
}

# CD session-at-once (SEND CUE SHEET): xorriso's default on a blank CD-R,
# then a second session (track-at-once on an appendable disc); wodim -sao.
cd_session_at_once() {
	start_vdrive "cd-r,image=$WORK/sao.img,timescale=1000,log=$WORK/sao.log" "cd-r,timescale=1000" || { fail "${FUNCNAME[0]}: no vdrive-server"; return; }
	out=$(quiet xorriso -dev /dev/sr0 -map "$ISO" /a.iso -commit)
	contains "xorriso writes a blank CD-R in its default mode" "Writing to '/dev/sr0' completed successfully." "$out"
	ok "the drive took the pre-gap from LBA -150" grep -q " 2A WRITE10 -150 " "$WORK/sao.log"
	ok "xorriso appends a second session" quiet xorriso -dev /dev/sr0 -map "$ISO" /b.iso -commit
	toc=$(quiet xorriso -outdev /dev/sr0 -toc)
	contains "xorriso: two sessions on the session-at-once CD-R" "Media summary: 2 sessions" "$toc"
	contains "xorriso: the first session at LBA 0" "ISO session  :   1 ,         0 ," "$toc"
	out=$(quiet wodim dev=/dev/sr1 gracetime=0 -sao "$ISO")
	contains "wodim -sao writes the CD-R" "Track 01: Total bytes read/written" "$out"
	contains "xorriso: wodim's single session closed the disc" "is written , is closed" "$(quiet xorriso -outdev /dev/sr1 -toc)"
	contains "cd-info: wodim's track 1 at LSN 0" "  1: 00:02:00  000000 data" "$(quiet cd-info --no-header /dev/sr1)"
}

# BD-R: the SRM+POW formats of a blank disc, formatting with spare areas,
# and xorriso's default (RESERVE TRACK) for two sessions.
bd_r() {
	start_vdrive "bd-r,image=$WORK/bdr.img,timescale=1000" "bd-r,timescale=1000" || { fail "${FUNCNAME[0]}: no vdrive-server"; return; }
	formats=$(quiet xorriso -outdev /dev/sr0 -list_formats)
	contains "xorriso: a blank BD-R offers the default spare areas" "Format idx 0 : 00h , 11826176s" "$formats"
	contains "xorriso: ... and a large spare area" "Format idx 2 : 32h , 11564032s" "$formats"
	ok "xorriso writes session 1 on the BD-R" quiet xorriso -dev /dev/sr0 -map "$ISO" /a.iso -commit
	ok "xorriso writes session 2 on the BD-R" quiet xorriso -dev /dev/sr0 -map "$ISO" /b.iso -commit
	contains "xorriso: two sessions on the BD-R" "Media summary: 2 sessions" "$(quiet xorriso -outdev /dev/sr0 -toc)"
	ok "xorriso formats a BD-R with a large spare area" quiet xorriso -outdev /dev/sr1 -format by_index_2
	toc=$(quiet xorriso -outdev /dev/sr1 -list_formats -toc)
	contains "xorriso: the spare area is there" "BD Spare Area: 0 blocks consumed, 20480 blocks available" "$toc"
	contains "xorriso: and the user area is what is left" "Media blocks : 0 readable , 11564032 writable" "$toc"
}

# DVD-R disc-at-once: wodim reserves the track, writes it, and the drive
# closes the disc at SYNCHRONIZE CACHE.  On the way wodim reads the drive
# buffer (READ BUFFER), sends REZERO UNIT and reads the physical format
# (READ DISC STRUCTURE), and cd-info names the disc by its book type.  Then
# timescale=virtual: programs that poll TEST UNIT READY while the drive
# closes a session move the clock on, so they finish (a hang fails here).
dvd_r_and_virtual_clock() {
	start_vdrive "dvd-r,image=$WORK/dvdr.img,timescale=1000" "cd-r,timescale=virtual" || { fail "${FUNCNAME[0]}: no vdrive-server"; return; }
	out=$(quiet wodim -v dev=/dev/sr0 gracetime=0 -dao "$ISO")
	contains "wodim -dao on DVD-R ends" "Fixating time" "$out"
	contains "wodim measures the link with READ BUFFER" "Drive DMA Speed" "$out"
	toc=$(quiet xorriso -outdev /dev/sr0 -toc)
	contains "xorriso: the DAO DVD-R is closed" "Media status : is written , is closed" "$toc"
	contains "xorriso: one session" "Media summary: 1 session," "$toc"
	info=$(quiet cd-info --no-header /dev/sr0)
	contains "cd-info: book type DVD-R" "Disc mode is listed as: DVD-R" "$info"

	ok "wodim finishes on a virtual clock" timeout 120 env VDRIVE_SOCKET="$VDRIVE_SOCKET_PATH" \
		LD_PRELOAD="$VDRIVE_BUILD/libvdrive.so" wodim dev=/dev/sr1 gracetime=0 -tao -multi "$ISO"
	ok "xorriso appends on a virtual clock" timeout 120 env VDRIVE_SOCKET="$VDRIVE_SOCKET_PATH" \
		LD_PRELOAD="$VDRIVE_BUILD/libvdrive.so" xorriso -dev /dev/sr1 -map "$ISO" /a.iso -commit
	contains "xorriso: two sessions on the virtual clock" "Media summary: 2 sessions" "$(quiet xorriso -outdev /dev/sr1 -toc)"
}

in_background cd_track_at_once
in_background cd_session_at_once
in_background bd_r
in_background dvd_r_and_virtual_clock
background_wait

# ---- discfs on the same discs agrees with what those programs said ----
mount_discfs --emulate="cd-r,image=$WORK/cdr.img" --emulate="dvd-r,image=$WORK/dvdr.img" \
	--emulate="cd-r,image=$WORK/sao.img" --emulate="bd-r,image=$WORK/bdr.img" \
	--emulate="cd-r,image=$WORK/sim.img,timescale=1000" --emulate="dvd+rw,timescale=1000,log=$WORK/dvdrw.log" || exit 1
same "discfs: the CD-R has the two sessions wodim wrote" 2 "$(cat "$MNT/drive0/sessions")"
contains "discfs: the CD-R is appendable" appendable "$(cat "$MNT/drive0/media_status")"
same "discfs: the DAO DVD-R has one session" 1 "$(cat "$MNT/drive1/sessions")"
contains "discfs: the DAO DVD-R is closed" closed "$(cat "$MNT/drive1/media_status")"
same "discfs: xorriso's CD-R has two sessions" 2 "$(cat "$MNT/drive2/sessions")"
same "discfs: xorriso's BD-R has two sessions" 2 "$(cat "$MNT/drive3/sessions")"
contains "discfs: the BD-R is appendable" appendable "$(cat "$MNT/drive3/media_status")"
same "discfs: the DVD+RW is not write-protected" none "$(cat "$MNT/drive5/write_protect")"
ok "discfs asks the drive's write protection (READ DISC STRUCTURE C0h)" grep -q " AD READ_DISC_STRUCTURE - - -$" "$WORK/dvdrw.log"

# ---- simulate: a dry run (Test Write) through discfs goes to the end and
# leaves the CD-R blank, for discfs and for xorriso; DVD+RW has no dry run ----
put "$MNT/drive4/simulate" 1
ok "a simulated burn ends like a burn" cp "$ISO" "$MNT/drive4/burn"
contains "status says simulated" "simulated" "$(cat "$MNT/drive4/status")"
same "discfs: the CD-R is still blank" blank "$(cat "$MNT/drive4/media_status")"
put "$MNT/drive5/simulate" 1
fails_with "Wrong medium type" "no dry run on DVD+RW" cp "$ISO" "$MNT/drive5/burn"
contains "last_error says why" "Test Write" "$(cat "$MNT/drive5/last_error")"
unmount_discfs
start_vdrive "cd-r,image=$WORK/sim.img" || exit 1
contains "xorriso: the dry-run CD-R is blank" "Media status : is blank" "$(quiet xorriso -outdev /dev/sr0 -toc)"

finish
