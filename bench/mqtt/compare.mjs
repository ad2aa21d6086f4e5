// Side-by-side publish benchmark: schlage2mqtt's client, mosquitto_pub (libmosquitto, C), MQTT.js and MQTTnet 5 (.NET), each run
// several times against a fresh private mosquitto, rounds alternating the order of the clients.
// usage: node compare.mjs <Schlage2Mqtt.Mqtt.Bench.dll>   (bench/mqtt/run.sh builds it and calls this)
// env: QOS0_COUNT (200000), QOS1_COUNT (50000), REPS (5), WINDOW (1024), CLIENTS (all four), RAW (path for JSONL)
//
// What is measured, for every client alike:
// - window: from the first measured publish until the broker has processed the last message. Our client,
//   MQTTnet (same bench executable, `publish-mqttnet`) and MQTT.js time it themselves (after the same warm-up: WARMUP_ROUNDS x WARMUP_BATCH publishes with 200 ms pauses): QoS 1 ends on the last PUBACK; QoS 0 ends on a round
//   trip after the last publish (our and MQTTnet's PINGREQ/PINGRESP; MQTT.js a QoS 1 publish and its PUBACK). mosquitto_pub
//   cannot be instrumented, and as a process it exits while its last messages still sit in socket buffers, so
//   its window is read from the broker's log: "New client connected ... as <id>" to "Client <id> disconnected."
//   (the broker handles a connection's packets in order, so DISCONNECT is processed after every PUBLISH). That
//   leaves out its process start, which is reported separately.
// - receipt: after each run the broker's $SYS/broker/publish/messages/received counter must equal what the client
//   sent (warm-up included), so no client wins by dropping messages.
// - broker CPU (utime+stime of the mosquitto process over the window): per message, and as "busy" = broker CPU /
//   window. mosquitto is single-threaded, so 1 / (broker CPU per message) is a ceiling no client can pass.
// - other load: CPU used on this machine during the window by processes other than the broker and the client
//   (in cores), because this machine is shared and foreign load moves every figure.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const env = process.env
const int = (v, d) => (v === undefined || v === '' ? d : Number.parseInt(v, 10))
const benchDll = process.argv[2]
const SIZE = 100
const WINDOW = int(env.WINDOW, 1024)
const REPS = int(env.REPS, 5)
const COUNTS = { 0: int(env.QOS0_COUNT, 200000), 1: int(env.QOS1_COUNT, 50000) }
const CLIENTS = (env.CLIENTS ?? 'schlage2mqtt,mosquitto_pub,mqtt.js,mqttnet').split(',')
const WARMUP_ROUNDS = int(env.WARMUP_ROUNDS, 5)
const WARMUP_BATCH = int(env.WARMUP_BATCH, 5000)
const WARMUP = WARMUP_ROUNDS * WARMUP_BATCH
const TCK = int(env.CLK_TCK, 100)
// PIN=1: broker on CPU 0, every client on CPU 1 (taskset), so no client can take CPU from the broker. Off by
// default: unpinned is how a broker and a bridge share a small host.
const PIN = env.PIN === '1'
const pinned = (cpu, command, args) => (PIN ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args])
const mosquittoVersion = (spawnSync('mosquitto', ['-h'], { encoding: 'utf8' }).stdout.match(/version (\S+)/) ?? [])[1] ?? '?'
const work = fs.mkdtempSync(path.join(os.tmpdir(), 's2m-bench-'))
fs.chmodSync(work, 0o755) // mosquitto started as root drops to its own user and must still read its config

if (!benchDll || !fs.existsSync(benchDll)) {
  console.error('usage: node compare.mjs <path to Schlage2Mqtt.Mqtt.Bench.dll> (run bench/mqtt/run.sh)')
  process.exit(2)
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function procTicks (pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12]) // utime, stime
}

