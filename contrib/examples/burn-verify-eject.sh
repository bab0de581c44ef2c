#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# burn-verify-eject.sh: burns an image, has the drive verify it, and ejects
# the disc, using nothing but the files of a discfs drive directory.
#
#   burn-verify-eject.sh [--no-eject] [--speed=RATE] [--close] IMAGE [DRIVE_DIR]
#
# DRIVE_DIR is a drive directory of a mounted discfs, by default
# $DISCFS_DRIVE or /run/discfs/sr0/drive0 (what discfs@sr0.service mounts).
# RATE is what write_speed/starting takes: sectors/s, Nx, max or auto.
# --close finalizes the disc (force_close) instead of leaving it appendable.
#
# Exit status: 0 burned and verified (and ejected unless --no-eject);
# 1 the burn or its verification failed; 2 usage or setup error;
# 3 burned and verified, but the eject failed.
set -u

usage() {
	echo "usage: burn-verify-eject.sh [--no-eject] [--speed=RATE] [--close] IMAGE [DRIVE_DIR]" >&2
	exit 2
}

say() { printf '%s\n' "$*"; }
die() { printf 'burn-verify-eject: %s\n' "$1" >&2; exit "${2:-2}"; }

eject=1 speed= close=0
while [ $# -gt 0 ]; do
	case $1 in
	--no-eject) eject=0 ;;
	--speed=*) speed=${1#--speed=} ;;
	--close) close=1 ;;
	-h | --help) usage ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
	shift
done
[ $# -ge 1 ] && [ $# -le 2 ] || usage
image=$1
drive=${2:-${DISCFS_DRIVE:-/run/discfs/sr0/drive0}}

[ -f "$image" ] && [ -r "$image" ] || die "cannot read image $image"
[ -e "$drive/burn" ] && [ -e "$drive/status" ] || die "$drive is not a discfs drive directory (no burn file)"

# Every failure below is explained by the drive's own last_error.
why() { say "  last_error: $(cat "$drive/last_error" 2>/dev/null)"; say "  status:     $(cat "$drive/status" 2>/dev/null)"; }

media=$(cat "$drive/media") || die "cannot read $drive/media"
[ "$media" != none ] || die "no disc in $(cat "$drive/device")" 1
say "drive:  $(cat "$drive/vendor") $(cat "$drive/product") ($(cat "$drive/device"))"
say "disc:   $media, $(cat "$drive/media_status"), $(cat "$drive/free_sectors") sectors free"

# Refuse early what cannot fit: discfs only knows an ISO image's size up front.
size=$(stat -c %s -- "$image")
sectors=$(((size + 2047) / 2048))
free=$(cat "$drive/free_sectors")
[ "$sectors" -le "$free" ] || die "$image needs $sectors sectors, the disc has $free free" 1

# The settings are the drive's, shared with whoever else uses it: put back
# what was there.
old_verify=$(cat "$drive/verify")
old_close=$(cat "$drive/force_close")
restore() {
	echo "$old_verify" > "$drive/verify" 2>/dev/null
	echo "$old_close" > "$drive/force_close" 2>/dev/null
}
trap restore EXIT

# full: after the write, the drive reads every sector back and discfs
# compares its CRC with what was sent; a mismatch fails the burn.
echo full > "$drive/verify" || die "cannot set $drive/verify"
echo "$close" > "$drive/force_close" || die "cannot set $drive/force_close"
if [ -n "$speed" ]; then
	{ echo "$speed" > "$drive/write_speed/starting" && echo "$speed" > "$drive/write_speed/ending"; } ||
		die "the drive does not take speed $speed: $(cat "$drive/last_error")"
fi

say "burn:   $image ($sectors sectors), verify full"
# cp returns only once the disc is written, synchronized, closed and
# verified; its status is the burn's.
if ! cp -- "$image" "$drive/burn"; then
	say "FAILED: the burn or its verification failed"
	why
	exit 1
fi
status=$(cat "$drive/status")
case $status in
completed*) say "done:   $status" ;;
*) say "FAILED: cp succeeded but the drive says: $status"; why; exit 1 ;;
esac

if [ "$eject" = 0 ]; then
	say "eject:  skipped (--no-eject)"
	exit 0
fi
# Older discfs trees have no eject file: say so rather than fail a good burn.
if [ ! -e "$drive/eject" ]; then
	say "eject:  not done: this discfs has no $drive/eject file; take the disc out by hand"
	exit 0
fi
if ! echo 1 > "$drive/eject"; then
	say "eject:  FAILED"
	why
	exit 3
fi
say "eject:  tray $(cat "$drive/tray" 2>/dev/null || echo open)"
exit 0
