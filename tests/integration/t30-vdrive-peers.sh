#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Unmodified Debian programs against emulated recorders under vdrive
# (contrib/vdrive): libcdio's cd-drive and cd-info, wodim, O_EXCL between
# processes, the kernel's SG_IO and CDROM_SEND_PACKET conventions, a burn by
# one process read back by the next, and media changes through vdrive-ctl.
#
# Needs `make vdrive` (build/libvdrive.so, vdrive-server, vdrive-ctl) and the
# packages libcdio-utils, wodim, genisoimage and python3.
set -euo pipefail
export LC_ALL=C

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${VDRIVE_BUILD:-$TOP/build}
PROBE=$TOP/tests/integration/vdrive-probe.py
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vdrive-peers.XXXXXX")
SOCKET=$WORK/socket
SERVER_PID=
HOLDER_PID=
PASSED=0
FAILED=0

cleanup() {
	[ -n "$HOLDER_PID" ] && kill "$HOLDER_PID" 2>/dev/null && wait "$HOLDER_PID" 2>/dev/null
	if [ -n "$SERVER_PID" ]; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }
# check WHAT CONDITION-COMMAND...: the command's success is the check's.
check() {
	local what=$1; shift
	if "$@"; then pass; else fail "$what"; fi
}
contains() { [[ "$2" == *"$1"* ]]; }
# Runs a command as a program under vdrive sees the world.
vd() { VDRIVE_SOCKET=$SOCKET LD_PRELOAD=$BUILD/libvdrive.so "$@"; }
ctl() { "$BUILD/vdrive-ctl" --socket="$SOCKET" "$@"; }

for f in libvdrive.so vdrive-server vdrive-ctl; do
	[ -x "$BUILD/$f" ] || [ -f "$BUILD/$f" ] || { echo "vdrive-peers: $BUILD/$f missing (make vdrive)"; exit 1; }
done
for tool in cd-drive cd-info wodim genisoimage python3; do
	command -v "$tool" >/dev/null || { echo "vdrive-peers: $tool is not installed"; exit 1; }
done

# /dev/sr0: a blank DVD+RW; /dev/sr1: a blank CD-R whose clock runs 50 times fast.
"$BUILD/vdrive-server" --socket="$SOCKET" --emulate="dvd+rw,image=$WORK/sr0.img" \
	--emulate="cd-r,image=$WORK/sr1.img,timescale=50" 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 200); do
	[ -S "$SOCKET" ] && break
	kill -0 "$SERVER_PID" 2>/dev/null || { echo "vdrive-server died:"; cat "$WORK/server.log"; exit 1; }
	sleep 0.05
done
[ -S "$SOCKET" ] || { echo "vdrive-server did not come up"; exit 1; }

# ---- The device nodes ----
check "/dev/sr0 is block device 11:0" \
	[ "$(vd stat -c '%F %Hr:%Lr' /dev/sr0)" = "block special file 11:0" ]
check "/dev/sr1 is block device 11:1" \
	[ "$(vd stat -c '%F %Hr:%Lr' /dev/sr1)" = "block special file 11:1" ]
check "/dev/cdrom resolves to /dev/sr0" [ "$(vd realpath /dev/cdrom)" = /dev/sr0 ]
check "/dev/sr2 does not exist" [ "$(vd python3 "$PROBE" open /dev/sr2)" = ENOENT ]

# ---- libcdio ----
drive=$(vd cd-drive -i /dev/sr0 2>&1) || fail "cd-drive -i /dev/sr0 exited non-zero"
vendor=$(sed -n 's/^Vendor *: *\(.*[^ ]\) *$/\1/p' <<<"$drive")
model=$(sed -n 's/^Model *: *\(.*[^ ]\) *$/\1/p' <<<"$drive")
check "cd-drive names the vendor (got '$vendor')" [ -n "$vendor" ]
check "cd-drive names the model (got '$model')" [ -n "$model" ]
check "cd-drive sees the DVD+RW as the current profile" contains "DVD+RW - DVD Rewritable - on" "$drive"
check "cd-drive reads the capabilities page" contains "Can write DVD-R                         : Yes" "$drive"

