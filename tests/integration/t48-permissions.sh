#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Permissions (issue 6):
#   - every file's mode is the one src/tree/tree.c gives it (sysfs: 0444
#     read-only, 0644 read-write, 0200 write-only): the table is read from
#     the source, the mounted tree walked, and neither may have a file the
#     other lacks;
#   - with -o allow_other (discfs always adds default_permissions), a user
#     who is not root reads attributes but gets EACCES on burn, erase,
#     eject and the read-write files; root burns (verified byte for byte)
#     and ejects;
#   - without allow_other, other users cannot even look (the FUSE default).
source "$(dirname "$0")/lib.sh"

D=$MNT/drive0
USER_NAME=nobody
SAN_REPORT="ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:"

# as_user CMD...: CMD as $USER_NAME, with no supplementary groups.
as_user() { setpriv --reuid="$USER_NAME" --regid="$(id -g "$USER_NAME")" --clear-groups "$@"; }

if [ "$(id -u)" != 0 ]; then
	echo "t48-permissions: needs root (mounts with allow_other, switches users); skipped"
	finish
	exit
fi
if ! id "$USER_NAME" >/dev/null 2>&1; then
	useradd --system --no-create-home "$USER_NAME" || { fail "no user $USER_NAME"; finish; exit; }
fi

make_iso 1 "$WORK/a.iso"
# The user must reach the image to try burning it.
chmod 755 "$WORK"; chmod 644 "$WORK/a.iso"

# The table: every row of attrs[] in src/tree/tree.c, whatever its macro
# (ATTR_RO, ATTR_DISC, one added later ...): each macro's mode is read from
# its #define (.mode = 0444), so a new macro needs nothing here, and a row
# this cannot read, or whose macro gives no mode, fails.
declare -A macro_mode want
while read -r macro mode; do
	macro_mode[$macro]=$mode