/** Context switches of a process: voluntary (it blocked: nothing to read) and involuntary (preempted: no CPU). */
function procSwitches (pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const get = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+)`, 'm'))[1])
  return { voluntary: get('voluntary_ctxt_switches'), involuntary: get('nonvoluntary_ctxt_switches') }
}

function machineBusyTicks () {
  const [, ...v] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number)
  const [user, nice, system, , , irq, softirq, steal] = v
  return user + nice + system + irq + softirq + steal
}

function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)) })
  })
}

async function waitForPort (port, broker) {
  for (let i = 0; i < 250; i++) {
    if (broker.exited) throw new Error(`mosquitto exited: ${broker.log.join('\n')}`)
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true) })
      s.once('error', () => resolve(false))
    })
    if (ok) return
    await sleep(20)
  }
  throw new Error(`mosquitto did not listen on ${port}`)
}

async function startBroker () {
  const port = await freePort()
  const conf = path.join(work, `mosquitto-${port}.conf`)
  fs.writeFileSync(conf, [
    `listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'max_queued_messages 1000000',
    'sys_interval 1', 'log_dest stdout', 'log_type error', 'log_type warning', 'log_type notice', 'connection_messages true', '',
  ].join('\n'))
  fs.chmodSync(conf, 0o644)
  // stdbuf: line-buffered log, so connect/disconnect lines arrive when they happen (stdbuf execs mosquitto: same pid).
  const proc = spawn(...pinned(0, 'stdbuf', ['-oL', 'mosquitto', '-c', conf]), { stdio: ['ignore', 'pipe', 'pipe'] })
  const broker = { port, proc, pid: proc.pid, log: [], listeners: new Set(), exited: false }
  proc.on('exit', () => { broker.exited = true })
  for (const stream of [proc.stdout, proc.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      broker.log.push(line)
      for (const l of broker.listeners) l(line)
    })
  }
  await waitForPort(port, broker)
  broker.stop = async () => {
    if (!broker.exited) {
      const gone = new Promise((resolve) => proc.once('exit', resolve))
      proc.kill('SIGTERM')
      await gone
    }
    fs.rmSync(conf, { force: true })
  }
  return broker
}

function sample (broker) {
  return { t: process.hrtime.bigint(), broker: procTicks(broker.pid), switches: procSwitches(broker.pid), machine: machineBusyTicks() }
}

/** Waits until the broker's PUBLISH-received counter reaches `expected` (it is refreshed every second). */
async function receivedCount (broker, expected) {
  const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-t', '$SYS/broker/publish/messages/received'], { stdio: ['ignore', 'pipe', 'ignore'] })
  let last = -1
  try {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 6000)
      readline.createInterface({ input: sub.stdout }).on('line', (line) => {
        last = Number.parseInt(line, 10)
        if (last >= expected) { clearTimeout(timer); resolve() }
      })
    })
  } finally {
    sub.kill()
  }
  return last
}

function runProcess (command, args, { stdin, onLine } = {}) {
  const proc = spawn(...pinned(1, command, args), { stdio: [stdin ?? 'ignore', 'pipe', 'pipe'] })
  const err = []
  readline.createInterface({ input: proc.stdout }).on('line', (line) => onLine?.(line))
  readline.createInterface({ input: proc.stderr }).on('line', (line) => err.push(line))
  return new Promise((resolve) => proc.on('exit', (code) => resolve({ code, stderr: err.join('\n') })))
}

const linesFiles = {}
function linesFile (count) {
  if (!linesFiles[count]) {
    const file = path.join(work, `lines-${count}.txt`)
    fs.writeFileSync(file, (('x'.repeat(SIZE)) + '\n').repeat(count))
    linesFiles[count] = file
  }
  return linesFiles[count]
}

async function runInstrumented (name, broker, command, args) {
  let start, end, result
  const exit = await runProcess(command, args, {
    onLine: (line) => {
      const message = JSON.parse(line)
      if (message.event === 'start') start = sample(broker)
      else if (message.client) { end = sample(broker); result = message }
    },
  })
  if (exit.code !== 0 || !result || !start) throw new Error(`${name} failed (exit ${exit.code}): ${exit.stderr}`)
  return { ...result, start, end }
}

