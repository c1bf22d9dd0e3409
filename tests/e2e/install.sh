#!/bin/sh
# install.sh BUILD_DIR PREFIX - `cmake --install` lays out the binary, the
# bundled packs and art under PREFIX/share/ipr-drill, and the docs; the
# installed packs validate with the installed art.
set -u
build=$1
prefix=$2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
fails=0
need() { # need PATH
	if [ -e "$dest$prefix/$1" ]; then echo "ok: $1"; else echo "FAIL: $1 missing"; fails=$((fails + 1)); fi
}
DESTDIR="$dest" cmake --install "$build" >/dev/null || { echo "FAIL: cmake --install"; exit 1; }
need bin/ipr-drill
need share/ipr-drill/scenarios/orientation.yaml
need share/ipr-drill/scenarios/brands/luxury.yaml
need share/ipr-drill/assets/skelvane/aero-s3-genuine.txt
need share/doc/ipr-drill/pack-format.md
need share/doc/ipr-drill/trainee-guide.md
need share/doc/ipr-drill/LICENSE
if IPR_DRILL_ASSETS="$dest$prefix/share/ipr-drill/assets" \
	"$dest$prefix/bin/ipr-drill" validate --strict --quiet "$dest$prefix/share/ipr-drill/scenarios"; then
	echo "ok: the installed packs validate with the installed art"
else
	echo "FAIL: installed packs"
	fails=$((fails + 1))
fi
[ "$fails" -eq 0 ]
