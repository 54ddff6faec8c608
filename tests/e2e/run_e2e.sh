#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end: the real `obs` under Xvfb, the plugin installed by the README's command into a
# temporary HOME, driven over obs-websocket by obs_e2e.mjs.
# Usage: run_e2e.sh SOURCE_DIR OUTPUT_DIR
set -uo pipefail
src="$1"; out="$2"
rm -rf "$out"; mkdir -p "$out"
for tool in obs Xvfb xwininfo node ffmpeg tesseract; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (run scripts/install-deps.sh)"; exit 1; }
done
[ -d "$src/tests/e2e/node_modules/obs-websocket-js" ] || { echo "FAIL: run 'npm ci --prefix tests/e2e' (scripts/test.sh does)"; exit 1; }

home="$out/home"
port=$((20000 + RANDOM % 20000)) # a port of its own: two runs never talk to each other's OBS
mkdir -p "$home/.config/obs-studio/plugin_config/obs-websocket"
# OBS 29 reads obs-websocket's settings from global.ini; OBS 30+ (obs-websocket 5.4+) from
# plugin_config/obs-websocket/config.json; OBS 31+ keeps the user's settings in user.ini (and,
# with Pre31Migrated, does not try to move global.ini's into it: it would stop at a dialog).
for ini in global.ini user.ini; do
  cat >"$home/.config/obs-studio/$ini" <<INI
[General]
FirstRun=false
Pre31Migrated=true
LastVersion=486539266
[OBSWebSocket]
FirstLoad=false
ServerEnabled=true
ServerPort=$port
AlertsEnabled=false
AuthRequired=false
INI
done
cat >"$home/.config/obs-studio/plugin_config/obs-websocket/config.json" <<JSON
{"first_load": false, "server_enabled": true, "server_port": $port, "alerts_enabled": false,
 "auth_required": false, "server_password": ""}
JSON
# Small canvas: OBS on a CPU renderer is slow.
mkdir -p "$home/.config/obs-studio/basic/profiles/Untitled"
cat >"$home/.config/obs-studio/basic/profiles/Untitled/basic.ini" <<INI
[General]
Name=Untitled
[Video]
BaseCX=1280
BaseCY=720
OutputCX=1280
OutputCY=720
FPSType=1
FPSInt=15
[Output]
Mode=Advanced
[AdvOut]
RecType=Standard
RecFilePath=$out/obsrec
RecFormat=mkv
RecEncoder=obs_x264
RecTracks=1
RecSplitFile=true
RecSplitFileType=Manual
INI
# OBS's own recording encoder: keyframes every second, so its splits land near the switches; and
# 15 frames of sync lookahead, so its packets come about two seconds late (longer than the second
# the overlay is hidden before a split, as with a slow preset or a loaded machine): a split asked
# for before the encoder wrote a hidden frame starts the next file with the previous person.
cat >"$home/.config/obs-studio/basic/profiles/Untitled/recordEncoder.json" <<'JSON'
{"rate_control": "CRF", "crf": 23, "preset": "veryfast", "keyint_sec": 1, "x264opts": "sync-lookahead=15"}
JSON
mkdir -p "$out/obsrec"
HOME="$home" CUECARD_SKIP_BUILD=1 "$src/scripts/install-plugin.sh" || { echo "FAIL: install-plugin.sh"; exit 1; }

display_num=$((90 + RANDOM % 100))
display=":$display_num"
Xvfb "$display" -screen 0 1280x1024x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb=$!
# Xvfb is up when its socket exists.
for _ in $(seq 100); do [ -S "/tmp/.X11-unix/X$display_num" ] && break; sleep 0.1; done
[ -S "/tmp/.X11-unix/X$display_num" ] || { echo "FAIL: Xvfb did not start (see $out/xvfb.log)"; exit 1; }

obs_pid=""
start_obs() { # $1: log file name
  (cd "$out" && HOME="$home" DISPLAY="$display" LIBGL_ALWAYS_SOFTWARE=1 CUECARD_VULKAN_VALIDATION=1 \
    exec obs --multi --disable-shutdown-check --minimize-to-tray >"$out/$1" 2>&1) &
  obs_pid=$!
}
stop_obs() { # $1: signal; waits up to 10 s for OBS to exit, then kills it
  [ -n "$obs_pid" ] || return 0
  kill "-$1" "$obs_pid" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$obs_pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$obs_pid" 2>/dev/null
  wait "$obs_pid" 2>/dev/null
  obs_pid=""
}
# A PostgreSQL for the team campaign, on a Unix socket in a folder of its own (no TCP port); as
# root (CI) it runs as the postgres user the Debian package makes.
# The release's PostgreSQL (15 on Debian 12, 17 on 13, 18 on testing): the newest installed.
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
pg_dir=""
start_pg() {
  [ -x "$pg_bin/initdb" ] || { echo "FAIL: PostgreSQL is not installed (run scripts/install-deps.sh)"; return 1; }
  pg_dir=$(mktemp -d /tmp/cuecard-e2e-pg.XXXXXX)
  chmod 0755 "$pg_dir"
  pg_as=()
  if [ "$(id -u)" = 0 ]; then pg_as=(runuser -u postgres --); chown postgres "$pg_dir"; fi
  "${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres --no-sync >"$out/pg-initdb.log" 2>&1 &&
    "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" \
      -o "-k $pg_dir -c listen_addresses='' -c fsync=off" start -w -t 60 >/dev/null
}
stop_pg() {
  [ -n "$pg_dir" ] || return 0
  "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" stop -m immediate >/dev/null 2>&1
  cp "$pg_dir/log" "$out/pg.log" 2>/dev/null
  rm -rf "$pg_dir"
  pg_dir=""
}
cleanup() { stop_obs TERM; stop_pg; kill "$xvfb" 2>/dev/null; }
trap cleanup EXIT

