#!/usr/bin/env bash
# Bridge benchmark (issues 5, 7 and 14): builds the daemon (JIT, and the Native AOT binary when gcc and zlib1g-dev are
# installed) and bench/Schlage2Mqtt.Bridge.Bench in Release and prints two tables. The first, for the JIT build:
#   - MQTT command -> cloud request and cloud state seen -> MQTT publish, p50/p99 over 1,000 each (simulator at zero latency);
#   - lock changed in the cloud -> MQTT publish, p50/p99: with push (consumer_cloud, 1,000 thumbturns, the daemon as shipped)
#     and with polling only at the default 60 s (200 thumbturns on a manual clock);
#   - resident memory of the bridge process with 10 and with 2,000 simulated locks;
#   - cloud calls per hour for 50 locks at the default settings, push off and on, idle and busy, beside a
#     1+N-calls-per-30-s integration.
# The second puts the JIT build beside the native binary, each run the same way: start to first state, RSS with 10 and
# 2,000 locks and where it is (smaps, managed heap after a full GC), CPU per poll, command, state and push latency.
# Takes about ten minutes on two cores. Extra arguments go to the bench (e.g. --only push,calls, --builds aot).
# S2M_BENCH_AOT=<binary> measures that native binary instead of publishing one; S2M_BENCH_AOT= (empty) skips AOT.
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

if [ -z "${S2M_BENCH_AOT+set}" ]; then
  if command -v gcc >/dev/null && [ -e /usr/include/zlib.h ]; then
    echo "publishing the Native AOT binary to artifacts/bench-aot (a minute or two)" >&2
    rm -rf "$root/artifacts/bench-aot"
    dotnet publish "$root/src/Schlage2Mqtt" -c Release -r linux-x64 -nologo -v quiet -clp:ErrorsOnly -o "$root/artifacts/bench-aot" >/dev/null
    export S2M_BENCH_AOT="$root/artifacts/bench-aot/schlage2mqtt"
  else
    echo "no gcc or zlib1g-dev: measuring the JIT build only (apt-get install -y gcc zlib1g-dev for the native binary)" >&2
  fi
fi
exec dotnet "$root/bench/Schlage2Mqtt.Bridge.Bench/bin/Release/net10.0/Schlage2Mqtt.Bridge.Bench.dll" "$@"
