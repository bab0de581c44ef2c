# SPDX-License-Identifier: GPL-3.0-or-later
# Shared helpers for the mounted-tree tests.  Source it, then:
#   mount_discfs --emulate=dvd+rw ...   mounts a fresh tree on $MNT (unmounted on any exit), its
#                                       staged files in $WORK/staging unless --staging-dir says
#   crash_discfs                        the power goes: discfs (and its vdrive) die by SIGKILL
#   device_of INDEX MEDIA               what driveINDEX/device says under this transport
#   on_vdrive CMD...                    runs CMD seeing the drives as /dev/srN (cdio only)
#   ok "what" CMD...                    passes when CMD succeeds
#   fails_with "message" "what" CMD...  passes when CMD fails and says message (strerror text)
#   same "what" EXPECTED ACTUAL
#   finish                              prints "NAME: N passed, M failed" and sets the exit code
#
# DISCFS_TRANSPORT picks how discfs reaches the recorders a test asks for:
#   emu (default)  discfs hosts each --emulate=SPEC itself (the emulator transport);
#   cdio           a vdrive-server (contrib/vdrive) hosts each --emulate=SPEC as
#                  /dev/sr0, /dev/sr1, ... in the order given, and discfs runs under
#                  libvdrive.so with --device=/dev/srN instead, so every command
#                  takes the libcdio transport a real drive takes.
set -u
export LC_ALL=C

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DISCFS=${DISCFS:-$TOP/discfs}
TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/discfs-$TEST_NAME.XXXXXX")
MNT=$WORK/mnt
DAEMON_PID=
DISCFS_TRANSPORT=${DISCFS_TRANSPORT:-emu}
VDRIVE_BUILD=${VDRIVE_BUILD:-$TOP/build}
VDRIVE_SOCKET_PATH=$WORK/vdrive.sock
VDRIVE_MEDIUM_DIR=$WORK/vdrive-medium
VDRIVE_PID=
PASSED=0
FAILED=0
source "$(dirname "${BASH_SOURCE[0]}")/vdrive.sh"

unmount_discfs() {
	if [ -n "$DAEMON_PID" ]; then
		fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -uz "$MNT" 2>/dev/null
		# A daemon that does not leave after the unmount is killed: no
		# test leaves one behind.  The bounds of the waits in this file are
		# generous: a sanitized daemon on a loaded machine is slow, and each
		# wait ends as soon as what it waits for has happened.
		for _ in $(seq 300); do kill -0 "$DAEMON_PID" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=
	fi
	# After discfs: it holds the server's medium files open until it leaves.
	stop_vdrive
}

# The power goes: discfs dies by SIGKILL, and through libcdio the
# vdrive-server that is its recorder too (the emulator's image keeps what
# was written); the dead mount is detached.
crash_discfs() {
	# Through libcdio $DAEMON_PID is the subshell that runs discfs.
	kill -9 $(pgrep -P "$DAEMON_PID") "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=
	fusermount3 -uz "$MNT" 2>/dev/null
	if [ -n "$VDRIVE_PID" ]; then
		kill -9 "$VDRIVE_PID"
		wait "$VDRIVE_PID" 2>/dev/null
		fusermount3 -uz "$VDRIVE_MEDIUM_DIR" 2>/dev/null
		VDRIVE_PID=
	fi
	stop_vdrive
}

is_cdio() { [ "$DISCFS_TRANSPORT" = cdio ]; }

# device_of INDEX MEDIA: driveINDEX's device file, which names the transport's
# end: the node libcdio opened, or the emulated medium.
device_of() {
	if is_cdio; then echo "/dev/sr$1"; else echo "emulated:$2"; fi
}

