#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Rate control on the recorder's own clock: the planned rate runs from
# write_speed/starting at the first sector to write_speed/ending at the
# last, linear by LBA.  The emulator logs every WRITE with its time on the
# emulated clock; the achieved rate over each tenth of the image must be
# within 2 % of the plan's.  timescale=virtual makes emulated time pass only
# when the engine or the drive waits on that clock, so the test never
# sleeps and measures the engine's pacing exactly, whatever else the
# machine is doing.
#
# Under DISCFS_TRANSPORT=cdio discfs cannot see the emulator's clock: it
# paces on the real clock (transport_cdio.c), so the emulator must run on it
# too (timescale=1) and every burn takes its real time.  There the achieved
# rate depends on the scheduler (a stalled engine catches up after), so
# only what does not is asserted: the plan, and the speed asked of the
# drive before the first WRITE; the measured figure is printed, and the
# precise one is this suite's on the virtual clock and `make bench`'s.
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
CLOCK=virtual
is_cdio && CLOCK=1
make_iso 12 "$WORK/image.iso"

# check_rate MEDIA START END: burns with that plan and compares, per tenth.
# Each plan is one a constant-speed descriptor of the medium can keep up
# with near the inner radius, where a CAV descriptor runs at 0.4 of its
# rating.
check_rate() {
	local media=$1 start=$2 end=$3 log=$WORK/$1-$2-$3.log
	local D=$MNT/drive0	# MNT is a background check's own
	local img=$WORK/$1-$2-$3.img
	mount_discfs --emulate="$media,image=$img,timescale=$CLOCK,log=$log" --poll-ms=0 || { fail "$media: mount"; return; }
	put "$D/write_speed/starting" "$start"
	put "$D/write_speed/ending" "$end"
	ok "$media $start→$end: burn" cp "$WORK/image.iso" "$D/burn"
	ok "$media $start→$end: the disc matches" cmp -n "$(stat -c %s "$WORK/image.iso")" "$WORK/image.iso" \
		<(tail -c +$(($(cat "$D/progress/start_lba") * 2048 + 1)) "$img")
	local sectors
	sectors=$(cat "$D/progress/sector_count")
	# Time of each WRITE's first sector, relative to the first WRITE; the
	# plan's time to reach LBA x is N/(e-s)·ln(r(x)/s), or x/s when flat.
	local report
	report=$(awk -v s="$start" -v e="$end" -v n="$sectors" '
		function plan(x,   r) {
			if (s == e) return x / s
			r = s + (e - s) * x / n
			return n / (e - s) * log(r / s)
		}
		$3 ~ /^WRITE/ {
			if (t0 == "") { t0 = $1; lba0 = $4 }
			x = $4 - lba0; t = ($1 - t0) / 1e9
			tenth = int(x * 10 / n)
			if (!(tenth in first)) { first[tenth] = x; tfirst[tenth] = t }
			last[tenth] = x; tlast[tenth] = t
		}
		END {
			worst = 0
			for (i = 0; i < 10; i++) {
				if (!(i in first) || last[i] == first[i]) continue
				got = (last[i] - first[i]) / (tlast[i] - tfirst[i])
				want = (last[i] - first[i]) / (plan(last[i]) - plan(first[i]))
				err = got / want - 1; if (err < 0) err = -err
				if (err > worst) worst = err
			}
			printf "%.4f\n", worst
		}' "$log")
	echo "rate $media $start→$end sectors/s: worst tenth off the plan by $report"
	same "$media $start→$end: the plan" "planned $start to $end sectors/s" "$(cat "$D/progress/speed")"
	ok "$media $start→$end: a speed asked of the drive before the first WRITE" \
		awk '$3 ~ /^SET_(STREAMING|CD_SPEED)$/ { asked = 1 } $3 ~ /^WRITE/ { exit !asked } END { exit !asked }' "$log"
	is_cdio || ok "$media $start→$end: worst tenth within 2% of plan (worst $report)" \
		awk -v w="$report" 'BEGIN { exit !(w != "" && w < 0.02) }'
	unmount_discfs
}

# max: as fast as the drive takes data, so faster than any plan above.  No
# rate is measured, so the emulator's clock may run fast on any transport.
check_max() {
	mount_discfs --emulate="dvd+r,image=$WORK/max.img,timescale=$CLOCK,log=$WORK/max.log" --poll-ms=0 || { fail "max: mount"; return; }
	put "$D/write_speed/starting" max
	put "$D/write_speed/ending" max
	ok "max: burn" cp "$WORK/image.iso" "$D/burn"
	ok "max: the disc matches" cmp -n "$(stat -c %s "$WORK/image.iso")" "$WORK/image.iso" "$WORK/max.img"
	contains "max: the fastest descriptor was asked for" "maximum" "$(cat "$D/progress/speed")"
	unmount_discfs
}

# On the real clock each burn also takes the real time of closing the
# session (30 s on DVD, 10 s on BD, the lead-out on CD), during which
# nothing is measured; so under cdio the burns run side by side.
run=
is_cdio && run=in_background
$run check_rate dvd+r 2720 2720	# flat, 4x
$run check_rate dvd+r 2720 5440	# CAV-style ramp, 4x to 8x
$run check_rate dvd-r 5440 2720	# a falling ramp
$run check_rate cd-r 750 1800	# 10x to 24x CD
$run check_rate bd-r 4390 8780	# 2x to 4x BD
check_max
is_cdio && background_wait

finish
