#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks that each layer library calls, and includes, only the layers below
# it that the Makefile lets it use.
#
#   tests/check-layers.sh DIR LAYER=USED,USED:HEADER,HEADER ...
#
# Calls: for every symbol a layer's objects leave undefined, the layer that
# defines it must be in its list; symbols no layer defines (libc, libfuse,
# libcdio) are outside the project and always allowed.
#
# Includes: a call through a function pointer leaves no undefined symbol, so
# the headers each object was compiled with (DIR/LAYER/*.d, from -MMD) are
# checked too.  HEADERs are the layer's headers in include/discfs/; a header
# in src/LAYER/ is that layer's own, private one.  Every header of
# include/discfs/ must belong to a layer.
#
# Prints each upward or sideways call or include and exits 1 when there is one.
set -euo pipefail
dir=$1
shift

declare -A owner header_owner
for spec in "$@"; do
	layer=${spec%%=*}
	headers=${spec#*:}
	[ "$headers" = "$spec" ] && headers=
	for h in ${headers//,/ }; do
		header_owner[include/discfs/$h]=$layer
	done
	while read -r sym; do
		owner[$sym]=$layer
	done < <(nm --defined-only -g "$dir/lib$layer.a" 2>/dev/null | awk 'NF == 3 { print $3 }')
done

bad=0
for h in include/discfs/*.h; do
	if [ -z "${header_owner[$h]:-}" ]; then
		echo "layers: $h belongs to no layer (the Makefile's LAYER_HEADERS_*)" >&2
		bad=1
	fi
done

allowed() { # LAYER USES FROM
	[ -z "$3" ] || [ "$3" = "$1" ] && return 0
	case $2 in *",$3,"*) return 0 ;; esac
	return 1
}

for spec in "$@"; do
	layer=${spec%%=*}
	uses=${spec#*=}
	uses=",${uses%%:*},"
	while read -r sym; do
		from=${owner[$sym]:-}
		if ! allowed "$layer" "$uses" "$from"; then
			echo "layers: $layer calls $sym, which is in $from (allowed:${uses//,/ })" >&2
			bad=1
		fi
	done < <(nm -u "$dir/lib$layer.a" | awk '$1 == "U" { print $2 }' | sort -u)
	for dep in "$dir/$layer"/*.d; do
		[ -e "$dep" ] || continue
		for h in $(grep -oE '[^ :\\]+\.h' "$dep" | grep -v '^/' | sort -u | xargs -r realpath -m --relative-to=.); do
			case $h in
			src/*/*) from=${h#src/}; from=${from%%/*} ;;
			include/discfs/*) from=${header_owner[$h]:-} ;;
			*) continue ;;
			esac
			if ! allowed "$layer" "$uses" "$from"; then
				echo "layers: ${dep%.d}.o includes $h, which is in $from (allowed:${uses//,/ })" >&2
				bad=1
			fi
		done
	done
done
if [ $bad = 0 ]; then
	for spec in "$@"; do
		used=${spec#*=}
		used=${used%%:*}
		echo "layers: ${spec%%=*} -> ${used:-nothing of ours}"
	done
fi
exit $bad
