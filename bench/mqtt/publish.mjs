// MQTT.js peer of the publish benchmark: same messages, same window rule as our client, JSON lines out.
// usage: node publish.mjs <port> <count> <qos> <size> [window] [clientId] [warmupRounds] [warmupBatch]
// Prints {"event":"start"} as the measured window opens (compare.mjs samples the broker's CPU then) and one
// result line when it closes.
import { EventEmitter } from 'node:events'
import mqtt from 'mqtt'

// 1024 publishes waiting for 'drain' are expected here, not a leak; keep stderr for real errors.
EventEmitter.defaultMaxListeners = 0

const [port, count, qos, size] = process.argv.slice(2, 6).map((v) => Number.parseInt(v, 10))
const window = Number.parseInt(process.argv[6] ?? '1024', 10)
const clientId = process.argv[7] ?? `bench-mqttjs-${process.pid}`
const warmupRounds = Number.parseInt(process.argv[8] ?? '5', 10)
const warmupBatch = Number.parseInt(process.argv[9] ?? '5000', 10)
const payload = Buffer.alloc(size, 'x')
const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4, clientId, reconnectPeriod: 0 })

client.on('error', (err) => { console.error(err.message); process.exit(1) })
client.on('connect', async () => {
  const publish = () => new Promise((resolve, reject) => client.publish('bench/topic', payload, { qos }, (err) => (err ? reject(err) : resolve())))
  const batch = async (n) => {
    const inflight = []
    for (let i = 0; i < n; i++) {
      inflight.push(publish())
      if (inflight.length >= window) await inflight.shift()
    }
    await Promise.all(inflight)
  }
  // Warm-up outside the window, as for our client: rounds with pauses so V8 optimises the hot path first.
  for (let round = 0; round < warmupRounds; round++) {
    await batch(warmupBatch)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  console.log(JSON.stringify({ event: 'start' }))
  const cpuBefore = process.cpuUsage()
  const start = process.hrtime.bigint()
  await batch(count)
  // QoS 0 callbacks fire once bytes reach the socket; end with one acknowledged QoS 1 publish so the window,
  // like the others', closes when the broker has processed everything (our client uses PINGREQ for this).
  if (qos === 0) await new Promise((resolve, reject) => client.publish('bench/done', 'x', { qos: 1 }, (err) => (err ? reject(err) : resolve())))
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const cpu = process.cpuUsage(cpuBefore)
  const rss = process.resourceUsage().maxRSS
  console.log(JSON.stringify({
    client: 'mqtt.js', qos, count, seconds: Number(seconds.toFixed(3)), msgs_per_s: Math.round(count / seconds),
    alloc_bytes_per_msg: null, cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)), peak_rss_kb: rss, failures: 0,
  }))
  client.end()
})
