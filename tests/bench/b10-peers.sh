#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Figure 11: discfs against the burners users would pick instead, each run
# unmodified through vdrive (contrib/vdrive) on the same emulated recorder,
# so every one of them goes CDB -> SG_IO/CDROM_SEND_PACKET -> vdrive-server
# -> emulator, discfs included (its libcdio transport, --device=/dev/sr0).
#
# The same ISO (PEERS_MB of random data, made with xorriso -as mkisofs) is
# burned on a fresh blank medium per burn, at the medium's top speed, to a
# closed disc (cdrecord's default without -multi):
#   discfs                 cp in.iso mnt/drive0/burn  (write_speed max, force_close 1)
#   xorriso -as cdrecord   -v dev=/dev/sr0 speed=… in.iso
#   wodim                  -v dev=/dev/sr0 -dao speed=… in.iso  (CD-R only:
#                          on DVD+R it exits 0 with the session left open)
# Per burn: wall time of the writer (cp, xorriso, wodim) from start to exit;
# CPU (user+sys) of the writer's process tree, plus for discfs the daemon's
# CPU over the same interval (/proc/PID/stat), since the daemon does the
# burning; the vdrive-server's CPU (the emulated drive's cost, the same work
# for every burner); the time from the last WRITE(10)/(12) the drive
# answered (vdrive-ctl status, last_write=) to the writer's exit; and
# whether the disc reads back as the ISO (cmp of the emulator's image).
#
# PEERS_TIMESCALES (default "1000000 1"): the emulated drive's clock.  At
# 10^6 times real time writing, closing and polling a busy drive cost nothing,
# so what is left is each program's own overhead (DVD+R and CD-R, BENCH_REPS
# repetitions).  At 1 the drive's real speed and lead-in/lead-out dominate,
# as users see them; those burns take 15 s to over a minute each, so they use
# PEERS_REAL_MB (default 32) MiB, PEERS_REAL_REPS (default 3) repetitions
# and the media in PEERS_REAL_MEDIA (default cd-r, which all three burn; a
# DVD+R adds its 60 s finalization to every burn).
source "$(dirname "$0")/lib.sh"

VDRIVE_BUILD=${VDRIVE_BUILD:-$TOP/build}
PEERS_MB=${PEERS_MB:-200}
PEERS_REAL_MB=${PEERS_REAL_MB:-32}
PEERS_REAL_REPS=${PEERS_REAL_REPS:-3}
PEERS_REAL_MEDIA=${PEERS_REAL_MEDIA:-cd-r}
PEERS_TIMESCALES=${PEERS_TIMESCALES:-1000000 1}
for f in vdrive-server vdrive-ctl libvdrive.so; do
	[ -e "$VDRIVE_BUILD/$f" ] || { echo "b10: $VDRIVE_BUILD/$f is missing (make vdrive)" >&2; exit 1; }
done
for p in xorriso wodim; do
	command -v "$p" > /dev/null || { echo "b10: $p is not installed" >&2; exit 1; }
done

VDRIVE_SOCKET_PATH=$WORK/vdrive.sock
VDRIVE_MEDIUM_DIR=$WORK/vdrive-medium
VDRIVE_PID=
source "$TOP/tests/integration/vdrive.sh"
DISC=$WORK/disc.img
TIMEFORMAT='%3R %3U %3S'

# The daemon first (it holds the medium files open), then the server.
trap 'for n in "${!MOUNTS[@]}"; do unmount_fs "$n"; done; stop_vdrive; bench_cleanup' EXIT

# start_server SPEC: a vdrive-server with one fresh drive, /dev/sr0.
start_server() {
	rm -f "$DISC" "$DISC.state"
	start_vdrive "$1" >&2
}

field() { "$VDRIVE_BUILD/vdrive-ctl" --socket="$VDRIVE_SOCKET_PATH" status | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

# top_x MEDIA: the medium's top speed in xorriso's words (wodim's without the c).
top_x() { case $1 in cd-*) echo 48c ;; dvd*) echo 16d ;; esac; }

