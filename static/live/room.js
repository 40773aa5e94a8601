// The live room client: one websocket to /ws/tournaments/<id>/ (docs/protocol.md), the room state
// it keeps, and the reconnect/resume logic. No DOM here: render.js draws what this holds.

const TERMINAL = {
  4401: "Your sign-in could not be checked. Reload the page to try again.",
  4403: "This tournament is private.",
  4404: "This tournament does not exist (any more).",
};
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 15000;
const RATE_LIMITED_FIRST_MS = 5000;
const OPEN_TIMEOUT_MS = 10000;
const PING_EVERY_MS = 25000;
const SILENCE_LIMIT_MS = 60000; // no frame at all (not even our pong) for this long: drop it
const RESUME_PATIENCE_MS = 5000; // a resume unanswered this long: reconnect instead

// --- state -----------------------------------------------------------------------------------

export function emptyState() {
  return {
    seq: null, tournament: null, rounds: [], announcements: [],
    standings: [], winner: null, checkin: null, spectators: null,
  };
}

export function stateFromSnapshot(frame) {
  return {
    seq: frame.seq,
    tournament: frame.tournament || null,
    rounds: frame.rounds || [],
    announcements: sortAnnouncements(frame.announcements || []),
    standings: frame.standings || (frame.tournament && frame.tournament.standings) || [],
    winner: frame.winner || null,
    checkin: frame.checkin || null,
    spectators: typeof frame.spectators === "number" ? frame.spectators : null,
  };
}

function sortAnnouncements(list) {
  return [...list].sort((a, b) => String(b.at).localeCompare(String(a.at)) || b.id - a.id);
}

function findRound(state, id) {
  return state.rounds.find((r) => r.id === id);
}

function findGroup(state, id) {
  for (const round of state.rounds) {
    const group = (round.groups || []).find((g) => g.id === id);
    if (group) return group;
  }
  return null;
}

function findMatch(state, groupId, matchId) {
  const groups = groupId != null ? [findGroup(state, groupId)] : state.rounds.flatMap((r) => r.groups || []);
  for (const group of groups) {
    const match = group && (group.matches || []).find((m) => m.id === matchId);
    if (match) return match;
  }
  return null;
}

function teamDirectory(state, extra) {
  const byId = new Map();
  for (const round of state.rounds) {
    for (const group of round.groups || []) for (const t of group.teams || []) byId.set(t.id, t);
  }
  for (const t of state.extraTeams || []) byId.set(t.id, t);
  for (const t of extra || []) byId.set(t.id, t);
  return byId;
}

// Puts each scope's rows (teams by id) back into the state as rows with team objects; false when
// a scope or team is unknown, so the caller fetches a fresh snapshot.
function applyStandings(state, data) {
  const byId = teamDirectory(state, data.teams);
  state.extraTeams = [...(state.extraTeams || []), ...(data.teams || [])];
  const scopes = { ...(data.scopes || {}) };
  for (const key of Object.keys(data.standings || {})) scopes[key] = key;
  for (const [scope, source] of Object.entries(scopes)) {
    const rows = (data.standings[source] || []).map((row) => ({ ...row, team: byId.get(row.team) }));
    if (rows.some((row) => !row.team)) return false;
    const [kind, id] = [scope.split(":")[0], Number(scope.split(":")[1])];
    if (kind === "tournament") { state.standings = rows; continue; }
    const target = kind === "round" ? findRound(state, id) : findGroup(state, id);
    if (!target) return false;
    target.standings = rows;
  }
  return true;
}

// Applies one event in place. Returns false when it names something this state does not know
// (a round or match created after our snapshot): the caller then asks for a fresh snapshot.
export function applyEvent(state, name, data) {
  switch (name) {
    case "match.status": {
      const match = findMatch(state, data.group, data.match);
      if (!match) return false;
      match.status = data.status;
      return true;
    }
    case "match.result": {
      // Protocol v2: the match's status and result and every affected scope's standings in one
      // frame; rows name teams by id (the snapshot's groups hold the team objects, `teams` adds
      // any this change brings into a scope).
      const match = findMatch(state, data.group, data.match);
      if (!match) return false;
      if (data.status) match.status = data.status;
      match.version = data.version;
      match.results = data.results;
      return applyStandings(state, data);
    }
    case "announcement": {
      const rest = state.announcements.filter((a) => a.id !== data.id);
      state.announcements = sortAnnouncements([data, ...rest]).slice(0, 20);
      return true;
    }
    case "round.status": {
      const round = findRound(state, data.round);
      if (!round) return false;
      round.status = data.status;
      round.qualified = data.qualified || [];
      return true;
    }
    case "tournament.status":
      if (state.tournament) state.tournament.status = data.status;
      return true;
    case "winner":
      state.winner = data.team;
      if (Array.isArray(data.standings)) state.standings = data.standings;
      return true;
    case "match.schedule": {
      const match = findMatch(state, data.group, data.match);
      if (!match) return false;
      match.status = data.status;
      match.scheduled_at = data.scheduled_at;
      return true;
    }
    case "registration.status": {
      if (!state.checkin) return true; // no check-in window in this room
      const team = state.checkin.teams.find((t) => t.id === data.team);
      if (data.status !== "confirmed") {
        state.checkin.teams = state.checkin.teams.filter((t) => t.id !== data.team);
        return true;
      }
      if (!team) return false; // a team promoted after our snapshot: fetch a fresh one
      team.checked_in = data.checked_in;
      return true;
    }
    default:
      return true; // a newer server's event: nothing of ours depends on it
  }
}

