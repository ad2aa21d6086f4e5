#!/usr/bin/env bash
# Bridge benchmark (issues 5 and 7): builds the daemon and bench/Schlage2Mqtt.Bridge.Bench in Release and prints one table:
#   - MQTT command -> cloud request and cloud state seen -> MQTT publish, p50/p99 over 1,000 each (simulator at zero latency);
#   - lock changed in the cloud -> MQTT publish, p50/p99: with push (consumer_cloud, 1,000 thumbturns, the daemon as shipped)
#     and with polling only at the default 60 s (200 thumbturns on a manual clock);
#   - resident memory of the bridge process with 10 and with 2,000 simulated locks;
#   - cloud calls per hour for 50 locks at the default settings, push off and on, idle and busy, beside a
#     1+N-calls-per-30-s integration.
# Takes about five minutes on two cores. Extra arguments go to the bench (e.g. --only push,calls, --commands 200).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if ! command -v mosquitto >/dev/null && [ ! -x /usr/sbin/mosquitto ]; then
  echo "mosquitto missing: apt-get install -y mosquitto mosquitto-clients" >&2
  exit 1
fi
[ -r /proc/self/status ] || { echo "needs Linux /proc to read the bridge's memory" >&2; exit 1; }

# Builds src/Schlage2Mqtt (the daemon under test) too: the bench project references it without linking it.
dotnet build "$root/bench/Schlage2Mqtt.Bridge.Bench" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
exec dotnet "$root/bench/Schlage2Mqtt.Bridge.Bench/bin/Release/net10.0/Schlage2Mqtt.Bridge.Bench.dll" "$@"
