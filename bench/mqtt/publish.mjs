// MQTT.js peer of the publish benchmark: same messages, same measurement window, one JSON line out.
// usage: node publish.mjs <port> <count> <qos> <size>
import mqtt from 'mqtt'

const [port, count, qos, size] = process.argv.slice(2).map((v) => Number.parseInt(v, 10))
const payload = Buffer.alloc(size, 'x')
const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4, clientId: `bench-mqttjs-${process.pid}`, reconnectPeriod: 0 })

client.setMaxListeners(0)
client.on('error', (err) => { console.error(err.message); process.exit(1) })
client.on('connect', async () => {
  const publish = () => new Promise((resolve, reject) => client.publish('bench/topic', payload, { qos }, (err) => (err ? reject(err) : resolve())))
  for (let i = 0; i < 2000; i++) await publish() // warm-up, as for the others
  const start = process.hrtime.bigint()
  const window = 1024
  const inflight = []
  for (let i = 0; i < count; i++) {
    inflight.push(publish())
    if (inflight.length >= window) await inflight.shift()
  }
  await Promise.all(inflight)
  // QoS 0 callbacks fire once bytes reach the socket; end with one acknowledged QoS 1 publish so the window,
  // like the others', closes when the broker has processed everything (our client uses PINGREQ for this).
  if (qos === 0) await new Promise((resolve, reject) => client.publish('bench/done', 'x', { qos: 1 }, (err) => (err ? reject(err) : resolve())))
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const rss = process.resourceUsage().maxRSS
  console.log(JSON.stringify({ client: 'mqtt.js', qos, count, seconds: Number(seconds.toFixed(3)), msgs_per_s: Math.round(count / seconds), alloc_bytes_per_msg: null, peak_rss_kb: rss, failures: 0 }))
  client.end()
})