info=$(vd cd-info /dev/sr0 2>&1) || true
check "cd-info names the same vendor" contains "Vendor                      : $vendor" "$info"
check "cd-info names the same model" contains "Model                       : $model" "$info"
check "cd-info uses the Linux driver" contains "CD driver name: GNU/Linux" "$info"

# ---- wodim (libusal: O_EXCL open, SG_IO, sg ioctls) ----
prcap=$(vd wodim dev=/dev/sr0 -prcap 2>&1) || fail "wodim -prcap exited non-zero: $prcap"
check "wodim sees the same vendor" contains "Vendor_info    : '$vendor" "$prcap"
check "wodim sees the same model" contains "Identification : '$model" "$prcap"
check "wodim reads page 2A" contains "Does write DVD-R media" "$prcap"

# ---- Kernel conventions of SG_IO and CDROM_SEND_PACKET ----
read -r ret status resid ident <<<"$(vd python3 "$PROBE" inquiry /dev/sr0)"
check "SG_IO INQUIRY returns 0 with GOOD status" [ "$ret $status" = "0 0" ]
check "SG_IO INQUIRY resid is the untransferred rest" [ "$resid" = resid-ok ]
check "SG_IO INQUIRY data is the drive's ($ident)" [ "$ident" = "$vendor|$model" ]
check "SG_IO: bad interface_id is EINVAL, a 4-byte CDB EMSGSIZE" \
	[ "$(vd python3 "$PROBE" bad-sgio /dev/sr0)" = "-1 EINVAL -1 EMSGSIZE" ]

# ---- O_EXCL between processes ----
mkfifo "$WORK/hold"
vd python3 "$PROBE" hold /dev/sr0 <"$WORK/hold" >"$WORK/held" &
HOLDER_PID=$!
exec 3>"$WORK/hold"
for _ in $(seq 1200); do grep -q held "$WORK/held" && break; sleep 0.05; done
check "a process holds /dev/sr0 exclusively" grep -q held "$WORK/held"
check "a second O_EXCL open from another process is EBUSY" [ "$(vd python3 "$PROBE" open /dev/sr0 excl)" = EBUSY ]
check "a plain open succeeds while it is held, as on Linux" [ "$(vd python3 "$PROBE" open /dev/sr0)" = ok ]
check "vdrive-ctl status shows the claim" contains "/dev/sr0 media=dvd+rw opens=1 exclusive=yes" "$(ctl status)"
check "the other drive is not claimed" [ "$(vd python3 "$PROBE" open /dev/sr1 excl)" = ok ]
exec 3>&-
wait "$HOLDER_PID"
HOLDER_PID=
check "the claim ends with the holder" [ "$(vd python3 "$PROBE" open /dev/sr0 excl)" = ok ]

# ---- A burn by one process, read back by others ----
mkdir "$WORK/iso"
echo "vdrive $RANDOM" >"$WORK/iso/hello.txt"
head -c 400000 /dev/urandom >"$WORK/iso/data.bin"
genisoimage -quiet -V VDRIVE -o "$WORK/image.iso" "$WORK/iso"
sectors=$(($(stat -c %s "$WORK/image.iso") / 2048))
burn_began=$EPOCHREALTIME
if ! vd wodim dev=/dev/sr1 -tao -data "$WORK/image.iso" >"$WORK/wodim.log" 2>&1; then
	fail "wodim burn on /dev/sr1: $(tail -5 "$WORK/wodim.log")"
fi
burn_ended=$EPOCHREALTIME
status=$(ctl status | grep /dev/sr1)
check "vdrive-ctl counts the burned sectors" contains "sectors_written=$sectors" "$status"
last_write=$(sed -n 's/.* last_write=\([0-9.]*\).*/\1/p' <<<"$status")
last_command=$(sed -n 's/.* last_command=\([0-9.]*\).*/\1/p' <<<"$status")
# Times of day, compared in order only: the last WRITE came during the
# burn, and the commands that close the disc after it.
check "vdrive-ctl tells when the burn's last WRITE was answered" \
	awk -v b="$burn_began" -v w="$last_write" -v c="$last_command" -v e="$burn_ended" \
	'BEGIN { exit !(b < w && w < c && c <= e) }'
