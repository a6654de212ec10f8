#!/usr/bin/env bash
# Fresh-machine check: does `make test` pass on a Debian bookworm machine that has only
# what the README asks for (Python 3.11, make; git and CA certificates to fetch the code),
# once `make` has run scripts/system-deps.sh there from scratch?
#
# Without Docker: a minimal bookworm root made with debootstrap (kept as BASE, made once,
# with only python3 python3-venv make git ca-certificates added), copied afresh to RUN for
# every check (so system-deps.sh starts from nothing each time), a clone of the repository
# copied into RUN/root/jixiao, and `make test` run there in a chroot as root, as CI runs it.
# /proc, /sys and /dev are mounted into RUN for the run and unmounted on exit, whatever
# happens (trap), after any process still running in the chroot is stopped.
#
# Usage (as root; needs debootstrap and network access to deb.debian.org and PyPI):
#   scripts/fresh-machine-check.sh [--worktree] [--reuse] [--rebuild]
#     --worktree  copy the working tree (uncommitted changes too) instead of HEAD's clone
#     --reuse     keep RUN from the last check (system packages and .venv already there:
#                 quicker, but no longer a machine from scratch)
#     --rebuild   make BASE again with debootstrap
# Environment: FRESH_ROOT (default /work/fresh-root: holds base/, run/ and logs/).
# Exit status: that of the first step that failed (make test's when all ran). The log is in
# FRESH_ROOT/logs/, the timings of the steps at its end.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
FRESH="${FRESH_ROOT:-/work/fresh-root}"
BASE="$FRESH/base"
RUN="$FRESH/run"
MIRROR="http://deb.debian.org/debian"
worktree=0 reuse=0 rebuild=0
for arg in "$@"; do
  case "$arg" in
    --worktree) worktree=1 ;;
    --reuse) reuse=1 ;;
    --rebuild) rebuild=1 ;;
    *) echo "usage: $0 [--worktree] [--reuse] [--rebuild]" >&2; exit 2 ;;
  esac
