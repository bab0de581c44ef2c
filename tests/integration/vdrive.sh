# SPDX-License-Identifier: GPL-3.0-or-later
# A vdrive-server (contrib/vdrive) for the mounted-tree tests (lib.sh, under
# DISCFS_TRANSPORT=cdio) and the benchmarks that run programs through it.
# Source it after setting VDRIVE_BUILD (where vdrive-server and
# libvdrive.so are), VDRIVE_SOCKET_PATH, VDRIVE_MEDIUM_DIR, VDRIVE_PID
# (empty) and WORK (its log goes to $WORK/vdrive.log).

# Stops the vdrive-server.  SIGTERM lets it remove its socket and medium
# mount; one that hangs is killed and its mount detached.
stop_vdrive() {
	if [ -n "$VDRIVE_PID" ]; then
		kill -TERM "$VDRIVE_PID" 2>/dev/null
		for _ in $(seq 600); do kill -0 "$VDRIVE_PID" 2>/dev/null || break; sleep 0.05; done
		kill -9 "$VDRIVE_PID" 2>/dev/null
		wait "$VDRIVE_PID" 2>/dev/null
		VDRIVE_PID=
	fi
	if mountpoint -q "$VDRIVE_MEDIUM_DIR" 2>/dev/null; then
		fusermount3 -uz "$VDRIVE_MEDIUM_DIR" 2>/dev/null
	fi
	rm -f "$VDRIVE_SOCKET_PATH"
}

# Starts a vdrive-server hosting SPEC... as /dev/sr0, /dev/sr1, ...; it is
# ready once its socket exists.
start_vdrive() {
	local spec args=()
	for spec in "$@"; do args+=("--emulate=$spec"); done
	mkdir -p "$VDRIVE_MEDIUM_DIR"
	# An outer vdrive (a test run inside vdrive-run) must not be inherited.
	env -u VDRIVE_SOCKET -u LD_PRELOAD "$VDRIVE_BUILD/vdrive-server" --socket="$VDRIVE_SOCKET_PATH" \
		--medium-dir="$VDRIVE_MEDIUM_DIR" "${args[@]}" 2>>"$WORK/vdrive.log" &
	VDRIVE_PID=$!
	for _ in $(seq 1200); do
		[ -S "$VDRIVE_SOCKET_PATH" ] && return 0
		kill -0 "$VDRIVE_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "could not start vdrive-server ${args[*]}:"; cat "$WORK/vdrive.log"
	stop_vdrive
	return 1
}

# on_vdrive CMD...: runs CMD as any program under vdrive sees the world: the
# server's drives as /dev/sr0, /dev/sr1, ...
on_vdrive() {
	VDRIVE_SOCKET=$VDRIVE_SOCKET_PATH LD_PRELOAD=$VDRIVE_BUILD/libvdrive.so "$@"
}