async function runMosquittoPub (broker, qos, count) {
  const id = 'bench-mosquitto_pub'
  let start, end
  let connectedAt
  const spawnedAt = process.hrtime.bigint()
  const listener = (line) => {
    if (line.includes(`New client connected`) && line.includes(` as ${id} `)) { start = sample(broker); connectedAt = start.t }
    if (line.includes(`Client ${id} disconnected`)) end = sample(broker)
  }
  broker.listeners.add(listener)
  const timeFile = path.join(work, 'time.txt')
  const stdin = fs.openSync(linesFile(count), 'r')
  try {
    const exit = await runProcess('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, 'mosquitto_pub', '-h', '127.0.0.1', '-p', String(broker.port),
      '-V', 'mqttv311', '-i', id, '-q', String(qos), '-M', String(WINDOW), '-t', 'bench/topic', '-l'], { stdin })
    if (exit.code !== 0) throw new Error(`mosquitto_pub failed (exit ${exit.code}): ${exit.stderr}`)
    for (let i = 0; i < 500 && !end; i++) await sleep(10) // the broker may log the DISCONNECT after the process exited
  } finally {
    fs.closeSync(stdin)
    broker.listeners.delete(listener)
  }
  if (!start || !end) throw new Error(`mosquitto_pub: no connect/disconnect in the broker log:\n${broker.log.join('\n')}`)
  const [wall, user, sys, rss] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number)
  const seconds = Number(end.t - start.t) / 1e9
  return {
    client: 'mosquitto_pub', qos, count, seconds, msgs_per_s: Math.round(count / seconds), alloc_bytes_per_msg: null,
    cpu_seconds: user + sys, cpu_whole_process: true, peak_rss_kb: rss, failures: 0,
    process_seconds: wall, startup_ms: Number(connectedAt - spawnedAt) / 1e6, start, end,
  }
}

async function runOne (client, qos) {
  const count = COUNTS[qos]
  const broker = await startBroker()
  try {
    let r
    let expected
    if (client === 'schlage2mqtt') {
      r = await runInstrumented(client, broker, 'dotnet', [benchDll, 'publish', '--server', `mqtt://127.0.0.1:${broker.port}`, '--qos', String(qos),
        '--count', String(count), '--size', String(SIZE), '--version', '311', '--window', String(WINDOW), '--client-id', 'bench-schlage2mqtt', '--warmup-rounds', String(WARMUP_ROUNDS), '--warmup-batch', String(WARMUP_BATCH)])
      expected = WARMUP + count
    } else if (client === 'mqttnet') {
      r = await runInstrumented(client, broker, 'dotnet', [benchDll, 'publish-mqttnet', '--server', `mqtt://127.0.0.1:${broker.port}`, '--qos', String(qos),
        '--count', String(count), '--size', String(SIZE), '--version', '311', '--window', String(WINDOW), '--client-id', 'bench-mqttnet', '--warmup-rounds', String(WARMUP_ROUNDS), '--warmup-batch', String(WARMUP_BATCH)])
      expected = WARMUP + count
    } else if (client === 'mqtt.js') {
      r = await runInstrumented(client, broker, 'node', [path.join(here, 'publish.mjs'), String(broker.port), String(count), String(qos), String(SIZE), String(WINDOW), 'bench-mqttjs', String(WARMUP_ROUNDS), String(WARMUP_BATCH)])
      expected = WARMUP + count + (qos === 0 ? 1 : 0)
    } else {
      r = await runMosquittoPub(broker, qos, count)
      expected = count
    }
    const wallTicks = Number(r.end.t - r.start.t) / 1e9 * TCK
    const brokerTicks = r.end.broker - r.start.broker
    const otherTicks = (r.end.machine - r.start.machine) - brokerTicks - r.cpu_seconds * TCK
    const received = await receivedCount(broker, expected)
    if (received !== expected) throw new Error(`${client} QoS ${qos}: the broker received ${received} publishes, expected ${expected}`)
    return {
      client, qos, count, seconds: r.seconds, rate: r.msgs_per_s, alloc: r.alloc_bytes_per_msg, gcs: r.gc_count ?? null,
      clientCpuUs: r.cpu_seconds / count * 1e6, cpuWholeProcess: !!r.cpu_whole_process,
      brokerCpuUs: brokerTicks / TCK / count * 1e6, brokerBusy: brokerTicks / wallTicks, otherCores: Math.max(0, otherTicks / wallTicks),
      brokerWaits: (r.end.switches.voluntary - r.start.switches.voluntary) / count * 1000,
      brokerPreempted: (r.end.switches.involuntary - r.start.switches.involuntary) / count * 1000,
      rssMb: r.peak_rss_kb / 1024, received, expected, startupMs: r.startup_ms ?? null, processSeconds: r.process_seconds ?? null,
    }
  } finally {
    await broker.stop()
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }
const fmt = (x, d = 0) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(d))
const pad = (s, n) => String(s).padEnd(n)

