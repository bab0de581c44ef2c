#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The kernel keeps the files' attributes (issue 16, attributes at FUSE's
# floor): a `cat` asks discfs for no stat and no permission check.  Values
# still change under the tree, and each change makes the kernel forget what
# it kept, so stat is never stale.  Mounted with -o attr_timeout=3600 and
# entry_timeout=3600 (a lookup brings attributes too): a
# change discfs failed to announce would leave stat's answer an hour old,
# and these checks fail.
#   - a request that changes a value (the emulator's medium swapped) moves
#     the modification time stat shows, and cat shows the new value;
#     (staged_sectors, as a file is staged; files/NAME, removed as driveN/NAME);
#   - the drive model's own changes, with no request (a burn's progress
#     while its writer holds the file open and writes nothing), move it too;
#   - disc's size follows a burn;
#   - through libcdio, a medium swapped behind discfs (vdrive-ctl) moves
#     media's time once the poller sees it;
#   - cat under a storm of stat while values change is never cut short or
#     padded (values are read with direct_io: the size the kernel keeps,
#     4096, never limits or pads a read).
# Runs through libcdio too (t35-cdio-suite.sh), but for the emulator's medium.
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
make_iso 16 "$WORK/a.iso"
mtime() { stat -c %.9Y "$1"; }
newer() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }

mount_discfs --emulate="dvd+r,timescale=5" --poll-ms=0 -o attr_timeout=3600,entry_timeout=3600 || { finish; exit 1; }

# --- A change made by a request ----------------------------------------
if ! is_cdio; then
	free_was=$(cat "$D/free_sectors")
	media_time=$(mtime "$D/media")
	free_time=$(mtime "$D/free_sectors")
	ok "swap the emulated medium for a CD-R" put "$D/emulator/media" cd-r
	same "media says so" cd-r "$(cat "$D/media")"
	ok "media's time moved" newer "$(mtime "$D/media")" "$media_time"
	ok "free_sectors's time moved with its value" newer "$(mtime "$D/free_sectors")" "$free_time"
	ok "... whose value is the new disc's" test "$(cat "$D/free_sectors")" != "$free_was"
	put "$D/emulator/media" dvd+r
	same "and back" dvd+r "$(cat "$D/media")"
fi
same "a value's size is still sysfs's 4096" 4096 "$(stat -c %s "$D/free_sectors")"
# A value that only requests change: staged_sectors, as files are staged.
staged_was=$(cat "$D/staged_sectors")
staged_time=$(mtime "$D/staged_sectors")
ok "stage a file" cp "$WORK/a.iso" "$D/files/a.iso"
ok "staged_sectors's time moved" newer "$(mtime "$D/staged_sectors")" "$staged_time"
ok "... with its value" test "$(cat "$D/staged_sectors")" -gt "$staged_was"
ok "rm through the drive's name for it" rm "$D/a.iso"
ok "... and files/ has it no more" test ! -e "$D/files/a.iso"

# --- A change the drive model makes on its own ---------------------------
# The writer sends the whole image (it fits the FIFO), then holds the file
# open and only stats: no request of its changes progress, the engine does.
slow_plan "$D"
same "disc is empty on a blank disc" 0 "$(stat -c %s "$D/disc")"
moves=$(python3 - "$WORK/a.iso" "$D/burn" "$D/progress/last_written_lba" <<'PY'
import os, sys, time
image, burn, lba = sys.argv[1:]
fd = os.open(burn, os.O_WRONLY)
with open(image, "rb") as f:
    while chunk := f.read(1 << 20):
        os.write(fd, chunk)
seen = {os.stat(lba).st_mtime_ns}
deadline = time.monotonic() + 120
while len(seen) < 4 and time.monotonic() < deadline:
    time.sleep(0.05)
    seen.add(os.stat(lba).st_mtime_ns)
os.close(fd)
print(len(seen) - 1)
PY
)
ok "progress/last_written_lba's time moved as the engine wrote ($moves times, no request between)" test "$moves" -ge 3
same "disc's size is the image's after the burn" "$(stat -c %s "$WORK/a.iso")" "$(stat -c %s "$D/disc")"
contains "status says the burn completed" "completed" "$(cat "$D/status")"

# --- cat among stats, while values change --------------------------------
# A second session on the DVD+R.
session_iso "$D" "$D/disc" "$WORK/b.iso"
slow_plan "$D"
cp "$WORK/b.iso" "$D/burn" &
burner=$!
bad=$(python3 - "$D" <<'PY'
import os, re, sys, threading
d = sys.argv[1]
files = [os.path.join(d, f) for f in ("free_sectors", "next_writable_address", "progress/last_written_lba")]
stop = False
def storm():
    while not stop:
        for f in files:
            os.stat(f)
t = threading.Thread(target=storm)
t.start()
bad = 0
for i in range(600):
    for f in files:
        with open(f, "rb") as fh:
            v = fh.read()
        if not re.fullmatch(rb"-?[0-9]+\n", v):
            bad += 1
            print(f, v, file=sys.stderr)
stop = True
t.join()
print(bad)
PY
)
same "no value was cut short or padded under concurrent stat" 0 "$bad"
wait "$burner"
same "the burn under them succeeded" 0 "$?"

# --- A medium changed behind discfs, seen by the poller -------------------
# Through libcdio only: vdrive-ctl swaps the medium in the drive as a user
# would, with no request to discfs; the poller's media event must make the
# kernel forget, and stat alone (no cat) must see the new time.
if is_cdio; then
	mount_discfs --emulate="dvd+r" --poll-ms=100 -o attr_timeout=3600,entry_timeout=3600 || { finish; exit 1; }
	same "a DVD+R in the drive" dvd+r "$(cat "$D/media")"
	media_time=$(mtime "$D/media")
	ok "vdrive-ctl loads a CD-R" "$VDRIVE_BUILD/vdrive-ctl" --socket="$VDRIVE_SOCKET_PATH" load /dev/sr0 cd-r
	for _ in $(seq 300); do
		newer "$(mtime "$D/media")" "$media_time" && break
		sleep 0.1
	done
	ok "media's time moved, seen by stat alone" newer "$(mtime "$D/media")" "$media_time"
	same "media says cd-r" cd-r "$(cat "$D/media")"
fi

finish