# The version the plugin must report (get_state, the OBS log): the CLI's, built from the same tree.
cli="${CUECARD_CLI:-$src/build/plugin/cli/cuecard}"
expect_version=""
[ -x "$cli" ] && expect_version="$("$cli" --version | sed 's/^cuecard //')"
export CUECARD_EXPECT_VERSION="$expect_version"
start_obs obs.log
code=0
# CUECARD_E2E=dock or =team runs only that scenario (while working on it).
mode="${CUECARD_E2E:-all}"
if [ "$mode" = all ]; then
  node "$src/tests/e2e/obs_e2e.mjs" "$src/tests/e2e/queue.csv" "$out" "$port" || code=1
fi
# The dock: a 40-person queue, a screenshot of the X screen, OCR.
if [ "$mode" = all ] || [ "$mode" = dock ]; then
  node "$src/tests/e2e/dock_e2e.mjs" "$out" "$port" "$display" || code=1
fi
if [ "$mode" = dock ]; then
  exit $code
fi
# A team campaign on PostgreSQL: the source shows the claimed recipient, next claims on, the
# takes reach the database.
if [ "$mode" = all ] || [ "$mode" = team ]; then
  if [ ! -x "$cli" ]; then
    echo "FAIL: no cuecard CLI at $cli (build first, or set CUECARD_CLI)"; code=1
  elif ! start_pg; then
    echo "FAIL: PostgreSQL did not start (see $out/pg-initdb.log)"; code=1
  else
    node "$src/tests/e2e/team_e2e.mjs" "$out" "$port" "$cli" "$pg_dir" "$display" || code=1
  fi
  stop_pg
fi
if [ "$mode" = team ]; then
  exit $code
fi
# A crash mid-take: OBS is killed while Cleo's take is being written, started again, and the
# session resumed in the same folder.
node "$src/tests/e2e/crash_e2e.mjs" before "$src/tests/e2e/crash-queue.csv" "$out" "$port" || code=1
stop_obs KILL
start_obs obs-restarted.log
if ! node "$src/tests/e2e/crash_e2e.mjs" after "$src/tests/e2e/crash-queue.csv" "$out" "$port"; then
  code=1
  kill -0 "$obs_pid" 2>/dev/null && echo "(the restarted OBS is running)" || echo "(the restarted OBS exited)"
  echo "--- the last lines of obs-restarted.log:"
  tail -25 "$out/obs-restarted.log"
fi
logs=("$out/obs.log" "$out/obs-restarted.log" "$home/.config/obs-studio/logs/"*.txt)
grep -h "\[cuecard\]" "${logs[@]}" 2>/dev/null | sort -u | head -40
# The version at load is the one the CLI of the same build prints.
if [ -n "$expect_version" ] && grep -hqF "[cuecard] version $expect_version loaded" "${logs[@]}" 2>/dev/null; then
  echo "ok: OBS's log names Cuecard $expect_version at load"
else
  echo "FAIL: OBS's log does not name Cuecard ${expect_version:-(no CLI to compare with)} at load"
  code=1
fi
# Everything above (the OCR of the source, the recordings) went through the zero-copy path:
# Debian 12's lavapipe exports memory and its llvmpipe OpenGL imports it.
if grep -hq "\[cuecard\] source '.*' draws zero-copy" "${logs[@]}" 2>/dev/null &&
   ! grep -hq "now draws readback" "${logs[@]}" 2>/dev/null; then
  echo "ok: the real OBS drew every Cuecard source zero-copy"
else
  echo "FAIL: the real OBS did not draw zero-copy (see the [cuecard] lines above)"
  code=1
fi
# Every Vulkan call Cuecard made inside OBS went through the validation layer.
if grep -hq "\[cuecard\] Vulkan device: .*checked by the validation layer" "${logs[@]}" 2>/dev/null &&
   ! grep -hq "\[cuecard\] Vulkan validation error" "${logs[@]}" 2>/dev/null; then
  echo "ok: no Vulkan validation error inside the real OBS"
else
  echo "FAIL: Vulkan validation did not run or reported errors (see the OBS log in $out)"
  code=1
fi
exit $code
