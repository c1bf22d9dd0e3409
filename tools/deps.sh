# deps.sh - sourced by tools/run and tools/test: installs the Debian packages
# named in "$@" that are missing (needs root, or sudo, for apt-get).
ipr_install_missing() {
	missing=""
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $pkg"
	done
	[ -z "$missing" ] && return 0
	echo "Installing:$missing"
	if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
	$sudo apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}

# What building and running ipr-drill needs.
IPR_BUILD_DEPS="build-essential cmake pkg-config libyaml-dev libsqlite3-dev libncurses-dev iso-codes ncurses-term"
# What the tests need on top.
IPR_TEST_DEPS="libcmocka-dev tmux sqlite3 python3 python3-yaml python3-jsonschema clang-format time procps"
