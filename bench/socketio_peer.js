// A peer for the fan-out benchmark: a socket.io 4 room doing what the floor does (bench/floor.py).
// Every connection joins one room and gets a snapshot-sized first message; a `bench.trigger`
// event {id, sizes} from any socket makes the server emit one `event` per size to the whole room
// (socket.io encodes a room broadcast once and writes it to every socket), then `ack` the sender.
// Websocket transport only, no per-message compression: what a tuned socket.io deployment runs.
//
//   node bench/socketio_peer.js PORT SNAPSHOT_BYTES     (prints "ready" when listening)
"use strict";
const http = require("http");
const { Server } = require("socket.io");

const [portArg, snapArg] = process.argv.slice(2);
const port = Number(portArg);
const snapshotBytes = Number(snapArg || 4000);
let seq = 0;

// The same frame shape as the floor's: {"type":...,"seq":n,"name":"standings","data":"xxx…"}.
function frame(type, n, size) {
  const head = `{"type":"${type}","seq":${n},"name":"standings","data":"`;
  return { type, seq: n, name: "standings", data: "x".repeat(Math.max(0, size - head.length - 2)) };
}

const server = http.createServer();
const io = new Server(server, {
  transports: ["websocket"],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  pingInterval: 25000,
  pingTimeout: 60000,
  maxHttpBufferSize: 1e6,
});

io.on("connection", (socket) => {
  socket.join("room");
  socket.emit("snapshot", frame("snapshot", seq, snapshotBytes));
  socket.on("bench.trigger", (request) => {
    for (const size of request.sizes) {
      seq += 1;
      io.to("room").emit("event", frame("event", seq, size));
    }
    socket.emit("ack", { type: "ack", id: request.id, seq });
  });
});

server.listen({ port, host: "127.0.0.1", backlog: 4096 }, () => {
  process.stdout.write("ready\n");
});