check "another process reads the burned ISO back through read()" \
	bash -c "VDRIVE_SOCKET=$SOCKET LD_PRELOAD=$BUILD/libvdrive.so dd if=/dev/sr1 bs=2048 count=$sectors 2>/dev/null |
		cmp -s - '$WORK/image.iso'"
check "an fd opened by a shell reads the disc in the program it execs" \
	bash -c "VDRIVE_SOCKET=$SOCKET LD_PRELOAD=$BUILD/libvdrive.so bash -c 'exec 3</dev/sr1 &&
		dd bs=2048 count=$sectors <&3 2>/dev/null' | cmp -s - '$WORK/image.iso'"
check "BLKGETSIZE64 is the burned size" [ "$(vd blockdev --getsize64 /dev/sr1)" = $((sectors * 2048)) ]
info=$(vd cd-info /dev/sr1 2>&1) || true
check "cd-info finds the data track" contains "1: 00:02:00  000000 data" "$info"
check "cd-info finds the ISO 9660 volume" contains "ISO 9660: $sectors blocks, label \`VDRIVE" "$info"

# ---- Media changes ----
ctl eject /dev/sr0 >/dev/null
check "vdrive-ctl eject empties the drive" contains "/dev/sr0 media=none" "$(ctl status)"
check "CDROM_DRIVE_STATUS says the tray is open" [ "$(vd python3 "$PROBE" drive-status /dev/sr0)" = 2 ]
check "a blocking open of an empty drive is ENOMEDIUM" \
	contains "No medium found" "$(vd dd if=/dev/sr0 of=/dev/null count=1 2>&1 || true)"
nomedium=$(vd python3 "$PROBE" no-medium /dev/sr0)
check "SG_IO: CHECK CONDITION returns 0 with status, driver_status, info and sense" \
	contains "sg_io ret=0 status=2 masked=1 driver=8 info=1 sb_len_wr=16 asc=3A" "$nomedium"
check "CDROM_SEND_PACKET: CHECK CONDITION is EIO with the sense kept" \
	contains "send_packet ret=-1 errno=EIO asc=3A additional_len_nonzero=True" "$nomedium"
ctl load /dev/sr0 dvd-r >/dev/null
check "vdrive-ctl load inserts media" contains "/dev/sr0 media=dvd-r" "$(ctl status)"
# libcdio's name for profile 0011h.
check "cd-drive sees the new DVD-R" contains "Re-recordable DVD using Sequential recording - on" \
	"$(vd cd-drive -i /dev/sr0 2>&1)"
check "CDROM_DRIVE_STATUS says a disc is in" [ "$(vd python3 "$PROBE" drive-status /dev/sr0)" = 4 ]
# The next CDB after a change gets the unit attention, as from a real drive:
# a stat or BLKGETSIZE64 in between sends no command and must not take it.
check "a media change is a unit attention for the next CDB" \
	[ "$(vd python3 "$PROBE" unit-attention /dev/sr0 "$BUILD/vdrive-ctl" --socket="$SOCKET" load /dev/sr0 cd-rw)" = "6/28 0/00" ]

# ---- vdrive-run ----
status=0
"$TOP/contrib/vdrive/vdrive-run" --emulate=cd-rw -- sh -c 'exit 7' || status=$?
check "vdrive-run exits with the command's status" [ "$status" = 7 ]
out=$("$TOP/contrib/vdrive/vdrive-run" --emulate=cd-rw --emulate=bd-r -- sh -c \
	'cd-drive -i /dev/sr1 2>&1; vdrive-ctl status' 2>&1) || fail "vdrive-run cd-drive: $out"
check "vdrive-run hosts every --emulate drive" contains "/dev/sr1 media=bd-r" "$out"
check "vdrive-run's drives answer libcdio" contains "Vendor                      : $vendor" "$out"

echo "vdrive-peers: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
