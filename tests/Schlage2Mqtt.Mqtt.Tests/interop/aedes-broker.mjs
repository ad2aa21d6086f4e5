// Runs an aedes broker on 127.0.0.1:<port> for the interoperability tests.
// Prints "listening <port>" once it accepts connections; exits on SIGTERM.
import { createServer } from 'node:net'
import { Aedes } from 'aedes'

const port = Number.parseInt(process.argv[2] ?? '', 10)
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node aedes-broker.mjs <port>')
  process.exit(2)
}

const aedes = await Aedes.createBroker()
const server = createServer(aedes.handle)
server.listen(port, '127.0.0.1', () => {
  console.log(`listening ${port}`)
})
server.on('error', (err) => {
  console.error(`aedes listen failed: ${err.message}`)
  process.exit(1)
})
const stop = () => server.close(() => aedes.close(() => process.exit(0)))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