done < <(sed -nE 's/^#define ([A-Za-z_][A-Za-z0-9_]*)\(.*\.mode = 0([0-7]{3}).*/\1 \2/p' "$TOP/src/tree/tree.c")
while read -r row; do
	if [[ $row =~ ^([A-Za-z_][A-Za-z0-9_]*)\(\"([^\"]+)\" ]]; then
		macro=${BASH_REMATCH[1]} path=${BASH_REMATCH[2]}
		if [ -n "${macro_mode[$macro]:-}" ]; then
			want[$path]=${macro_mode[$macro]}
		else
			fail "src/tree/tree.c: $macro (row $path) gives no .mode in a #define"
		fi
	else
		fail "src/tree/tree.c: a row of attrs[] not read: $row"
	fi
done < <(sed -n '/^static const struct attr attrs\[\] = {$/,/^};$/p' "$TOP/src/tree/tree.c" |
	sed -e '1d' -e '$d' -e 's/^\s*//' | grep -vE '^(/\*|\*|$)')
if [ ${#want[@]} -ge 40 ]; then pass; else fail "read only ${#want[@]} files from src/tree/tree.c"; fi

mount_discfs --emulate="dvd+rw,image=$WORK/disc.img,timescale=50" -o allow_other --poll-ms=0 || { finish; exit; }

# Walk the tree: each file's mode against the table, and back.
declare -A seen
while read -r mode path; do
	seen[$path]=1
	if [ -z "${want[$path]:-}" ]; then
		fail "drive0/$path is not in src/tree/tree.c"
	else
		same "mode of drive0/$path" "${want[$path]}" "$mode"
	fi
done < <(cd "$D" && find . -type f -printf '%m %P\n')
for path in "${!want[@]}"; do
	[ -n "${seen[$path]:-}" ] && pass || fail "drive0/$path from src/tree/tree.c is missing"
done
while read -r mode path; do
	same "mode of directory $path" 755 "$mode"
done < <(cd "$MNT" && find . -type d -printf '%m %p\n')
same "the tree's files belong to the mounting user" "0 0" "$(stat -c '%u %g' "$D/media")"
echo "modes: ${#seen[@]} files checked against src/tree/tree.c"
# all/: each file's mode against its table in src/tree/fs_tower.c, and back.
declare -A tower_want
while read -r name mode; do
	tower_want[$name]=$mode
done < <(sed -nE 's/^\s*\[TOWER_[A-Z_]+\] = \{ "([a-z_]+)", 0([0-7]{3}),.*/\1 \2/p' "$TOP/src/tree/fs_tower.c")
if [ ${#tower_want[@]} -ge 4 ]; then pass; else fail "read only ${#tower_want[@]} files from src/tree/fs_tower.c"; fi
while read -r mode name; do
	same "mode of all/$name" "${tower_want[$name]:-not in src/tree/fs_tower.c}" "$mode"
	unset "tower_want[$name]"
done < <(cd "$MNT/all" && find . -path ./files -prune -o -type f -printf '%m %P\n')
for name in "${!tower_want[@]}"; do
	fail "all/$name from src/tree/fs_tower.c is missing"
done

# allow_other: what another user may do.
same "nobody reads media" dvd+rw "$(as_user cat "$D/media" 2>&1)"
same "nobody reads status" idle "$(as_user cat "$D/progress/action" 2>&1)"
# Every readable file answers nobody as it answers root (msinfo's ENODATA
# on a blank disc included): the modes, not the user, decide.
n=0
while read -r path; do
	same "nobody reads drive0/$path as root does" "$(cat "$D/$path" 2>&1)" "$(as_user cat "$D/$path" 2>&1)"
	n=$((n + 1))
done < <(cd "$D" && find . -type f -perm -o+r -printf '%P\n')
echo "nobody read $n files"
fails_with "Permission denied" "nobody cannot burn" as_user cp "$WORK/a.iso" "$D/burn"
fails_with "Permission denied" "nobody cannot burn through all/" as_user cp "$WORK/a.iso" "$MNT/all/burn"
fails_with "Permission denied" "nobody cannot choose all/members" as_user sh -c "echo drive0 > '$MNT/all/members'"
fails_with "Permission denied" "nobody cannot drop a file to burn" as_user cp "$WORK/a.iso" "$D/a.iso"
fails_with "Permission denied" "nobody cannot erase" as_user sh -c "echo fast > '$D/erase'"
fails_with "Permission denied" "nobody cannot format" as_user sh -c "echo 1 > '$D/format'"
fails_with "Permission denied" "nobody cannot eject" as_user sh -c "echo 1 > '$D/eject'"
fails_with "Permission denied" "nobody cannot cancel" as_user sh -c "echo 1 > '$D/cancel'"
fails_with "Permission denied" "nobody cannot open the tray" as_user sh -c "echo open > '$D/tray'"
fails_with "Permission denied" "nobody cannot set a speed" as_user sh -c "echo 4x > '$D/write_speed/starting'"
fails_with "Permission denied" "nobody cannot read a write-only file" as_user cat "$D/cancel"
same "nothing happened to the disc" "dvd+rw closed 0 idle" \
	"$(cat "$D/media") $(cat "$D/tray") $(cat "$D/locked") $(cat "$D/progress/action")"

# Root, on the same mount.
ok "root burns" timeout 60 cp "$WORK/a.iso" "$D/burn"
if cmp -s -n "$(stat -c %s "$WORK/a.iso")" "$WORK/a.iso" "$WORK/disc.img"; then pass; else fail "root's burn differs from its source"; fi
ok "root sets a speed" put "$D/write_speed/starting" 4x
ok "root ejects" put "$D/eject" 1
same "the tray is open" open "$(cat "$D/tray")"
same "nobody sees it too" open "$(as_user cat "$D/tray" 2>&1)"

# Without allow_other, FUSE keeps everyone but the mounting user out.
mount_discfs --emulate="dvd+rw,timescale=50" --poll-ms=0 || { finish; exit; }
fails_with "Permission denied" "without allow_other nobody cannot look" as_user cat "$D/media"
same "without allow_other root can" dvd+rw "$(cat "$D/media")"
unmount_discfs

if grep -q "$SAN_REPORT" "$WORK/daemon.log"; then
	fail "sanitizer report in the daemon log: $(grep -m1 -A8 "$SAN_REPORT" "$WORK/daemon.log")"
else
	pass
fi
finish