# in_background CMD...: runs CMD (which may mount, burn and check) in a
# subshell with its own mount point, vdrive and counters, so slow checks
# that mostly wait can overlap.  background_wait prints their output in the
# order started and adds their counts to this test's.
BACKGROUND_PIDS=()
BACKGROUND_NAMES=()
in_background() {
	local name=${#BACKGROUND_PIDS[@]}
	mkdir -p "$WORK/bg-$name"
	(
		MNT=$WORK/bg-$name/mnt
		VDRIVE_SOCKET_PATH=$WORK/bg-$name/vdrive.sock
		VDRIVE_MEDIUM_DIR=$WORK/bg-$name/vdrive-medium
		DAEMON_PID= VDRIVE_PID= PASSED=0 FAILED=0
		BACKGROUND_PIDS=()
		# Only this subshell's mount is its own to undo; $WORK is the parent's.
		trap 'unmount_discfs' EXIT
		trap 'exit 130' INT TERM
		"$@"
		echo "$PASSED $FAILED" > "$WORK/bg-$name/counts"
	) > "$WORK/bg-$name/out" 2>&1 &
	BACKGROUND_PIDS+=($!)
	BACKGROUND_NAMES+=("$*")
}

background_wait() {
	local i p f
	for i in "${!BACKGROUND_PIDS[@]}"; do
		wait "${BACKGROUND_PIDS[$i]}"
		cat "$WORK/bg-$i/out"
		if read -r p f < "$WORK/bg-$i/counts" 2>/dev/null; then
			PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
		else
			fail "${BACKGROUND_NAMES[$i]}: did not finish"
		fi
		rm -rf "$WORK/bg-$i"
	done
	BACKGROUND_PIDS=()
	BACKGROUND_NAMES=()
}

cleanup() {
	# Background checks first: each undoes its own mount as it exits.
	local pid
	for pid in "${BACKGROUND_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	for pid in "${BACKGROUND_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
	unmount_discfs
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Mounts discfs in the foreground (so we own its pid) and waits for the tree.
# Under DISCFS_TRANSPORT=cdio the --emulate options become a vdrive-server's
# drives, and discfs gets --device=/dev/srN for them in the same order.
mount_discfs() {
	unmount_discfs
	mkdir -p "$MNT"
	case $DISCFS_TRANSPORT in
	emu)
		"$DISCFS" -f --staging-dir="$WORK/staging" "$@" "$MNT" 2>>"$WORK/daemon.log" &
		;;
	cdio)
		local arg specs=() args=()
		for arg in "$@"; do
			case $arg in
			--emulate=*) args+=("--device=/dev/sr${#specs[@]}"); specs+=("${arg#--emulate=}") ;;
			*) args+=("$arg") ;;
			esac
		done
		if [ ${#specs[@]} -gt 0 ]; then start_vdrive "${specs[@]}" || return 1; fi
		# ASan's runtime wants to come first; libvdrive.so only wraps libc
		# calls, so the sanitized build (DISCFS=build/san/discfs) may follow it.
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
			on_vdrive "$DISCFS" -f --staging-dir="$WORK/staging" "${args[@]}" "$MNT" 2>>"$WORK/daemon.log" &
		;;
	*)
		echo "DISCFS_TRANSPORT must be emu or cdio, not '$DISCFS_TRANSPORT'"
		return 1
		;;
	esac
	DAEMON_PID=$!
	for _ in $(seq 1200); do
		if mountpoint -q "$MNT"; then return 0; fi
		if ! kill -0 "$DAEMON_PID" 2>/dev/null; then break; fi
		sleep 0.05
	done
	echo "could not mount discfs $*:"; cat "$WORK/daemon.log"
	kill -9 "$DAEMON_PID" 2>/dev/null; wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=
	stop_vdrive
	return 1
}

pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }

ok() {
	local what=$1; shift
	local out
	if out=$("$@" 2>&1); then pass; else fail "$what: $out"; fi
}