const runs = []
const raw = env.RAW ? fs.createWriteStream(env.RAW) : null
try {
  for (let rep = 0; rep < REPS; rep++) {
    for (const qos of [0, 1]) {
      const order = CLIENTS.map((_, i) => CLIENTS[(i + rep) % CLIENTS.length]) // each client takes each position in turn
      for (const client of order) {
        const r = { rep, ...(await runOne(client, qos)) }
        runs.push(r)
        raw?.write(JSON.stringify(r) + '\n')
        console.error(`rep ${rep + 1}/${REPS} QoS ${qos} ${pad(client, 14)} ${pad(r.rate, 7)} msg/s  window ${r.seconds.toFixed(3)} s  ` +
          `broker busy ${fmt(r.brokerBusy * 100)}% waits ${fmt(r.brokerWaits, 1)} preempted ${fmt(r.brokerPreempted, 1)} /1000 msgs  other load ${fmt(r.otherCores, 2)} cores  received ${r.received}`)
      }
    }
  }
} finally {
  raw?.end()
  fs.rmSync(work, { recursive: true, force: true })
}

console.log(`\nPublish benchmark: ${SIZE}-byte payloads on one topic, MQTT 3.1.1, in-flight window ${WINDOW}, fresh mosquitto ${mosquittoVersion} per run, ${REPS} runs per client (order rotated each round)${PIN ? ', broker pinned to CPU 0 and clients to CPU 1' : ''}.`)
console.log('msgs/s: median [min-max] over the runs; window = first publish until the broker has processed the last message (see compare.mjs).')
console.log('client CPU and broker CPU are per message; broker busy = broker CPU / window; other load = CPU of unrelated processes during the window.\n')
const header = pad('client', 15) + pad('QoS', 4) + pad('messages', 9) + pad('msgs/s median [min-max]', 26) + pad('alloc B/msg', 12) + pad('client CPU us/msg', 18) +
  pad('broker CPU us/msg', 18) + pad('broker busy', 12) + pad('other load', 11) + pad('peak RSS MB', 12) + 'received'
