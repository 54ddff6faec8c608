#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Checks the README's two commands the way a new user meets them: on a fresh Debian root
# (debootstrap minbase + git, ca-certificates and sudo, nothing else) of the release asked for,
# in a clean clone of this repository's HEAD, first as a normal user with sudo, then as root:
#
#   scripts/demo.sh && scripts/test.sh
#
# Usage (as root, debootstrap installed):
#   scripts/check-fresh-debian.sh [RELEASE] [--root DIR] [--prepare HOOK] [--only user|root]
#                                 [--commands 'CMD'] [--keep]
#
#   RELEASE         bookworm (Debian 12, OBS 29, the default), trixie (Debian 13, OBS 30) or
#                   forky (testing, OBS 32; debootstrap knows it through its sid script)
#   --commands CMD  run CMD instead of the README's two (CI: 'scripts/test-obs.sh')
#   --root DIR      where to build the Debian root (default: a new folder under /var/tmp)
#   --prepare HOOK  a program run as `HOOK ROOTDIR` after debootstrap, before anything else: what
#                   your own network needs inside the root (a proxy's CA certificate, an npmrc).
#                   Nothing of that kind belongs in this script or the project's install scripts.
#   --only WHO      run only the user or only the root pass
#   --keep          keep the root afterwards (it is removed on success otherwise)
#
# The log of each pass is written beside the root (ROOTDIR.user.log, ROOTDIR.root.log).
# Exit status: 0 when every pass succeeded.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
root=""
prepare=""
only=""
keep=0
release=bookworm
commands='scripts/demo.sh && scripts/test.sh'
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="$2"; shift 2 ;;
    --prepare) prepare="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --commands) commands="$2"; shift 2 ;;
    bookworm|trixie|forky) release="$1"; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "check-fresh-debian: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "check-fresh-debian: debootstrap and chroot need root; run it with sudo" >&2
  exit 2
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  echo "check-fresh-debian: debootstrap is missing: apt-get install debootstrap" >&2
  exit 2
fi
if [ -n "$only" ] && [ "$only" != user ] && [ "$only" != root ]; then
  echo "check-fresh-debian: --only takes user or root" >&2
  exit 2
fi
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  echo "check-fresh-debian: note: uncommitted changes are not checked; the clone is of HEAD" >&2
fi

if [ -z "$root" ]; then
  root="$(mktemp -d "/var/tmp/cuecard-fresh-$release.XXXXXX")"
fi
mkdir -p "$root"
# mktemp makes it 0700: the root's / must be readable for the user pass.
chmod 0755 "$root"
root="$(cd "$root" && pwd)"

mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -l "${mounted[$i]}" 2>/dev/null || true
  done
}
trap cleanup EXIT

mount_into() { # mount_into TARGET ARGS... — mounts inside the root and remembers it
  local target="$root$1"
  shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounted+=("$target")
}

if [ ! -x "$root/bin/bash" ]; then
  echo "== debootstrap $release (minbase + git, ca-certificates, sudo) into $root"
  script=()
  # testing has no script of its own in Debian 12's debootstrap: it is built like sid.
  if [ ! -e "/usr/share/debootstrap/scripts/$release" ]; then
    script=(/usr/share/debootstrap/scripts/sid)
  fi
  debootstrap --variant=minbase --include=git,ca-certificates,sudo "$release" "$root" "$mirror" \
    "${script[@]}"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"

mount_into /proc -t proc proc
mount_into /sys -t sysfs sys
mount_into /dev --bind /dev
mount_into /dev/pts --bind /dev/pts
mount_into /dev/shm -t tmpfs shm

if [ -n "$prepare" ]; then
  echo "== $prepare $root"
  "$prepare" "$root"
fi

head_commit="$(git -C "$repo" rev-parse HEAD)"
clean_env=(env -i HOME=/root TERM=dumb LANG=C.UTF-8 ${CI:+CI=$CI}
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)

run_pass() { # run_pass user|root
  local who="$1" home clone log
  if [ "$who" = user ]; then home=/home/rep; else home=/root; fi
  clone="$home/cuecard"
  log="$root.$who.log"
  if [ "$who" = user ] && ! chroot "$root" id rep >/dev/null 2>&1; then
    chroot "$root" useradd --create-home --shell /bin/bash rep
    echo 'rep ALL=(ALL) NOPASSWD:ALL' >"$root/etc/sudoers.d/rep"
    chmod 0440 "$root/etc/sudoers.d/rep"
  fi
  rm -rf "$root$clone"
  git clone --quiet --no-hardlinks "$repo" "$root$clone"
  git -C "$root$clone" checkout --quiet "$head_commit"
  if [ "$who" = user ]; then chroot "$root" chown -R rep:rep "$clone"; fi

  echo "== as $who, in a clean clone of $head_commit: $commands (log: $log)"
  local status=0 started=$SECONDS
  if [ "$who" = user ]; then
    "${clean_env[@]}" chroot "$root" sudo -u rep -H --preserve-env=TERM,LANG,CI \
      bash -c "cd $clone && $commands" >"$log" 2>&1 || status=$?
  else
    "${clean_env[@]}" chroot "$root" bash -c "cd $clone && $commands" >"$log" 2>&1 || status=$?
  fi
  tail -15 "$log"
  echo "(as $who: $((SECONDS - started)) s)"
  if [ "$status" -ne 0 ]; then
    echo "FAIL: as $who, '$commands' exited with $status (full log: $log)"
    return 1
  fi
  echo "ok: as $who, '$commands' succeeded on a fresh $release root"
}

failed=0
# The user pass goes first: on the fresh root it is the one that installs the packages through sudo.
if [ "$only" != root ]; then run_pass user || failed=1; fi
if [ "$only" != user ]; then run_pass root || failed=1; fi

cleanup
mounted=()
if [ "$failed" -eq 0 ] && [ "$keep" -eq 0 ]; then
  rm -rf --one-file-system "$root"
  echo "check-fresh-debian: every pass succeeded; removed $root"
else
  echo "check-fresh-debian: the root is kept at $root"
fi
exit "$failed"
