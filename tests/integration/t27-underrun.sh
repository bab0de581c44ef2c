#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The drive buffer: with buffer underrun protection off, a writer slower
# than the drive starves it and the burn fails with loss of streaming
# (3/0C/09), which the writer sees as EIO; with it on (the default), the
# same slow writer burns a good disc.  The writer is 8 times slower than
# the drive (pv -L against 4x CD on a clock running 10 times fast).
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
make_iso 2 "$WORK/a.iso"

mount_discfs --emulate="cd-r,image=$WORK/off.img,timescale=10" --poll-ms=0
put "$D/buffer_underrun_free" 0
put "$D/write_speed/starting" 4x
put "$D/write_speed/ending" 4x
fails_with "Input/output error" "unprotected, starved: EIO" bash -c "pv -q -L 750k '$WORK/a.iso' > '$D/burn'"
contains "status says the burn failed" failed "$(cat "$D/status")"
contains "last_error names loss of streaming" "E_IMAPI_LOSS_OF_STREAMING" "$(cat "$D/last_error")"
contains "with its sense" "3/0C/09" "$(cat "$D/last_error")"
same "the tray is unlocked" 0 "$(cat "$D/locked")"
unmount_discfs

mount_discfs --emulate="cd-r,image=$WORK/on.img,timescale=10" --poll-ms=0
same "underrun protection is on by default" 1 "$(cat "$D/buffer_underrun_free")"
put "$D/write_speed/starting" 4x
put "$D/write_speed/ending" 4x
ok "protected, same slow writer: a good burn" bash -c "pv -q -L 750k '$WORK/a.iso' > '$D/burn'"
ok "the disc matches" cmp -n "$(stat -c %s "$WORK/a.iso")" "$WORK/a.iso" "$WORK/on.img"
ok "the host buffer ran dry and the engine counted it" test "$(cat "$D/progress/underruns")" -gt 0
unmount_discfs

finish