console.log(header)
const summary = {}
for (const qos of [0, 1]) {
  for (const client of CLIENTS) {
    const rs = runs.filter((r) => r.qos === qos && r.client === client)
    if (rs.length === 0) continue
    const rates = rs.map((r) => r.rate)
    const s = {
      rate: median(rates), min: Math.min(...rates), max: Math.max(...rates),
      alloc: rs[0].alloc === null ? null : median(rs.map((r) => r.alloc)),
      clientCpu: median(rs.map((r) => r.clientCpuUs)), brokerCpu: median(rs.map((r) => r.brokerCpuUs)),
      busy: median(rs.map((r) => r.brokerBusy)), other: median(rs.map((r) => r.otherCores)), rss: median(rs.map((r) => r.rssMb)),
      received: rs.every((r) => r.received === r.expected) ? `${rs[0].received}/${rs[0].expected} ok` : 'MISMATCH',
    }
    summary[`${qos}/${client}`] = s
    console.log(pad(client, 15) + pad(qos, 4) + pad(COUNTS[qos], 9) + pad(`${s.rate} [${s.min}-${s.max}]`, 26) + pad(fmt(s.alloc, 1), 12) +
      pad(fmt(s.clientCpu, 2) + (rs[0].cpuWholeProcess ? '*' : ''), 18) + pad(fmt(s.brokerCpu, 2), 18) + pad(fmt(s.busy * 100) + '%', 12) +
      pad(fmt(s.other, 2), 11) + pad(fmt(s.rss, 1), 12) + s.received)
  }
}
const pub = runs.find((r) => r.client === 'mosquitto_pub')
if (pub) {
  const startup = median(runs.filter((r) => r.client === 'mosquitto_pub').map((r) => r.startupMs))
  console.log(`* mosquitto_pub: whole-process CPU (it cannot be sampled per window). Its start (exec to CONNECT processed) took a median ${fmt(startup, 1)} ms, outside its window.`)
}
console.log('received = publishes counted by the broker ($SYS) / expected, warm-up included; mosquitto_pub runs with -M (max in-flight) = the window.\n')

// Foreign load moves every figure; the same comparison over only the runs during which this machine was otherwise
// (nearly) idle shows what the clients do when the broker gets a whole core.
const QUIET = 0.25
console.log(`Quiet runs only (other load < ${QUIET} cores), median msgs/s (runs):`)
for (const qos of [0, 1]) {
  const cells = CLIENTS.map((client) => {
    const rs = runs.filter((r) => r.qos === qos && r.client === client && r.otherCores < QUIET)
    return `${client} ${rs.length ? median(rs.map((r) => r.rate)) : 'n/a'} (${rs.length})`
  })
  console.log(`  QoS ${qos}: ${cells.join(', ')}`)
}
console.log('')

for (const qos of [0, 1]) {
  const ours = summary[`${qos}/schlage2mqtt`]
  if (!ours) continue
  const ratios = []
  for (const [peer, target] of [['mosquitto_pub', 0.8], ['mqtt.js', 1.5], ['mqttnet', null]]) {
    const p = summary[`${qos}/${peer}`]
    if (!p) continue
    const paired = []
    for (let rep = 0; rep < REPS; rep++) {
      const a = runs.find((r) => r.rep === rep && r.qos === qos && r.client === 'schlage2mqtt')
      const b = runs.find((r) => r.rep === rep && r.qos === qos && r.client === peer)
      if (a && b) paired.push(a.rate / b.rate)
    }
    const ratio = ours.rate / p.rate
    ratios.push(`vs ${peer}: ${ratio.toFixed(2)}x (median of per-round ratios ${median(paired).toFixed(2)}x, range ${Math.min(...paired).toFixed(2)}-${Math.max(...paired).toFixed(2)}${target === null ? '' : `; target >= ${target}x: ${ratio >= target ? 'met' : 'NOT met'}`})`)
  }
  const brokerCpu = median(runs.filter((r) => r.qos === qos).map((r) => r.brokerCpuUs))
  const ceiling = 1e6 / brokerCpu
  console.log(`QoS ${qos} schlage2mqtt ${ratios.join('; ')}`)
  const js = summary[`${qos}/mqtt.js`]
  console.log(`QoS ${qos} broker ceiling: mosquitto spends a median ${brokerCpu.toFixed(2)} us of CPU per message whichever client sends it, so no client can exceed ~${Math.round(ceiling)} msgs/s here; ` +
    CLIENTS.filter((c) => summary[`${qos}/${c}`]).map((c) => `${c} ${Math.round(summary[`${qos}/${c}`].rate / ceiling * 100)}%`).join(', ') + ' of it' +
    (js ? `; 1.5x MQTT.js would be ${Math.round(1.5 * js.rate)} msgs/s, ${Math.round(1.5 * js.rate / ceiling * 100)}% of the ceiling.` : '.'))
}
