#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Back-pressure: with a slow burn, a writer fills the host buffer
# (--fifo-mib) and then blocks in write(), so it moves at the burn rate
# and memory stays bounded.  Attributes stay readable during the burn,
# from the cache, without commands to the busy drive.
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
# Large enough that, at 100 sectors/s, half of it takes a minute to burn:
# "far less than the image" below holds however slowly the test runs.
make_iso 24 "$WORK/a.iso"
HALF_IMAGE=$(($(stat -c %s "$WORK/a.iso") / 2048 / 2))
LOG=$WORK/emu.log

# The slowest burn a drive does: a CD-R at 4x, 300 sectors/s.
mount_discfs --emulate="cd-r,timescale=1,log=$LOG" --poll-ms=0 --fifo-mib=2
put "$D/write_speed/starting" 4x
put "$D/write_speed/ending" 4x
cp "$WORK/a.iso" "$D/burn" 2> "$WORK/cp.err" &
CP=$!
size=$(cat "$D/progress/host_buffer_size")
same "the host buffer is the size asked for" $((2 * 1048576)) "$size"
# Wait (bounded, generously for a loaded machine) for the buffer to fill:
# the writer is then held back.
for _ in $(seq 1500); do
	[ "$(cat "$D/progress/host_buffer_used")" -ge $((size - 262144)) ] && break
	sleep 0.02
done
ok "the host buffer fills up" test "$(cat "$D/progress/host_buffer_used")" -ge $((size - 262144))
ok "the writer is still writing: held back, not done" kill -0 $CP
ok "far less than the image has reached the disc" test "$(cat "$D/progress/last_written_lba")" -lt $HALF_IMAGE
contains "status says writing" writing "$(cat "$D/status")"
commands=$(wc -l < "$LOG")
cat "$D/free_sectors" "$D/media_status" "$D/write_speed/supported" "$D/sessions" > /dev/null
writes_only=$(tail -n +$((commands + 1)) "$LOG" | grep -vc ' WRITE10 \| READ_BUFFER_CAPACITY ')
same "reads during a burn come from the cache" 0 "$writes_only"
ok "cancel" put "$D/cancel" 1
wait $CP
ok "the writer learns the burn was cancelled" grep -q "Operation canceled" "$WORK/cp.err"
unmount_discfs

finish
