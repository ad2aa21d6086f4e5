#!/usr/bin/env bash
# Publish benchmark: schlage2mqtt's client vs mosquitto_pub (libmosquitto, C) vs MQTT.js vs MQTTnet 5, same broker, same run.
# 200,000 x 100-byte messages at QoS 0 and 50,000 at QoS 1, MQTT 3.1.1, each client REPS times (default 5) against a
# fresh broker, order rotated per round; prints per-run progress on stderr and the median table on stdout.
# Environment: QOS0_COUNT, QOS1_COUNT, REPS, WINDOW (in-flight window, 1024), CLIENTS (comma list), RAW (JSONL file).
# How each number is measured is written at the top of compare.mjs and printed under the table.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

command -v mosquitto >/dev/null || { echo "mosquitto missing: apt-get install -y mosquitto mosquitto-clients" >&2; exit 1; }
command -v mosquitto_pub >/dev/null || { echo "mosquitto_pub missing: apt-get install -y mosquitto-clients" >&2; exit 1; }
command -v stdbuf >/dev/null || { echo "stdbuf missing: apt-get install -y coreutils" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install -y time" >&2; exit 1; }
[ -d "$here/node_modules/mqtt" ] || npm ci --no-audit --no-fund --prefix "$here" >/dev/null

dotnet build "$root/bench/Schlage2Mqtt.Mqtt.Bench" -c Release -v quiet -nologo >/dev/null
CLK_TCK="$(getconf CLK_TCK)" exec node "$here/compare.mjs" "$root/bench/Schlage2Mqtt.Mqtt.Bench/bin/Release/net10.0/Schlage2Mqtt.Mqtt.Bench.dll"