// --- the socket ------------------------------------------------------------------------------

export function roomUrl(tournamentId, since) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const query = since != null ? `?since=${encodeURIComponent(since)}` : "";
  return `${scheme}//${location.host}/ws/tournaments/${tournamentId}/${query}`;
}

// `onChange(state, what)` after every applied frame; `onConnection(status, detail)` with status
// "connecting" | "live" | "down" | "ended".
export class RoomClient {
  constructor(tournamentId, { onChange, onConnection }) {
    this.tournamentId = tournamentId;
    this.onChange = onChange;
    this.onConnection = onConnection;
    this.state = emptyState();
    this.socket = null;
    this.attempt = 0;
    this.retryTimer = null;
    this.pingTimer = null;
    this.resumeSentAt = null;
    this.lastFrameAt = 0;
    this.ended = false;
    this.live = false;
  }

  start() {
    this.onConnection("connecting");
    this.open();
    window.addEventListener("online", () => this.reconnectNow());
  }

  open() {
    clearTimeout(this.retryTimer);
    const socket = new WebSocket(roomUrl(this.tournamentId, this.state.seq));
    this.socket = socket;
    const openTimer = setTimeout(() => this.drop(socket), OPEN_TIMEOUT_MS);
    socket.onopen = () => {
      clearTimeout(openTimer);
      this.lastFrameAt = Date.now();
      this.pingTimer = setInterval(() => this.heartbeat(socket), PING_EVERY_MS);
      // A resume that missed nothing replays nothing: the pong (answered only after the server
      // accepted us and sent any replay) is what tells us we are live again.
      this.send({ type: "ping" });
    };
    socket.onmessage = (message) => this.receive(message.data);
    socket.onclose = (event) => {
      clearTimeout(openTimer);
      this.closed(socket, event.code);
    };
  }

  heartbeat(socket) {
    if (Date.now() - this.lastFrameAt > SILENCE_LIMIT_MS) return this.drop(socket);
    if (this.resumeSentAt && Date.now() - this.resumeSentAt > RESUME_PATIENCE_MS) return this.drop(socket);
    this.send({ type: "ping" });
  }

  send(frame) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  // Give up on a socket that may be half-open: forget it at once rather than wait for a close
  // handshake that may never come.
  drop(socket) {
    if (socket !== this.socket) return;
    socket.onclose = socket.onmessage = socket.onopen = null;
    try { socket.close(); } catch { /* already closing */ }
    this.closed(socket, 1006);
  }

  reconnectNow() {
    if (this.ended || (this.socket && this.socket.readyState <= WebSocket.OPEN)) return;
    this.attempt = 0;
    this.open();
  }

  // A fresh snapshot (the state no longer matches the room): reconnect without `since`.
  resync() {
    this.state.seq = null;
    if (this.socket) this.drop(this.socket);
  }

  closed(socket, code) {
    if (socket !== this.socket) return;
    clearInterval(this.pingTimer);
    this.socket = null;
    this.resumeSentAt = null;
    this.live = false;
    if (TERMINAL[code]) {
      this.ended = true;
      return this.onConnection("ended", TERMINAL[code]);
    }
    const first = code === 4429 ? RATE_LIMITED_FIRST_MS : BACKOFF_FIRST_MS;
    const ceiling = Math.min(BACKOFF_MAX_MS, first * 2 ** this.attempt);
    const delay = Math.round(ceiling * (0.5 + Math.random() / 2)); // jitter: no reconnect storm
    this.attempt += 1;
    this.onConnection("down", delay);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  receive(text) {
    this.lastFrameAt = Date.now();
    let frame;
    try { frame = JSON.parse(text); } catch { return; }
    if (!frame || typeof frame !== "object") return;
    if (frame.type === "snapshot") {
      this.state = stateFromSnapshot(frame);
      this.synced();
      this.onChange(this.state, "snapshot");
    } else if (frame.type === "event") {
      this.event(frame);
    } else if (frame.type === "presence" && typeof frame.spectators === "number") {
      this.state.spectators = frame.spectators;
      this.onChange(this.state, "presence");
    } else if (frame.type === "pong") {
      this.markLive();
    } else if (frame.type === "error") {
      console.warn("live room:", frame.code, frame.message);
    }
  }

  event(frame) {
    const last = this.state.seq;
    if (last == null || frame.seq <= last) return; // no state yet, or already applied (replay)
    if (frame.seq !== last + 1) {
      // A gap: ask for what we missed (once), and skip frames until the replay fills it.
      if (!this.resumeSentAt) {
        this.resumeSentAt = Date.now();
        this.send({ type: "resume", since: last });
      }
      return;
    }
    if (!applyEvent(this.state, frame.name, frame.data || {})) return this.resync();
    this.state.seq = frame.seq;
    this.synced();
    this.onChange(this.state, frame.name);
  }

  synced() {
    this.resumeSentAt = null;
    this.markLive();
  }

  markLive() {
    if (this.live) return;
    this.live = true;
    this.attempt = 0;
    this.onConnection("live");
  }
}
