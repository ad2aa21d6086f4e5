// Joins the simulator's subscriber socket with the reference Socket.IO client and prints one JSON line per happening:
// {"event":"connect"}, {"event":"data","payload":{...}}, {"event":"connect_error","message":...},
// {"event":"disconnect","reason":...}. Exits after a disconnect or a connect_error; a guard ends a hung run.
// Usage: node subscribe.js <origin, e.g. http://127.0.0.1:8480> <path, e.g. /partner/socket.io/> <subscriberID>
const { io } = require("socket.io-client");

const [origin, path, subscriberID] = process.argv.slice(2);
const print = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const socket = io(origin, { path, transports: ["websocket"], query: { subscriberID }, reconnection: false, timeout: 10000 });
const guard = setTimeout(() => { print({ event: "guard" }); process.exit(2); }, 30000);
const end = (code) => { clearTimeout(guard); socket.close(); setImmediate(() => process.exit(code)); };

socket.on("connect", () => print({ event: "connect", id: socket.id }));
socket.on("data", (payload) => print({ event: "data", payload }));
socket.on("connect_error", (err) => { print({ event: "connect_error", message: err.message }); end(0); });
socket.on("disconnect", (reason) => { print({ event: "disconnect", reason }); end(0); });