# fails_with MESSAGE WHAT CMD...: CMD must fail, and its error must say MESSAGE.
fails_with() {
	local message=$1 what=$2; shift 2
	local out
	if out=$("$@" 2>&1); then
		fail "$what: succeeded, expected '$message'"
	elif [[ "$out" != *"$message"* ]]; then
		fail "$what: expected '$message', got: $out"
	else
		pass
	fi
}

same() {
	if [ "$2" = "$3" ]; then pass; else fail "$1: expected '$2', got '$3'"; fi
}

# contains WHAT NEEDLE HAYSTACK
contains() {
	if [[ "$3" == *"$2"* ]]; then pass; else fail "$1: '$2' not in '$3'"; fi
}

# Writes VALUE to FILE the way echo does (value + newline, one write).
put() { echo "$2" > "$1"; }
# ... and the way printf does (no newline).
put_raw() { printf '%s' "$2" > "$1"; }

# load_medium INDEX MEDIA [STATE]: a person swaps the disc in driveINDEX:
# through vdrive-ctl under the cdio transport, else driveINDEX/emulator/media.
load_medium() {
	local index=$1; shift
	if is_cdio; then
		on_vdrive "$VDRIVE_BUILD/vdrive-ctl" load "/dev/sr$index" "$@"
	else
		put "$MNT/drive$index/emulator/media" "$*"
	fi
}

# slow_plan DRIVE_DIR: burn at the slowest speed the medium takes, so a test
# can act while a burn writes; a speed that is refused fails the test.
slow_plan() {
	local slowest
	slowest=$(head -n 1 "$1/write_speed/supported" | cut -d' ' -f1)
	ok "the slowest speed, $slowest sectors/s, is taken" put "$1/write_speed/starting" "$slowest"
	ok "... as the ending speed too" put "$1/write_speed/ending" "$slowest"
}

# make_iso SIZE_MIB OUT: an ISO 9660 image holding SIZE_MIB of random data.
make_iso() {
	local dir=$WORK/isosrc.$RANDOM
	mkdir -p "$dir"
	head -c "$(($1 * 1048576))" /dev/urandom > "$dir/data.bin"
	echo "discfs test $RANDOM" > "$dir/README"
	genisoimage -quiet -R -J -V DISCFS -o "$2" "$dir" || return 1
	rm -rf "$dir"
}

# session_iso DRIVE_DIR DISC_IMAGE OUT: an ISO for the disc's next session
# as a user appending makes one, genisoimage -C "$(cat msinfo)" -M DISC_IMAGE
# (the emulator's image file); one made for the next writable address when
# only a failed track is there; a plain one on a blank disc.
session_iso() {
	local dir=$WORK/session.$RANDOM msinfo nwa
	mkdir -p "$dir"
	head -c 65536 /dev/urandom > "$dir/s$RANDOM.bin"
	nwa=$(cat "$1/next_writable_address" 2>/dev/null)
	if msinfo=$(cat "$1/msinfo" 2>/dev/null); then
		genisoimage -quiet -R -J -V DISCFS -C "$msinfo" -M "$2" -o "$3" "$dir" 2>/dev/null
	elif [ "${nwa:-0}" != 0 ]; then
		genisoimage -quiet -R -J -V DISCFS -C "0,$nwa" -o "$3" "$dir" 2>/dev/null
	else
		genisoimage -quiet -R -J -V DISCFS -o "$3" "$dir"
	fi
	rm -rf "$dir"
}

# same_on_disc WHAT ISO IMAGE LBA: the image holds ISO from LBA on.
same_on_disc() {
	if cmp -s -n "$(stat -c %s "$2")" "$2" <(tail -c +$(($4 * 2048 + 1)) "$3"); then pass; else fail "$1: disc differs from source"; fi
}

# The Prevent bit of the last PREVENT ALLOW in an emulator log (its log
# writes it in the LBA column).
last_prevent() { awk '$3 == "PREVENT_ALLOW" && $6 == "-" { p = $4 } END { print p }' "$1"; }

finish() {
	echo "$TEST_NAME: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
