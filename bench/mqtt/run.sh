#!/usr/bin/env bash
# Publish benchmark: schlage2mqtt's client vs mosquitto_pub (libmosquitto, C) vs MQTT.js, same broker, same run.
# 200,000 x 100-byte messages at QoS 0 and 50,000 at QoS 1 (override with QOS0_COUNT / QOS1_COUNT), MQTT 3.1.1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
QOS0_COUNT="${QOS0_COUNT:-200000}"
QOS1_COUNT="${QOS1_COUNT:-50000}"
SIZE=100

command -v mosquitto >/dev/null || { echo "mosquitto missing: apt-get install -y mosquitto mosquitto-clients" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install -y time" >&2; exit 1; }
[ -d "$here/node_modules/mqtt" ] || npm ci --no-audit --no-fund --prefix "$here" >/dev/null

dotnet build "$root/bench/Schlage2Mqtt.Mqtt.Bench" -c Release -v quiet -nologo >/dev/null
bench_dll="$root/bench/Schlage2Mqtt.Mqtt.Bench/bin/Release/net10.0/Schlage2Mqtt.Mqtt.Bench.dll"

work="$(mktemp -d)"
port=$(( 20000 + RANDOM % 20000 ))
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 1000000\n' "$port" > "$work/mosquitto.conf"
chmod 755 "$work"; chmod 644 "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" >"$work/broker.log" 2>&1 &
broker=$!
trap 'kill "$broker" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done

line=$(head -c "$SIZE" < /dev/zero | tr '\0' 'x')
results="$work/results.jsonl"

run_mosquitto_pub() { # qos count
  awk -v n="$2" -v l="$line" 'BEGIN { for (i = 0; i < n; i++) print l }' > "$work/lines.txt"
  /usr/bin/time -f '%e %M' -o "$work/time.txt" mosquitto_pub -h 127.0.0.1 -p "$port" -V mqttv311 -q "$1" -t bench/topic -l < "$work/lines.txt"
  read -r secs rss < "$work/time.txt"
  awk -v q="$1" -v n="$2" -v s="$secs" -v r="$rss" 'BEGIN { printf "{\"client\":\"mosquitto_pub\",\"qos\":%d,\"count\":%d,\"seconds\":%.3f,\"msgs_per_s\":%d,\"alloc_bytes_per_msg\":null,\"peak_rss_kb\":%d,\"failures\":0}\n", q, n, s, (s > 0 ? n / s : 0), r }' >> "$results"
}

for spec in "0 $QOS0_COUNT" "1 $QOS1_COUNT"; do
  set -- $spec
  dotnet "$bench_dll" publish --server "mqtt://127.0.0.1:$port" --qos "$1" --count "$2" --size "$SIZE" --version 311 >> "$results"
  run_mosquitto_pub "$1" "$2"
  node "$here/publish.mjs" "$port" "$2" "$1" "$SIZE" >> "$results"
done

node - "$results" <<'JS'
const fs = require('fs')
const rows = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l))
const pad = (s, n) => String(s).padEnd(n)
console.log(pad('client', 15) + pad('QoS', 5) + pad('messages', 10) + pad('seconds', 9) + pad('msgs/s', 10) + pad('alloc B/msg', 13) + pad('peak RSS MB', 12) + 'vs libmosquitto / vs MQTT.js')
for (const r of rows) {
  const peer = (name) => rows.find((x) => x.client === name && x.qos === r.qos)
  const ratio = r.client === 'schlage2mqtt'
    ? `${(r.msgs_per_s / peer('mosquitto_pub').msgs_per_s).toFixed(2)}x / ${(r.msgs_per_s / peer('mqtt.js').msgs_per_s).toFixed(2)}x`
    : ''
  console.log(pad(r.client, 15) + pad(r.qos, 5) + pad(r.count, 10) + pad(r.seconds.toFixed(3), 9) + pad(r.msgs_per_s, 10) +
    pad(r.alloc_bytes_per_msg === null ? 'n/a' : r.alloc_bytes_per_msg.toFixed(1), 13) + pad((r.peak_rss_kb / 1024).toFixed(1), 12) + ratio)
}
JS
