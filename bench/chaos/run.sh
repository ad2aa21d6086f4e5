#!/usr/bin/env bash
# Chaos suite (issue 19.5): builds the daemon and bench/chaos/Schlage2Mqtt.Chaos in Release and prints one table:
#   (a) hostile payloads on every command and request topic, with the daemon's RSS before/after/after settle;
#   (b) corrupt state files at start; (c) kill -9 of the bridge during access-code changes;
#   (d) kill -9 of the broker (persistence on) between two commands; (e) cloud fault storms;
#   (f) secrets in every daemon log line and MQTT message; (g) TLS to a self-signed broker.
# Full mode takes about 15 minutes on two cores; --quick (the CI size, also run by the test suite) about 5.
# Options: --quick, --only a,c,...,  --hostile N, --bridge-kills N, --broker-kills N, --fault-ops N, --settle S, --seed N,
# --strict (exit 1 when a goal is missed); the same as CHAOS_* environment variables (see README.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if ! command -v mosquitto >/dev/null && [ ! -x /usr/sbin/mosquitto ]; then
  echo "mosquitto missing: apt-get install -y mosquitto mosquitto-clients" >&2
  exit 1
fi
[ -r /proc/self/status ] || { echo "needs Linux /proc to read the bridge's memory" >&2; exit 1; }

# Builds src/Schlage2Mqtt (the daemon under test) too: the suite references it without linking it.
dotnet build "$root/bench/chaos/Schlage2Mqtt.Chaos" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
exec dotnet "$root/bench/chaos/Schlage2Mqtt.Chaos/bin/Release/net10.0/Schlage2Mqtt.Chaos.dll" "$@"
