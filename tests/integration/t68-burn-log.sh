#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# driveN/last_burn/: a burn leaves log.csv (one row per half second of the
# recorder's clock) and graph.svg.  On the virtual clock the rows are checked
# exactly against the emulator's own log of every WRITE: each row is the
# first WRITE to end at or past a half-second tick, at that WRITE's time and
# position, with the rate it achieved since the row before.  The SVG must
# parse as XML with an <svg> root (xmllint), and be small.
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
LOG=$WORK/emu.log
make_iso 40 "$WORK/image.iso"
mount_discfs --emulate="dvd+r,image=$WORK/disc.img,timescale=virtual,log=$LOG" --poll-ms=0 || exit 1

same "before any burn: the header only" \
	"time_s,lba,planned_sps,achieved_sps,host_buffer_used,host_buffer_size,drive_buffer_used,drive_buffer_size" \
	"$(cat "$D/last_burn/log.csv")"
ok "before any burn: graph.svg is valid XML" xmllint --noout "$D/last_burn/graph.svg"

put "$D/write_speed/starting" 2720
put "$D/write_speed/ending" 5440
ok "burn" cp "$WORK/image.iso" "$D/burn"
csv=$(tail -n +2 "$D/last_burn/log.csv")
rows=$(echo "$csv" | wc -l)
sectors=$(cat "$D/progress/sector_count")
start=$(cat "$D/progress/start_lba")
# 40 MiB at 4x to 8x DVD: about 5 s of the recorder's clock, so 10 rows or so.
ok "log.csv: a row per half second ($rows rows)" test "$rows" -ge 8 -a "$rows" -le 12
same "log.csv: the last row is the end of the data" "$((start + sectors))" "$(echo "$csv" | tail -1 | cut -d, -f2)"

# WRITE lines: "<ns> 2A WRITE10 <lba> <blocks> -"; each row's LBA is where a
# WRITE ended, its time that WRITE's time (one offset for all rows: the
# log's clock started at mount, the CSV's at the first WRITE).
report=$(awk -F'[ ,]' -v start="$start" '
	FNR == NR { if ($3 ~ /^WRITE/ && $6 == "-") { n++; end[n] = $4 + $5; t[n] = $1 / 1e9; at[$4 + $5] = n } next }
	FNR == 1 { next }
	{
		rows++
		if (!($2 in at)) { print "row " rows ": no WRITE ends at LBA " $2; bad = 1; exit }
		w = at[$2]
		if (rows == 1) off = t[w] - $1
		if ((t[w] - $1 - off) > 1e-6 || (t[w] - $1 - off) < -1e-6) { print "row " rows ": time " $1 " is not the WRITE'"'"'s"; bad = 1 }
		prevt = (w > 1 ? t[w - 1] : 0) - off
		last = (w == n)
		tick = 0.5 * rows
		if (!last && !($1 >= tick - 1e-9 && prevt < tick)) { print "row " rows " at " $1 " is not the first WRITE past " tick; bad = 1 }
		if (rows > 1) {
			want = ($2 - plba) / ($1 - pt)
			if (want - $4 > 0.1 || $4 - want > 0.1) { print "row " rows ": achieved " $4 " is not " want; bad = 1 }
		}
		pt = $1; plba = $2
	}
	END { if (!bad) print "exact" }' "$LOG" "$D/last_burn/log.csv")
same "log.csv: every row matches the emulator's clock and position" "exact" "$report"
ok "log.csv: the planned rate rises from 2720 to 5440" awk -F, 'NR == 2 { f = $3 } END { exit !(f >= 2720 && f < 3200 && $3 > 5000 && $3 <= 5440) }' "$D/last_burn/log.csv"
ok "log.csv: the drive buffer is reported" awk -F, 'NR > 1 && $8 > 0 && $7 > 0 { ok = 1 } END { exit !ok }' "$D/last_burn/log.csv"
ok "log.csv: the host buffer size is the FIFO's" awk -F, 'NR > 1 { exit !($6 == 32 * 1048576) }' "$D/last_burn/log.csv"

cp "$D/last_burn/graph.svg" "$WORK/graph.svg"
ok "graph.svg: valid XML" xmllint --noout "$WORK/graph.svg"
same "graph.svg: its root is an SVG element" "svg" "$(xmllint --xpath 'local-name(/*)' "$WORK/graph.svg")"
same "graph.svg: four curves (planned, achieved, host buffer, drive buffer)" 4 \
	"$(xmllint --xpath 'count(//*[local-name()="polyline"])' "$WORK/graph.svg")"
same "graph.svg: a point per row on the achieved curve" "$rows" \
	"$(xmllint --xpath 'string(//*[local-name()="polyline"][2]/@points)' "$WORK/graph.svg" | wc -w)"
ok "graph.svg: small (under 64 KiB)" test "$(stat -c %s "$WORK/graph.svg")" -lt 65536
same "graph.svg: its size is what stat says" "$(stat -c %s "$D/last_burn/graph.svg")" "$(stat -c %s "$WORK/graph.svg")"
fails_with "Permission denied" "last_burn files are read-only" sh -c "echo x > '$D/last_burn/log.csv'"

finish