done
case "$FRESH" in "$REPO"|"$REPO"/*) echo "FRESH_ROOT must lie outside $REPO" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "run as root (debootstrap, chroot, mount)" >&2; exit 2; }

mkdir -p "$FRESH/logs"
LOG="$FRESH/logs/check-$(date +%Y%m%d-%H%M%S).log"
TIMES=()

step() {  # step NAME COMMAND...: run it, log its output, note how long it took
  local name="$1" start=$SECONDS status=0
  shift
  echo "== $name" | tee -a "$LOG"
  "$@" >>"$LOG" 2>&1 || status=$?
  TIMES+=("$(printf '%-22s %5ss  exit %s' "$name" $((SECONDS - start)) "$status")")
  return "$status"
}

mounted() { findmnt -rn -o TARGET | grep -qx "$1"; }

mount_all() {  # mount_all ROOT
  local root="$1"
  mounted "$root/proc" || mount -t proc proc "$root/proc"
  mounted "$root/sys" || mount -t sysfs sysfs "$root/sys"
  mounted "$root/dev" || mount --bind /dev "$root/dev"
  mounted "$root/dev/pts" || mount --bind /dev/pts "$root/dev/pts"
  mounted "$root/dev/shm" || mount -t tmpfs -o mode=1777 shm "$root/dev/shm"
}

stop_processes() {  # stop_processes ROOT: every process whose root directory is ROOT
  local root proc
  root="$(readlink -f "$1")"
  for proc in /proc/[0-9]*; do
    [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ] && kill -9 "${proc#/proc/}" 2>/dev/null
  done
  return 0
}

unmount_all() {  # unmount_all ROOT: the deepest first; lazily if something still holds one
  local root="$1" target
  for target in dev/shm dev/pts dev sys proc; do
    if mounted "$root/$target"; then
      umount "$root/$target" 2>/dev/null || umount -l "$root/$target"
    fi
  done
}

cleanup() {
  for root in "$BASE" "$RUN"; do
    [ -d "$root" ] || continue
    stop_processes "$root"
    unmount_all "$root"
  done
  echo "log: $LOG"
}
trap cleanup EXIT INT TERM

# This host reaches PyPI through a proxy that pip must trust (PIP_CERT: a CA bundle): the
# chroot's pip gets a copy of that bundle, and nothing else of the host's set-up.
PIP_CA=/etc/ssl/host-pip-ca.crt
pass_pip_ca() {  # pass_pip_ca ROOT
  [ -n "${PIP_CERT:-}" ] && [ -f "$PIP_CERT" ] && cp "$PIP_CERT" "$1$PIP_CA"
  return 0
}

in_root() {  # in_root ROOT COMMAND: a shell in the chroot, with a clean environment
  local pip_ca=()
  [ -f "$1$PIP_CA" ] && pip_ca=("PIP_CERT=$PIP_CA")
  chroot "$1" /usr/bin/env -i HOME=/root TERM=dumb "${pip_ca[@]}" \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin bash -c "$2"
}

make_base() {
  rm -rf "$BASE"
  debootstrap --variant=minbase bookworm "$BASE" "$MIRROR"
  # what a Debian image has: the security and point-release updates, and no daemons started
  # by package installs (there is no init in a chroot: a started server would outlive it)
  cat >"$BASE/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
  printf '#!/bin/sh\nexit 101\n' >"$BASE/usr/sbin/policy-rc.d"
  chmod +x "$BASE/usr/sbin/policy-rc.d"
  mount_all "$BASE"
  in_root "$BASE" 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends python3 python3-venv make git ca-certificates && apt-get clean'
  unmount_all "$BASE"
  touch "$BASE/.jixiao-base-ready"
}

existing() {  # the NUL-separated paths read that exist (a file deleted in the working tree)
  local path
  while IFS= read -r -d '' path; do
    [ -e "$path" ] && printf '%s\0' "$path"
  done
  return 0
}

copy_repo() {  # the clone (committed work), and with --worktree the working tree over it
  local dest="$RUN/root/jixiao"
  rm -rf "$dest"
  git clone -q --no-hardlinks "$REPO" "$dest"
  if [ "$worktree" -eq 1 ]; then
    (cd "$REPO" && git ls-files -z --cached --others --exclude-standard | existing \
      | tar --null -T - -cf -) | tar -xf - -C "$dest"
    (cd "$REPO" && git ls-files -z --deleted) | (cd "$dest" && xargs -0 -r rm -f --)
  fi
  git -C "$dest" log -1 --format='clone of %h %s' | cut -c1-100
}

fresh_run() {
  if [ "$reuse" -eq 1 ] && [ -d "$RUN" ]; then
    return 0
  fi
  rm -rf "$RUN"
  cp -a "$BASE" "$RUN"
}

cp /etc/resolv.conf "$BASE/etc/resolv.conf" 2>/dev/null || true
if [ "$rebuild" -eq 1 ] || [ ! -e "$BASE/.jixiao-base-ready" ]; then
  step "debootstrap + base" make_base
fi
step "copy root" fresh_run
cp /etc/resolv.conf "$RUN/etc/resolv.conf"
pass_pip_ca "$RUN"
step "copy repository" copy_repo
mount_all "$RUN"
status=0
# make test installs first (system-deps.sh, then .venv): run as steps of their own for their
# timings, then make test itself (its install step then has nothing left to do).
step "system-deps.sh" in_root "$RUN" 'cd /root/jixiao && bash scripts/system-deps.sh' \
  && step "make install" in_root "$RUN" 'cd /root/jixiao && make install' \
  && step "make test" in_root "$RUN" 'cd /root/jixiao && make test' || status=$?
{
  echo "== timings"
  printf '%s\n' "${TIMES[@]}"
  echo "exit status: $status"
} | tee -a "$LOG"
tail -n 40 "$LOG" | grep -E '^(FAILED|ERROR)|passed|failed' || true
exit "$status"
