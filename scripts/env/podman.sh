#!/usr/bin/env bash
# Podman's Docker-compatible API for the build agent and its tests.
#
#   podman.sh start [--hold PID]
#                      install podman + runc if missing, start the API service
#                      (idempotent), print the socket path. With --hold, the
#                      service is kept for PID only: see release.
#   podman.sh release PID
#                      PID no longer needs the service: stop it if this script
#                      started it, no other living holder needs it, and no
#                      plain `start` (a person, a CI step) asked for it.
#   podman.sh stop     stop the service this script started, whoever holds it
#   podman.sh status   exit 0 when the socket answers
#   podman.sh socket   print the socket path
#
# Holders matter because several test runs may share one machine: the first
# `npm test` must not stop the service under a second one still running.
#
# Env: VIETER_PODMAN_DIR (state: config, pid, log), VIETER_PODMAN_SOCKET.
#
# Why a containers.conf of our own: on these machines crun fails (cgroup v1
# hybrid) and Podman raises nofile/nproc above the sandbox's hard limits, so
# every container start fails. runc plus lower default ulimits work. The
# service reads the file through CONTAINERS_CONF; nothing under /etc changes.
set -euo pipefail

if [ "$(id -u)" -eq 0 ]; then
  default_dir=/run/vieter-podman
else
  default_dir="${XDG_RUNTIME_DIR:-/tmp}/vieter-podman-$(id -u)"
fi
DIR="${VIETER_PODMAN_DIR:-$default_dir}"
SOCKET="${VIETER_PODMAN_SOCKET:-$DIR/podman.sock}"
CONF="$DIR/containers.conf"
PIDFILE="$DIR/service.pid"
HOLDERS="$DIR/holders"
LOG="$DIR/service.log"

log() { echo "podman.sh: $*" >&2; }

answers() {
  [ -S "$SOCKET" ] && curl -sf --max-time 2 --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1
}

install_missing() {
  local missing=()
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v runc >/dev/null 2>&1 || [ -x /usr/sbin/runc ] || missing+=(runc)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    log "missing ${missing[*]} (run: sudo apt-get install -y ${missing[*]})"
    return 1
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  # With recommends: podman's bridge networking (netavark, aardvark-dns, iptables) comes that way.
  apt-get install -y -q "${missing[@]}" >/dev/null
}

write_conf() {
  cat >"$CONF.tmp" <<'EOF'
# Written by scripts/env/podman.sh; see the comment there.
[containers]
default_ulimits = [
  "nofile=1024:1024",
  "nproc=1000:1000",
]

[engine]
runtime = "runc"
EOF
  mv "$CONF.tmp" "$CONF"
}

lock() {
  mkdir -p "$DIR" "$HOLDERS" "$(dirname "$SOCKET")"
  exec 9>"$DIR/lock"
  flock 9
}

start() {
  # Two test files may start the service at the same moment.
  lock
  if [ "${1:-}" = --hold ] && [ -n "${2:-}" ]; then touch "$HOLDERS/$2"; else touch "$HOLDERS/manual"; fi
  if answers; then
    echo "$SOCKET"
    return 0
  fi
  install_missing
  write_conf
  rm -f "$SOCKET"
  # From /: the service outlives the checkout that started it, and conmon fails
  # every container start once the service's working directory is deleted.
  (cd / && CONTAINERS_CONF="$CONF" exec setsid podman system service --time=0 "unix://$SOCKET" </dev/null >"$LOG" 2>&1 9>&-) &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 150); do
    if answers; then
      echo "$SOCKET"
      return 0
    fi
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then break; fi
    sleep 0.2
  done
  log "the service did not answer on $SOCKET; its log ($LOG):"
  tail -n 20 "$LOG" >&2 || true
  return 1
}

release() {
  lock
  rm -f "$HOLDERS/${1:?release needs a PID}"
  [ -e "$HOLDERS/manual" ] && return 0
  for holder in "$HOLDERS"/*; do
    [ -e "$holder" ] || continue
    if kill -0 "$(basename "$holder")" 2>/dev/null; then return 0; fi
    rm -f "$holder"
  done
  stop
}

stop() {
  rm -rf "$HOLDERS"
  [ -f "$PIDFILE" ] || return 0
  local pid
  pid=$(cat "$PIDFILE")
  # Only ever the process this script started, and only if it still is podman.
  if kill -0 "$pid" 2>/dev/null && grep -q podman "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$PIDFILE" "$SOCKET"
}

case "${1:-}" in
  start) start "${2:-}" "${3:-}" ;;
  release) release "${2:-}" ;;
  stop) stop ;;
  status) answers ;;
  socket) echo "$SOCKET" ;;
  *)
    echo "usage: $0 start [--hold PID]|release PID|stop|status|socket" >&2
    exit 2
    ;;
esac
