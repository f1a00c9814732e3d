#!/bin/sh
# The system packages the app needs beside Python (Debian and Ubuntu): Qt's xcb platform plugin
# and its libraries for `make run`; for `make test` also an X server (Xvfb), a window manager,
# xdotool and a D-Bus daemon for the end-to-end tests, PostgreSQL (the storage tests start
# throw-away clusters of their own on loopback: tests/helpers/postgres.py) and Redis (the
# multi-node tests start a throw-away redis-server of their own: tests/helpers/redis_server.py)
# and PulseAudio (the voice recording test starts a server of its own with a null microphone
# and null speakers, so Qt Multimedia records and plays: tests/helpers/pulse.py).
#
#   scripts/system_deps.sh run|test
#
# Quick when all is there (one dpkg-query). Missing packages are installed with apt-get when
# run as root; otherwise it stops and prints the exact command to run. Elsewhere than Linux,
# or without dpkg, it does nothing (macOS and Windows bring what Qt needs; on other Linux
# distributions install the equivalents of the packages named below).
set -eu

what=${1:-run}

# Qt 6's xcb plugin, OpenGL/EGL, fonts (Latin, Chinese — the app speaks zh_CN — and colour
# emoji, which a bare Debian lacks: without them Chinese text and emoji are drawn as boxes), D-Bus,
# and PulseAudio's client library (Qt Multimedia: voice messages and videos). "a|b": either name
# (b on newer releases, or an equivalent already installed).
RUN_PACKAGES="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libx11-xcb1
libxkbcommon0 libxkbcommon-x11-0 libegl1 libgl1 libopengl0 libfontconfig1 libfreetype6
libdbus-1-3 libglib2.0-0|libglib2.0-0t64 fonts-dejavu-core fonts-noto-cjk|fonts-wqy-microhei
fonts-noto-color-emoji libpulse0"
TEST_PACKAGES="xvfb openbox xdotool x11-utils dbus-daemon|dbus postgresql redis-server
pulseaudio"

case "$what" in
    run) wanted=$RUN_PACKAGES ;;
    test) wanted="$RUN_PACKAGES $TEST_PACKAGES" ;;
    *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

[ "$(uname -s)" = Linux ] || exit 0
# Debian's own Python makes virtualenvs only with python3-venv.
if ! "${PYTHON:-python3}" -c 'import ensurepip, venv' 2>/dev/null; then
    wanted="$wanted python3-venv"
fi
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "note: not a Debian system; make sure these (or their equivalents) are installed:" >&2
    echo "  $(echo $wanted | tr '|' '/')" >&2
    exit 0
fi

installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' 2>/dev/null | awk '$2 == "installed" {print $1}')
missing=""
for choice in $wanted; do
    found=""
    for name in $(echo "$choice" | tr '|' ' '); do
        if echo "$installed" | grep -qx "$name"; then found=yes; break; fi
    done
    [ -n "$found" ] || missing="$missing $choice"
done
[ -n "$missing" ] || exit 0

# Pick, for each missing choice, the first name this release knows.
pick() {
    for choice in $missing; do
        for name in $(echo "$choice" | tr '|' ' '); do
            if apt-cache show "$name" >/dev/null 2>&1; then echo "$name"; break; fi
        done
    done
}

if [ "$(id -u)" != 0 ]; then
    names=$(pick | tr '\n' ' ')
    [ -n "$names" ] || names=$(echo $missing | sed 's/|[^ ]*//g')
    echo "Missing system packages (for make $what). Run this, then try again:" >&2
    echo "  sudo apt-get install -y --no-install-recommends $names" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
names=$(pick | tr '\n' ' ')
if [ -z "$names" ] || [ "$(echo $names | wc -w)" -lt "$(echo $missing | wc -w)" ]; then
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    names=$(pick | tr '\n' ' ')
fi
echo "installing system packages:$missing" >&2
# shellcheck disable=SC2086
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $names >&2
