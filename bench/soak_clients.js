// Spectators for the soak (bench/soak.py): COUNT sockets spread over the given room URLs, each a
// careful client as docs/protocol.md describes one: it keeps the last seq, asks `resume` on a gap,
// and reconnects with ?since= whenever its socket closes (a server restart, a broker outage).
// Every RECONNECT_MS a share of the sockets (RECONNECT_SHARE) closes and comes back with since,
// as phones and flaky networks do.
//
// stdout, one JSON object per line:
//   {"ev":"ready","connected":n}                         every socket has had its first frame
//   {"ev":"lat","ms":[…]}                                live delivery latencies since the last
//   {"ev":"stats","sockets":n,"last":{seq:count},"missing":n,"resumes":n,"reconnects":n,
//    "snapshots":n,"closes":{code:n}}                    answer to "stats" on stdin
// stdin: "stats" | "quit"
"use strict";
const WebSocket = require("ws");

const [urlsArg, countArg, shareArg, everyArg] = process.argv.slice(2);
const urls = urlsArg.split(",");
const count = Number(countArg);
const share = Number(shareArg || "0.05");
const every = Number(everyArg || "60000");
const emit = (o) => process.stdout.write(JSON.stringify(o) + "\n");

let ready = 0, resumes = 0, reconnects = 0, snapshots = 0, stopping = false;
const closes = {};
let latencies = [];

class Spectator {
  constructor(i) {
    this.url = urls[i % urls.length];
    this.last = null;          // the seq this socket is up to (null before its first frame)
    this.got = new Set();      // seqs received as events after the first snapshot
    this.covered = [];         // [from, to] ranges a later snapshot stood in for
    this.first = null;
    this.resumingFrom = null;
    this.open();
  }

  open(since) {
    this.resumingFrom = null;
    const query = since != null ? `?since=${since}` : "";
    this.ws = new WebSocket(this.url + query, { perMessageDeflate: false });
    this.ws.on("message", (data) => this.onFrame(JSON.parse(data)));
    this.ws.on("close", (code) => this.onClose(code));
    this.ws.on("error", () => {});
  }

  onFrame(frame) {
    if (frame.type === "snapshot") {
      snapshots++;
      if (this.last === null) { this.first = frame.seq; ready++; if (ready === count) emit({ ev: "ready", connected: ready }); }
      else if (frame.seq > this.last) this.covered.push([this.last + 1, frame.seq]);
      this.last = Math.max(this.last ?? frame.seq, frame.seq);
      return;
    }
    if (frame.type !== "event" || this.last === null) return;
    if (frame.seq <= this.last) return;                 // a replay we already hold
    if (frame.seq !== this.last + 1) {                  // a gap: ask for what we missed
      if (this.resumingFrom !== this.last) {            // once per gap, not once per frame
        this.resumingFrom = this.last;
        resumes++;
        this.ws.send(JSON.stringify({ type: "resume", since: this.last }));
      }
      return;
    }
    this.got.add(frame.seq);
    this.last = frame.seq;
    const at = Date.parse(frame.at);
    if (!Number.isNaN(at)) latencies.push(Date.now() - at);
  }

  onClose(code) {
    closes[code] = (closes[code] || 0) + 1;
    if (stopping) return;
    reconnects++;
    setTimeout(() => this.open(this.last), 250 + Math.random() * 1000);
  }

  missing(final) {
    if (this.first === null) return final;
    let n = 0;
    for (let s = this.first + 1; s <= final; s++) {
      if (this.got.has(s)) continue;
      if (this.covered.some(([a, b]) => s >= a && s <= b)) continue;
      n++;
    }
    return n;
  }
}

const spectators = [];
for (let i = 0; i < count; i++) spectators.push(new Spectator(i));

setInterval(() => {              // the flaky share: close now, come back with since
  for (const s of spectators) if (Math.random() < share) s.ws.close();
}, every);
setInterval(() => { if (latencies.length) { emit({ ev: "lat", ms: latencies }); latencies = []; } }, 1000);

let buffer = "";
process.stdin.on("data", (chunk) => {
  buffer += chunk;
  let k;
  while ((k = buffer.indexOf("\n")) >= 0) {
    const [cmd, arg] = buffer.slice(0, k).trim().split(" ");
    buffer = buffer.slice(k + 1);
    if (cmd === "stats") {
      const final = Number(arg);
      const last = {};
      let missing = 0;
      for (const s of spectators) { last[s.last] = (last[s.last] || 0) + 1; missing += s.missing(final); }
      emit({ ev: "stats", sockets: spectators.length, last, missing, resumes, reconnects, snapshots, closes });
    } else if (cmd === "quit") {
      stopping = true;
      for (const s of spectators) s.ws.terminate();
      setTimeout(() => process.exit(0), 50);
    }
  }
});
process.stdin.on("end", () => process.exit(0));
