// Spectator clients for the benchmarks: COUNT websockets to URL, opened all at once.
// Cheap on purpose (Node `ws`, no JSON parsing: seq is read from the frame's first bytes), so the
// server, not the clients, is what is measured; the same clients run against the floor server.
//
// stdout, one JSON object per line (times are epoch milliseconds, comparable with Python's
// time.time() * 1000 on the same machine):
//   {"ev":"ready","connected":n,"failed":n,"start":t,"allFirst":t}  every socket has its 1st frame
//   {"ev":"seq","seq":s,"first":t,"last":t}     every socket of this process has frame s
//   {"ev":"stats",...}                         answer to "stats" on stdin
// stdin: "stats" | "quit"
// A URL with /socket.io/ speaks Engine.IO 4 by hand (the socket.io peer, bench/socketio_peer.js):
// answer the open packet with a namespace connect and pings with pongs, and read `42["event",…]`
// messages exactly as the others, so the peer is measured with the same cheap clients.
"use strict";
const WebSocket = require("ws");

const [url, countArg] = process.argv.slice(2);
const count = Number(countArg);
// BENCH_DEFLATE=1 (bench/fanout.py --deflate): offer permessage-deflate as browsers do, with no
// context takeover (what the lean protocol accepts); stats then report bytes read off the wire.
const deflate = process.env.BENCH_DEFLATE === "1"
  ? { clientNoContextTakeover: true, serverNoContextTakeover: true }
  : false;
const engineIo = url.includes("/socket.io/");
const now = () => performance.timeOrigin + performance.now();
const emit = (o) => process.stdout.write(JSON.stringify(o) + "\n");

const seqCount = new Map();
const seqFirst = new Map();
let connected = 0, failed = 0, withFirst = 0, gaps = 0, closedEarly = 0, frames = 0;
const closeCodes = {};
const start = now();
let allFirst = null;

function readSeq(buf) {
  // {"type":"event","seq":42,...} / {"type":"snapshot","seq":41,...}: "seq": is near the start.
  const i = buf.indexOf('"seq":');
  if (i < 0 || i > 40) return -1;
  let n = 0;
  for (let j = i + 6; j < buf.length; j++) {
    const c = buf[j];
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  return n;
}

function maybeReady() {
  if (allFirst === null && withFirst + failed === count) {
    allFirst = now();
    emit({ ev: "ready", connected, failed, start, allFirst });
  }
}

function open(i) {
  const ws = new WebSocket(url, { perMessageDeflate: deflate });
  let last = -1, counted = false;
  ws.on("open", () => { connected++; });
  ws.on("message", (data) => {
    let kind = data[9]; // {"type":"e... 'e' event, 's' snapshot, 'p' presence
    if (engineIo) {
      if (data[0] === 48) { ws.send("40"); return; } // "0{…}" open → connect to "/"
      if (data[0] === 50) { ws.send("3"); return; } // "2" ping → "3" pong
      if (data[0] !== 52 || data[1] !== 50) return; // not a "42[…]" event message
      kind = data[4]; // 42["event",… / 42["snapshot",…
    }
    frames++;
    if (kind === 112) return; // presence: not sequenced
    const seq = readSeq(data);
    if (last < 0) {
      last = seq; withFirst++; maybeReady(); return;
    }
    if (kind !== 101) { last = seq; return; }  // a resync snapshot
    if (seq !== last + 1) gaps++;
    last = seq;
    const c = (seqCount.get(seq) || 0) + 1;
    seqCount.set(seq, c);
    if (c === 1) seqFirst.set(seq, now());
    if (c === count - failed) {
      emit({ ev: "seq", seq, first: seqFirst.get(seq), last: now() });
      seqCount.delete(seq); seqFirst.delete(seq);
    }
  });
  ws.on("close", (code) => {
    closeCodes[code] = (closeCodes[code] || 0) + 1;
    if (last < 0 && !counted) { counted = true; failed++; maybeReady(); }
    if (!stopping) closedEarly++;
  });
  ws.on("error", () => {
    if (last < 0 && !counted) { counted = true; failed++; maybeReady(); }
  });
  return ws;
}

let stopping = false;
const sockets = [];
for (let i = 0; i < count; i++) sockets.push(open(i));

let buffer = "";
process.stdin.on("data", (chunk) => {
  buffer += chunk;
  let k;
  while ((k = buffer.indexOf("\n")) >= 0) {
    const cmd = buffer.slice(0, k).trim();
    buffer = buffer.slice(k + 1);
    if (cmd === "stats") {
      const pending = {};
      for (const [s, c] of seqCount) pending[s] = c;
      let wire = 0; // TCP bytes read by every open socket (handshake included)
      for (const ws of sockets) wire += ws._socket ? ws._socket.bytesRead : 0;
      emit({ ev: "stats", connected, failed, withFirst, gaps, closedEarly, closeCodes, frames, pending, wire });
    } else if (cmd === "quit") {
      stopping = true;
      for (const ws of sockets) ws.terminate();
      setTimeout(() => process.exit(0), 50);
    }
  }
});
process.stdin.on("end", () => process.exit(0));
