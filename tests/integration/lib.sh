# Shared helpers for the mounted-tree tests.  Source it, then:
#   mount_discfs --emulate=dvd+rw ...   mounts a fresh tree on $MNT (unmounted on any exit)
#   ok "what" CMD...                    passes when CMD succeeds
#   fails_with "message" "what" CMD...  passes when CMD fails and says message (strerror text)
#   same "what" EXPECTED ACTUAL
#   finish                              prints "NAME: N passed, M failed" and sets the exit code
set -u
export LC_ALL=C

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DISCFS=${DISCFS:-$TOP/discfs}
TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/discfs-$TEST_NAME.XXXXXX")
MNT=$WORK/mnt
DAEMON_PID=
PASSED=0
FAILED=0

unmount_discfs() {
	if [ -n "$DAEMON_PID" ]; then
		fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -uz "$MNT" 2>/dev/null
		# A daemon that does not leave after the unmount is killed: no
		# test leaves one behind.
		for _ in $(seq 100); do kill -0 "$DAEMON_PID" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=
	fi
}

cleanup() {
	unmount_discfs
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Mounts discfs in the foreground (so we own its pid) and waits for the tree.
mount_discfs() {
	unmount_discfs
	mkdir -p "$MNT"
	"$DISCFS" -f "$@" "$MNT" 2>>"$WORK/daemon.log" &
	DAEMON_PID=$!
	for _ in $(seq 200); do
		if mountpoint -q "$MNT"; then return 0; fi
		if ! kill -0 "$DAEMON_PID" 2>/dev/null; then break; fi
		sleep 0.05
	done
	echo "could not mount discfs $*:"; cat "$WORK/daemon.log"
	DAEMON_PID=
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

# make_iso SIZE_MIB OUT: an ISO 9660 image holding SIZE_MIB of random data.
make_iso() {
	local dir=$WORK/isosrc.$RANDOM
	mkdir -p "$dir"
	head -c "$(($1 * 1048576))" /dev/urandom > "$dir/data.bin"
	echo "discfs test $RANDOM" > "$dir/README"
	genisoimage -quiet -R -J -V DISCFS -o "$2" "$dir" || return 1
	rm -rf "$dir"
}

finish() {
	echo "$TEST_NAME: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
