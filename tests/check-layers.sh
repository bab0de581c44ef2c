#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks that each layer library calls only the layers below it that the
# Makefile lets it use.
#
#   tests/check-layers.sh DIR LAYER=USED,USED ...
#
# For every symbol a layer's objects leave undefined, the layer that defines
# it must be in its list; symbols no layer defines (libc, libfuse, libcdio)
# are outside the project and always allowed.  Prints each upward or
# sideways call and exits 1 when there is one.
set -euo pipefail
dir=$1
shift

declare -A owner
for spec in "$@"; do
	layer=${spec%%=*}
	while read -r sym; do
		owner[$sym]=$layer
	done < <(nm --defined-only -g "$dir/lib$layer.a" 2>/dev/null | awk 'NF == 3 { print $3 }')
done

bad=0
for spec in "$@"; do
	layer=${spec%%=*}
	uses=",${spec#*=},"
	while read -r sym; do
		from=${owner[$sym]:-}
		[ -z "$from" ] || [ "$from" = "$layer" ] && continue
		case $uses in
		*",$from,"*) ;;
		*)
			echo "layers: $layer calls $sym, which is in $from (allowed:${uses//,/ })" >&2
			bad=1
			;;
		esac
	done < <(nm -u "$dir/lib$layer.a" | awk '$1 == "U" { print $2 }' | sort -u)
done
if [ $bad = 0 ]; then
	for spec in "$@"; do
		used=${spec#*=}
		echo "layers: ${spec%%=*} -> ${used:-nothing of ours}"
	done
fi
exit $bad
