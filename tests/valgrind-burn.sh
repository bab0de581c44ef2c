#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# valgrind memcheck on the daemon for a full burn (make check-valgrind):
# discfs runs under memcheck, burns a small ISO onto an emulated DVD-R with
# a full read-back verify, then onto a DVD+RW beside it, and is unmounted.
# Then a second run is stopped by SIGTERM mid-burn (the shutdown path,
# with the writer's file still open).
# Fails on any memcheck error or a definite/indirect leak (exit status 99),
# and when a burn does not match its source byte for byte.
source "$(dirname "$0")/integration/lib.sh"
TEST_NAME=valgrind-burn

VG_LOG=${VG_LOG:-$TOP/build/valgrind-burn.log}
mkdir -p "$(dirname "$VG_LOG")"
# lib.sh starts "$DISCFS" -f ... and keeps its pid: exec makes that
# valgrind's.  VG_RUN_LOG says where this run's report goes.
cat > "$WORK/discfs-vg" <<EOF
#!/bin/sh
exec valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite,indirect \\
	--show-leak-kinds=definite,indirect --track-origins=yes --error-exitcode=99 \\
	--log-file="\$VG_RUN_LOG" "$TOP/discfs" "\$@"
EOF
chmod +x "$WORK/discfs-vg"
DISCFS=$WORK/discfs-vg

make_iso 2 "$WORK/a.iso"
same_on_disc() {
	if cmp -s -n "$(stat -c %s "$2")" "$2" <(tail -c +$(($4 * 2048 + 1)) "$3"); then pass; else fail "$1: disc differs from source"; fi
}

export VG_RUN_LOG=$VG_LOG
mount_discfs --emulate="dvd-r,image=$WORK/r.img,timescale=virtual" \
	--emulate="dvd+rw,image=$WORK/rw.img,timescale=virtual" --poll-ms=200 || { fail mount; finish; exit; }
put "$MNT/drive0/verify" full
ok "dvd-r: burn with full verify under memcheck" timeout 300 cp "$WORK/a.iso" "$MNT/drive0/burn"
contains "dvd-r: completed" completed "$(cat "$MNT/drive0/status")"
same_on_disc "dvd-r" "$WORK/a.iso" "$WORK/r.img" "$(cat "$MNT/drive0/progress/start_lba")"
ok "dvd+rw: burn under memcheck" timeout 300 dd if="$WORK/a.iso" of="$MNT/drive1/burn" bs=1M status=none
same_on_disc "dvd+rw" "$WORK/a.iso" "$WORK/rw.img" 0
ok "reads every attribute" find "$MNT" -type f -perm -u+r -exec cat {} + -o -true

# judge WHAT LOG: waits for memcheck to finish its leak check (slow) and
# judges its exit status and summary.
judge() {
	local rc=timeout summary
	for _ in $(seq 1200); do
		if ! kill -0 "$DAEMON_PID" 2>/dev/null; then wait "$DAEMON_PID"; rc=$?; break; fi
		sleep 0.1
	done
	DAEMON_PID=
	same "$1: memcheck's exit status (99: errors or leaks)" 0 "$rc"
	summary=$(grep "ERROR SUMMARY" "$2" | tail -n 1)
	contains "$1: memcheck: no errors" "ERROR SUMMARY: 0 errors" "$summary"
	echo "valgrind ($1): ${summary#==*== }"
	grep -E "definitely lost|indirectly lost|possibly lost|still reachable|All heap blocks" "$2" | sed "s/^==[0-9]*== */valgrind ($1): /"
	[ "$FAILED" -eq 0 ] || echo "valgrind log: $2"
}

fusermount3 -u "$MNT"
judge "two burns, unmount" "$VG_LOG"

# SIGTERM mid-burn: a slow plan on a 1:5 clock keeps the burn going.
export VG_RUN_LOG=$VG_LOG.sigterm
mount_discfs --emulate="dvd-r,image=$WORK/t.img,timescale=5" --poll-ms=200 || { fail mount; finish; exit; }
put "$MNT/drive0/write_speed/starting" 20
put "$MNT/drive0/write_speed/ending" 20
( cp "$WORK/a.iso" "$MNT/drive0/burn"; echo $? > "$WORK/cp.rc" ) 2>/dev/null &
for _ in $(seq 300); do [[ $(cat "$MNT/drive0/status" 2>/dev/null) == writing* ]] && break; sleep 0.1; done
contains "sigterm: the burn is writing" writing "$(cat "$MNT/drive0/status")"
kill -TERM "$DAEMON_PID"
judge "SIGTERM mid-burn" "$VG_RUN_LOG"
wait
same "sigterm: the writer is told" 1 "$(cat "$WORK/cp.rc")"
finish
