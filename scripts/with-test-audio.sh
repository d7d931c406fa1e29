#!/usr/bin/env bash
# Runs a command with a PulseAudio server whose only speaker is a null sink named kiosk_test,
# so tests play real audio and record what was "heard" from its monitor. Starts the server if
# none answers; leaves a running one alone.
set -euo pipefail
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/kiosk-test-runtime-$(id -u)}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
if command -v pulseaudio >/dev/null; then
  if ! pactl info >/dev/null 2>&1; then
    pulseaudio --daemonize=yes --exit-idle-time=-1 --no-cpu-limit -n \
      --load="module-null-sink sink_name=kiosk_test sink_properties=device.description=kiosk_test" \
      --load=module-native-protocol-unix --log-target=stderr 2>/dev/null || true
    for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  if pactl info >/dev/null 2>&1 && ! pactl list short sinks | grep -q kiosk_test; then
    pactl load-module module-null-sink sink_name=kiosk_test \
      sink_properties=device.description=kiosk_test >/dev/null
  fi
  pactl set-default-sink kiosk_test 2>/dev/null || true
fi
exec "$@"