# burn BURNER MEDIA TIMESCALE ISO: one burn on a fresh blank medium; prints
# "wall cpu last_write_to_exit drive_cpu ok|BAD".
burn() {
	local burner=$1 media=$2 ts=$3 iso=$4 t0 t1 rc=0 c0 c1 s0 s1 dcpu=0 ok=ok last_write
	start_server "$media,image=$DISC,timescale=$ts" || return 1
	if [ "$burner" = discfs ]; then
		mount_fs disc env VDRIVE_SOCKET="$VDRIVE_SOCKET_PATH" LD_PRELOAD="$VDRIVE_BUILD/libvdrive.so" \
			"$DISCFS" -f --poll-ms=0 --device=/dev/sr0 "$WORK/mnt" || return 1
		# A closed disc, as cdrecord leaves it without -multi.
		max_speed "$WORK/mnt/drive0" && echo 1 > "$WORK/mnt/drive0/force_close" || return 1
		c0=$(cpu_ticks "$PID_disc")
	fi
	s0=$(cpu_ticks "$VDRIVE_PID")
	t0=$(now_s)
	case $burner in
	discfs) { time cp "$iso" "$WORK/mnt/drive0/burn" > "$WORK/burner.log" 2>&1; } 2> "$WORK/time" || rc=1 ;;
	xorriso) { time on_vdrive xorriso -as cdrecord -v dev=/dev/sr0 speed="$(top_x "$media")" "$iso" \
		> "$WORK/burner.log" 2>&1; } 2> "$WORK/time" || rc=1 ;;
	wodim) { time on_vdrive wodim -v dev=/dev/sr0 -dao speed="$(top_x "$media" | tr -d c)" "$iso" \
		> "$WORK/burner.log" 2>&1; } 2> "$WORK/time" || rc=1 ;;
	esac
	t1=$(now_s)
	s1=$(cpu_ticks "$VDRIVE_PID")
	if [ "$burner" = discfs ]; then
		c1=$(cpu_ticks "$PID_disc")
		dcpu=$((c1 - c0))
		grep -q '^completed' "$WORK/mnt/drive0/status" || rc=1
		unmount_fs disc
	fi
	last_write=$(field last_write)
	stop_vdrive
	# The disc must hold the ISO, sector for sector, and be closed (the
	# server saved its layout on the way out).
	[ $rc = 0 ] && cmp -s -n "$(stat -c %s "$iso")" "$DISC" "$iso" && grep -qx finalized=1 "$DISC.state" || ok=BAD
	[ $rc = 0 ] || { echo "($burner on $media failed:)" >&2; tail -5 "$WORK/burner.log" >&2; }
	read -r _ user sys < "$WORK/time"
	awk -v t0="$t0" -v t1="$t1" -v u="$user" -v s="$sys" -v d="$dcpu" -v k="$CLK_TCK" -v lw="$last_write" \
		-v sv=$((s1 - s0)) -v ok=$ok \
		'BEGIN { printf "%.3f %.3f %.3f %.3f %s\n", t1 - t0, u + s + d / k, t1 - lw, sv / k, ok }'
	rm -f "$DISC" "$DISC.state"
}

# mk_peers_iso MB PATH: an ISO 9660 image of MB of random data (random, so
# that no layer can compress or skip it).
mk_peers_iso() {
	mkdir -p "$WORK/src"
	head -c "$(($1 * 1024 * 1024))" /dev/urandom > "$WORK/src/data.bin"
	xorriso -as mkisofs -quiet -R -o "$2" "$WORK/src" 2>/dev/null
	rm -rf "$WORK/src"
}

cell() { stats | awk -v p="$1" '{ printf p " (" p "–" p ")", $2, $1, $3 }'; }

# table TIMESCALE MB REPS MEDIA...
table() {
	local ts=$1 mb=$2 reps=$3 iso=$WORK/in-$2.iso media burner rep
	shift 3
	[ -e "$iso" ] || mk_peers_iso "$mb" "$iso"
	echo "Emulator clock timescale=$ts, $mb MiB of random data ($(($(stat -c %s "$iso") / 2048)) sectors), $reps repetition(s); median (min–max):"
	echo
	echo "| medium | burner | wall s | writer CPU s | last WRITE → exit s | drive CPU s | reads back, closed |"
	echo "|---|---|---|---|---|---|---|"
	for media in "$@"; do
		for burner in discfs xorriso wodim; do
			[ "$burner" = wodim ] && [ "$media" != cd-r ] && continue
			: > "$WORK/rows"
			for ((rep = 0; rep < reps; rep++)); do
				burn "$burner" "$media" "$ts" "$iso" >> "$WORK/rows" || echo "- - - - BAD" >> "$WORK/rows"
			done
			echo "| $media | $burner |" \
				"$(awk '{ print $1 }' "$WORK/rows" | cell %.2f) |" \
				"$(awk '{ print $2 }' "$WORK/rows" | cell %.2f) |" \
				"$(awk '{ print $3 }' "$WORK/rows" | cell %.3f) |" \
				"$(awk '{ print $4 }' "$WORK/rows" | cell %.2f) |" \
				"$(awk '$5 == "ok" { n++ } END { printf "%d/%d", n, NR }' "$WORK/rows") |"
		done
	done
	echo
}

echo "### 11. discfs against xorriso -as cdrecord and wodim, through vdrive"
echo
for ts in $PEERS_TIMESCALES; do
	if [ "$ts" = 1 ]; then
		table 1 "$PEERS_REAL_MB" "$PEERS_REAL_REPS" $PEERS_REAL_MEDIA
	else
		table "$ts" "$PEERS_MB" "$REPS" dvd+r cd-r
	fi
done
