#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# t80-ecosystem: discfs among the tools around it.
#   make install / uninstall into a DESTDIR; the man page through man -l;
#   mount -t fuse.discfs and an fstab (mount -a -T) through mount.fuse3, and
#   fusermount3 -u; bash completion; -d's sg_raw-style MMC trace; --version;
#   contrib/examples/burn-verify-eject.sh on an emulated recorder.
#
# mount(8) gives mount.fuse3 no PATH, so the shell it starts finds discfs
# only in the default directories (/usr/local/sbin, /usr/local/bin, ...).
# Rather than install into the real system, the test runs in a private mount
# namespace (unshare -m) and binds a directory holding the DESTDIR-installed
# discfs over /usr/local/sbin there: nothing outside sees it, and the
# namespace, with any mount in it, goes away with the test.
if [ -z "${T80_NAMESPACE:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
	unshare -m --propagation private true 2>/dev/null; then
	T80_NAMESPACE=1 exec unshare -m --propagation private "${BASH:-bash}" "$0" "$@"
fi

source "$(dirname "$0")/lib.sh"

# Mount points used through mount(8): the daemons there are not ours by pid,
# so they are found by their command line, which names the mount point.
T80_MOUNTS=()
T80_BOUND=

# daemon_pids DIR: discfs processes whose arguments include the mount point DIR.
daemon_pids() {
	local f pid
	for f in /proc/[0-9]*/cmdline; do
		pid=${f#/proc/}; pid=${pid%/cmdline}
		[ "$pid" = $$ ] && continue
		if tr '\0' '\n' < "$f" 2>/dev/null | grep -qxF -- "$1" &&
			tr '\0' '\n' < "$f" 2>/dev/null | head -n 1 | grep -q 'discfs$'; then
			echo "$pid"
		fi
	done
}

# Unmounts DIR if mounted and makes sure its daemon is gone.
release_mount() {
	local pid
	if mountpoint -q "$1"; then
		fusermount3 -u "$1" 2>/dev/null || umount -l "$1" 2>/dev/null
	fi
	for _ in $(seq 300); do [ -z "$(daemon_pids "$1")" ] && return 0; sleep 0.1; done
	for pid in $(daemon_pids "$1"); do kill -9 "$pid" 2>/dev/null; done
	return 1
}

t80_cleanup() {
	local m
	for m in "${T80_MOUNTS[@]}"; do release_mount "$m"; done
	[ -n "$T80_BOUND" ] && umount -l /usr/local/sbin 2>/dev/null
	cleanup
}
trap t80_cleanup EXIT

skip() { echo "SKIP: $*"; }

# ---- --version ---------------------------------------------------------------
version=$("$DISCFS" --version)
same "--version exit status" 0 $?
same "--version prints three lines" 3 "$(echo "$version" | wc -l)"
contains "--version: discfs" "discfs 0.1" "$(echo "$version" | sed -n 1p)"
contains "--version: libfuse" "libfuse $(pkg-config --modversion fuse3)" "$(echo "$version" | sed -n 2p)"
contains "--version: libcdio" "libcdio $(pkg-config --modversion libcdio)" "$(echo "$version" | sed -n 3p)"
help=$("$DISCFS" --help 2>&1)
for o in device= emulate= emulate_if_none= poll_ms= fifo_mib= staging_dir=; do
	contains "--help names -o $o" "-o $o" "$help"
done

# ---- make install / uninstall ------------------------------------------------
# -o discfs: install the binary under test; never rebuild it mid-suite.
ROOT=$WORK/root
install_log=$WORK/install.log
if make -s -C "$TOP" -o discfs install DESTDIR="$ROOT" > "$install_log" 2>&1; then
	pass
else
	fail "make install DESTDIR: $(cat "$install_log")"
fi
# mode PATH: the octal mode of PATH, or "missing".
mode() { stat -c %a "$1" 2>/dev/null || echo missing; }
same "bin/discfs" 755 "$(mode "$ROOT/usr/local/bin/discfs")"
same "man page" 644 "$(mode "$ROOT/usr/local/share/man/man1/discfs.1")"
same "bash completion" 644 "$(mode "$ROOT/usr/local/share/bash-completion/completions/discfs")"
same "example script" 755 "$(mode "$ROOT/usr/local/share/doc/discfs/examples/burn-verify-eject.sh")"
same "systemd unit in /etc" 644 "$(mode "$ROOT/etc/systemd/system/discfs@.service")"
same "udev rule in /etc" 644 "$(mode "$ROOT/etc/udev/rules.d/70-discfs.rules")"
contains "unit runs the installed discfs" "ExecStart=/usr/local/bin/discfs -f" \
	"$(cat "$ROOT/etc/systemd/system/discfs@.service" 2>&1)"
contains "udev rule starts the unit" 'SYSTEMD_WANTS}+="discfs@%k.service"' \
	"$(cat "$ROOT/etc/udev/rules.d/70-discfs.rules" 2>&1)"
same "no mount-path symlink for /usr/local" missing "$(mode "$ROOT/usr/local/sbin/discfs")"
ok "installed discfs runs" "$ROOT/usr/local/bin/discfs" --version
if command -v systemd-analyze >/dev/null; then
	# The instance as systemd would load it, run against the binary here.
	mkdir -p "$WORK/units"
	sed "s|/usr/local/bin/discfs|$DISCFS|" "$ROOT/etc/systemd/system/discfs@.service" \
		> "$WORK/units/discfs@.service"
	ok "systemd-analyze verify discfs@sr0.service" \
		systemd-analyze verify --man=no "$WORK/units/discfs@sr0.service"
else
	skip "systemd-analyze not installed: the unit file is not verified"
fi

# A package build: units and rules in /usr/lib.
PKG=$WORK/pkg
make -s -C "$TOP" -o discfs install DESTDIR="$PKG" PREFIX=/usr > "$install_log" 2>&1 ||
	fail "make install PREFIX=/usr: $(cat "$install_log")"
same "PREFIX=/usr: unit in /usr/lib" 644 "$(mode "$PKG/usr/lib/systemd/system/discfs@.service")"
same "PREFIX=/usr: rule in /usr/lib" 644 "$(mode "$PKG/usr/lib/udev/rules.d/70-discfs.rules")"
same "PREFIX=/usr: completion" 644 "$(mode "$PKG/usr/share/bash-completion/completions/discfs")"

# A prefix mount(8) does not search gets the symlink.
OPT=$WORK/opt
make -s -C "$TOP" -o discfs install DESTDIR="$OPT" PREFIX=/opt/discfs > "$install_log" 2>&1 ||
	fail "make install PREFIX=/opt/discfs: $(cat "$install_log")"
same "PREFIX=/opt/discfs: mount-path symlink" /opt/discfs/bin/discfs "$(readlink "$OPT/usr/local/sbin/discfs")"

for dest in "$PKG:/usr" "$OPT:/opt/discfs"; do
	make -s -C "$TOP" uninstall DESTDIR="${dest%%:*}" PREFIX="${dest#*:}" > "$install_log" 2>&1 ||
		fail "make uninstall PREFIX=${dest#*:}: $(cat "$install_log")"
	same "uninstall PREFIX=${dest#*:} leaves no file" "" "$(find "${dest%%:*}" ! -type d)"
done

# ---- the man page ------------------------------------------------------------
MANPAGE=$ROOT/usr/local/share/man/man1/discfs.1
if ! command -v man >/dev/null; then
	fail "man is not installed (Debian: man-db)"
else
	rendered=$(MANWIDTH=100 man --warnings -l "$MANPAGE" 2> "$WORK/man.err")
	same "man -l exit status" 0 $?
	same "man -l: no groff warnings" "" "$(cat "$WORK/man.err")"
	for section in NAME SYNOPSIS OPTIONS MOUNTING "THE TREE" ERRORS "EXIT STATUS" LOGGING FILES EXAMPLES; do
		contains "man page section $section" "$section" "$rendered"
	done
	# Every file of the tree, as src/tree/tree.c lists it, is in the page.
	missing=
	for f in $(sed -n 's/^[[:space:]]*ATTR_[A-Z_]*("\([^"]*\)".*/\1/p' "$TOP/src/tree/tree.c"); do
		grep -qF -- "$f" <<< "$rendered" || missing="$missing $f"
	done
	same "man page lists every file of src/tree/tree.c" "" "$missing"
	# ... and every file of all/, as src/tree/fs_tower.c lists it.
	missing=
	for f in $(sed -n 's/^[[:space:]]*\[TOWER_[A-Z_]*\] = { "\([^"]*\)".*/\1/p' "$TOP/src/tree/fs_tower.c") files/; do
		grep -qF -- "all/$f" <<< "$rendered" || missing="$missing all/$f"
	done
	same "man page lists every file of all/ (src/tree/fs_tower.c)" "" "$missing"
	ok "... which lists some" test "$(grep -c '^[[:space:]]*\[TOWER_[A-Z_]*\] = { "' "$TOP/src/tree/fs_tower.c")" -ge 8
	# Every option --help shows, in both forms.
	missing=
	for o in $("$DISCFS" --help 2>/dev/null | sed -n '/^discfs options/,/^$/p' |
		grep -oE -- '--[a-z-]+=?|-o [a-z_]+=' | sed 's/^-o //' | sort -u); do
		grep -qF -- "$o" <<< "$rendered" || missing="$missing $o"
	done
	same "man page documents every option of --help" "" "$missing"
	contains "man finds the installed page" "discfs - mount CD" \
		"$(MANPATH=$ROOT/usr/local/share/man MANWIDTH=80 man -P cat discfs 2>&1 | head -n 8)"
fi

# Uninstalling the main install last: the mount tests below run its binary.
# (Checked here on a second copy so the first stays.)
COPY=$WORK/copy
make -s -C "$TOP" -o discfs install DESTDIR="$COPY" > "$install_log" 2>&1 &&
	make -s -C "$TOP" uninstall DESTDIR="$COPY" >> "$install_log" 2>&1 ||
	fail "make install/uninstall DESTDIR: $(cat "$install_log")"
same "uninstall leaves no file" "" "$(find "$COPY" ! -type d)"

# ---- bash completion ---------------------------------------------------------
# complete WORD...: what _discfs offers for the command line WORD... (the last
# word is the one being completed), one per line.
complete_words() {
	bash --norc --noprofile -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_discfs; printf "%s\n" "${COMPREPLY[@]}"' \
		complete "$ROOT/usr/local/share/bash-completion/completions/discfs" "$@"
}
same "completion is registered" "complete -F _discfs discfs" \
	"$(bash --norc -c 'source "$1"; complete -p discfs' x "$ROOT/usr/local/share/bash-completion/completions/discfs")"
contains "--emu completes to --emulate=" $'\n--emulate=\n' $'\n'"$(complete_words discfs --emu)"$'\n'
same "--emulate-i completes to --emulate-if-none=" "--emulate-if-none=" "$(complete_words discfs --emulate-i)"
same "--emulate=dvd+r completes the media" $'dvd+r\ndvd+rw' "$(complete_words discfs --emulate = dvd+r)"
same "--emulate=cd-r,time completes the key" "cd-r,timescale=" "$(complete_words discfs --emulate = cd-r,time)"
same "-o emulate_ completes the -o form" "allow_other,emulate_if_none=" \
	"$(complete_words discfs -o allow_other,emulate_)"
same "-o emulate=bd-r:st completes with ':'" "bd-r:state=" "$(complete_words discfs -o emulate = bd-r:st)"

# ---- -d: the MMC trace -------------------------------------------------------
if mount_discfs -d --emulate=none; then
	unmount_discfs
	trace=$(grep -a 'cdb to send' "$WORK/daemon.log")
	inquiry=$(grep -a '\[INQUIRY\]' <<< "$trace" | head -n 1)
	# The CDB in hex, the direction and length, the status, the reply's first
	# bytes (05h: a CD/DVD device).
	sg_raw_style='drive0: cdb to send: 12 00 00 00 [0-9a-f]{2} 00 \[INQUIRY\] data-in [0-9]+ bytes; SCSI Status: Good; received [0-9]+ bytes: 05 '
	if [[ $inquiry =~ $sg_raw_style ]]; then
		pass
	else
		fail "-d INQUIRY line not in sg_raw style: '$inquiry'"
	fi
	# An empty tray: TEST UNIT READY ends in CHECK CONDITION, 2/3A/xx.
	tur=$(grep -a '\[TEST UNIT READY\]' <<< "$trace" | grep -a 'Check Condition' | head -n 1)
	contains "-d shows the sense key" "Sense key: Not Ready, asc/ascq 3a/" "$tur"
	contains "-d shows the raw sense bytes" "raw sense data, length=" "$tur"
else
	fail "discfs -d did not mount"
fi
# Without -d, no trace.
: > "$WORK/daemon.log"
if mount_discfs --emulate=dvd+rw; then
	unmount_discfs
	same "no trace without -d" 0 "$(grep -ac 'cdb to send' "$WORK/daemon.log")"
fi
: > "$WORK/daemon.log"

# ---- syslog when detached ----------------------------------------------------
# A nested private namespace with its own /dev holds a /dev/log that a small
# listener reads, so the check needs no syslog daemon and touches no real one.
if [ "${T80_NAMESPACE:-}" = 1 ] && command -v python3 >/dev/null; then
	mkdir -p "$WORK/syslog-mnt"
	unshare -m --propagation private bash -s "$DISCFS" "$WORK/syslog-mnt" "$WORK/syslog" \
		> "$WORK/syslog.out" 2>&1 <<-'EOF'
	discfs=$1 mnt=$2 log=$3
	mount -t tmpfs tmpfs /dev || exit 1
	mknod /dev/fuse c 10 229 && mknod /dev/null c 1 3 && chmod 666 /dev/fuse /dev/null || exit 1
	python3 -c '
	import socket, sys
	s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	s.bind("/dev/log")
	open(sys.argv[1] + ".ready", "w").close()
	s.settimeout(2)
	with open(sys.argv[1], "w") as out:
	    try:
	        while True:
	            out.write(s.recv(4096).decode(errors="replace") + "\n"); out.flush()
	    except OSError:
	        pass
	' "$log" &
	listener=$!
	for _ in $(seq 1200); do [ -e "$log.ready" ] && break; sleep 0.05; done
	"$discfs" -f -o emulate=foreground-only "$mnt"
	"$discfs" -o emulate=detached-bogus "$mnt"
	wait "$listener"
	EOF
	syslog=$(cat "$WORK/syslog" 2>/dev/null)
	contains "detached: error to syslog (daemon.err, discfs[pid])" \
		"<27>" "$(grep 'discfs\[[0-9]*\]: --emulate=detached-bogus: unknown medium' <<< "$syslog")"
	contains "detached: error also on stderr before detaching" "discfs: --emulate=detached-bogus" \
		"$(cat "$WORK/syslog.out")"
	same "foreground: nothing to syslog" "" "$(grep foreground-only <<< "$syslog")"
	contains "foreground: error on stderr" "discfs: --emulate=foreground-only" "$(cat "$WORK/syslog.out")"
else
	skip "syslog check: needs the private mount namespace and python3"
fi

# ---- mount conventions -------------------------------------------------------
# A SOURCE under /dev is the recorder to open, as --device is.
fails_with "cannot open /dev/discfs-t80-none" "SOURCE /dev/... is the recorder" \
	"$DISCFS" -f /dev/discfs-t80-none "$WORK"
fails_with "too many arguments" "three positional arguments" "$DISCFS" -f a b "$WORK"
# ... and opens it, under vdrive, as a real drive is opened: `discfs /dev/sr0 DIR`.
if [ -x "$VDRIVE_BUILD/vdrive-server" ] && [ -e "$VDRIVE_BUILD/libvdrive.so" ]; then
	if start_vdrive cd-rw; then
		mkdir -p "$MNT"
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
			on_vdrive "$DISCFS" -f --staging-dir="$WORK/staging" /dev/sr0 "$MNT" 2>>"$WORK/daemon.log" &
		DAEMON_PID=$!
		for _ in $(seq 1200); do mountpoint -q "$MNT" && break; sleep 0.05; done
		same "SOURCE /dev/sr0 is drive0" /dev/sr0 "$(cat "$MNT/drive0/device" 2>&1)"
		same "SOURCE names the mount" "/dev/sr0 fuse.discfs" \
			"$(awk -v m="$MNT" '$2 == m { print $1, $3 }' /proc/mounts)"
		unmount_discfs
	else
		fail "could not start vdrive-server"
	fi
else
	skip "vdrive not built (make vdrive): SOURCE=/dev/sr0 not tried on a drive"
fi

if [ "${T80_NAMESPACE:-}" != 1 ]; then
	skip "mount -t fuse.discfs and mount -a -T: need root and unshare -m (a private mount namespace)"
else
	PATHDIR=$WORK/mount-path
	mkdir -p "$PATHDIR"
	cp -a /usr/local/sbin/. "$PATHDIR/" 2>/dev/null
	ln -sf "$ROOT/usr/local/bin/discfs" "$PATHDIR/discfs"
	mount --bind "$PATHDIR" /usr/local/sbin && T80_BOUND=1
	ok "private /usr/local/sbin holds discfs" test -x /usr/local/sbin/discfs

	M1=$WORK/discs
	mkdir -p "$M1"
	T80_MOUNTS+=("$M1")
	# Both escapes of the spec's commas, and the options mount(8) and
	# systemd add, which must not reach discfs or must be ignored there.
	ok "mount -t fuse.discfs" mount -t fuse.discfs discfs "$M1" \
		-o 'emulate=dvd+rw:timescale=10,emulate=cd-rw\,state=appendable,noauto,_netdev,nofail,x-systemd.automount,poll_ms=500,nosuid,nodev'",staging_dir=$WORK/staging"
	same "mounted as fuse.discfs" "discfs $M1 fuse.discfs" "$(awk -v m="$M1" '$2 == m { print $1, $2, $3 }' /proc/mounts)"
	same "-o emulate=dvd+rw:timescale=10" "emulated:dvd+rw" "$(cat "$M1/drive0/device" 2>&1)"
	same "-o emulate=cd-rw\\,state=appendable" "emulated:cd-rw" "$(cat "$M1/drive1/device" 2>&1)"
	contains "the escaped comma's option applies" appendable "$(cat "$M1/drive1/media_status" 2>&1)"
	contains "nosuid reaches the kernel" nosuid "$(awk -v m="$M1" '$2 == m { print $4 }' /proc/mounts)"
	same "the daemon detached" 1 "$(daemon_pids "$M1" | wc -l)"
	ok "fusermount3 -u" fusermount3 -u "$M1"
	ok "unmounted" bash -c "! mountpoint -q '$M1'"
	ok "the daemon left with the mount" release_mount "$M1"

	# A failure before the daemon detaches reaches mount's caller.
	fails_with "unknown medium" "mount -t fuse.discfs with a bad spec" \
		mount -t fuse.discfs discfs "$M1" -o emulate=bogus
	ok "nothing mounted after the failure" bash -c "! mountpoint -q '$M1'"

	# /etc/fstab's conventions, on a test fstab.
	M2=$WORK/fstab-discs
	M3=$WORK/fstab-noauto
	mkdir -p "$M2" "$M3"
	T80_MOUNTS+=("$M2" "$M3")
	cat > "$WORK/fstab" <<-EOF
	# discfs test fstab
	discfs  $M2  fuse.discfs  emulate=bd-r:timescale=10,poll_ms=0,fifo_mib=4,staging_dir=$WORK/staging,nofail,x-systemd.requires=local-fs.target,comment=t80  0 0
	discfs  $M3  fuse.discfs  noauto,emulate_if_none=cd-r\\,timescale=5,staging_dir=$WORK/staging  0 0
	EOF
	ok "mount -a -T fstab" mount -a -T "$WORK/fstab"
	same "fstab line mounted" "emulated:bd-r" "$(cat "$M2/drive0/device" 2>&1)"
	ok "noauto line left alone" bash -c "! mountpoint -q '$M3'"
	ok "mount -T fstab MOUNTPOINT mounts a noauto line" mount -T "$WORK/fstab" "$M3"
	# No recorder on this machine is assumed: with one, it is drive0.
	contains "emulate_if_none=cd-r\\,timescale=5 or a real recorder" "drive0" "$(ls "$M3" 2>&1)"
	ok "fusermount3 -u (fstab)" fusermount3 -u "$M2"
	ok "umount (fstab, noauto)" umount "$M3"
	ok "fstab mounts gone" bash -c "! mountpoint -q '$M2' && ! mountpoint -q '$M3'"
	ok "fstab daemon gone" release_mount "$M2"
	ok "noauto daemon gone" release_mount "$M3"
fi

# ---- the example script ------------------------------------------------------
SCRIPT=$TOP/contrib/examples/burn-verify-eject.sh
make_iso 2 "$WORK/image.iso" || fail "make_iso"
if mount_discfs --emulate=dvd+r,image=$WORK/disc.img,timescale=50; then
	out=$(bash "$SCRIPT" "$WORK/image.iso" "$MNT/drive0" 2>&1)
	same "burn-verify-eject.sh exit status (output: $out)" 0 $?
	contains "the script burned and verified" "done:   completed" "$out"
	ok "the disc holds the image" cmp -n "$(stat -c %s "$WORK/image.iso")" "$WORK/image.iso" "$WORK/disc.img"
	same "verify setting restored" none "$(cat "$MNT/drive0/verify")"
	if [ -e "$MNT/drive0/eject" ]; then
		contains "the script ejected" "eject:  tray open" "$out"
		same "tray open after the script" open "$(cat "$MNT/drive0/tray")"
	else
		echo "NOTE: this tree has no drive0/eject; the script's eject step was skipped, and it said so"
		contains "the script says it did not eject" "eject:  not done" "$out"
	fi
	unmount_discfs
fi
if mount_discfs --emulate=none; then
	out=$(bash "$SCRIPT" "$WORK/image.iso" "$MNT/drive0" 2>&1)
	same "script on an empty tray: exit status" 1 $?
	contains "script on an empty tray: says why" "no disc" "$out"
	unmount_discfs
fi
# A tree without an eject file (an older discfs): the script tells the user.
FAKE=$WORK/old-drive
mkdir -p "$FAKE"
for kv in media=dvd+r media_status=blank free_sectors=2295104 vendor=OLD product=TREE device=/dev/sr9 \
	verify=none force_close=0 last_error=none "status=completed 1/1 sectors in 0.1s"; do
	echo "${kv#*=}" > "$FAKE/${kv%%=*}"
done
: > "$FAKE/burn"
out=$(bash "$SCRIPT" "$WORK/image.iso" "$FAKE" 2>&1)
same "script without an eject file: exit status" 0 $?
contains "script without an eject file: says so" "eject:  not done: this discfs has no $FAKE/eject file" "$out"

finish
