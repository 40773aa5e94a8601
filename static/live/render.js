// Drawing the room state: DOM APIs and textContent only (every string here is someone's input;
// none of it is ever parsed as HTML). Lists are keyed so rows are moved, not recreated, which
// is what lets a rank change animate (FLIP: First, Last, Invert, Play).

import { progressionChart } from "./chart.js";
import { chipHue, chipLabels, teamsOf } from "./chips.js";

const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = String(text);
  return node;
}

export function label(value) {
  return value ? String(value).replaceAll("_", " ") : "";
}

// Only http(s) and same-origin paths are images; anything else (javascript:, data:) is dropped.
export function safeImageUrl(value) {
  if (typeof value !== "string" || !value) return null;
  try {
    const url = new URL(value, location.href);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

// Makes `container`'s children match `items`, reusing children by key.
export function reconcile(container, items, key, create, update) {
  const existing = new Map();
  for (const child of container.children) existing.set(child.dataset.key, child);
  let previous = null;
  for (const item of items) {
    const k = String(key(item));
    let node = existing.get(k);
    if (node) existing.delete(k);
    else {
      node = create(item);
      node.dataset.key = k;
    }
    update(node, item);
    const wanted = previous ? previous.nextElementSibling : container.firstElementChild;
    if (node !== wanted) container.insertBefore(node, wanted);
    previous = node;
  }
  for (const stale of existing.values()) stale.remove();
}

// Runs `mutate` (which reorders container's keyed children) and animates each moved child from
// where it was to where it is now.
export function flip(container, mutate) {
  // Positions relative to the container: the page moving around it (a banner, a wrapped
  // header) is not a rank change.
  const top = (child) => child.getBoundingClientRect().top - container.getBoundingClientRect().top;
  const before = new Map();
  for (const child of container.children) before.set(child.dataset.key, top(child));
  mutate();
  if (reducedMotion.matches || before.size === 0) return;
  const moved = [];
  for (const child of container.children) {
    const was = before.get(child.dataset.key);
    if (was === undefined) {
      moved.push([child, "rank-up"]); // climbed into a board that shows only the top rows
      continue;
    }
    const dy = was - top(child);
    if (Math.abs(dy) < 1) continue;
    child.style.transition = "none";
    child.style.transform = `translateY(${dy}px)`;
    child.classList.remove("rank-up", "rank-down");
    moved.push([child, dy > 0 ? "rank-up" : "rank-down"]);
  }
  if (moved.length === 0) return;
  void container.offsetHeight; // commit the inverted positions before playing
  for (const [child, direction] of moved) {
    child.style.transition = "";
    child.style.transform = "";
    child.classList.add(direction);
    setTimeout(() => child.classList.remove(direction), 1600);
  }
}

// Rows before the first result: the group's teams, unranked and at zero.
export function rowsOf(standings, teams) {
  if (standings && standings.length) return standings;
  return (teams || []).map((team) => ({
    rank: null, team, matches: 0, wins: 0, placement_points: 0, kill_points: 0, total: 0,
    last_placement: null, qualified: false,
  }));
}

// Chip text per team id for the room being drawn (chips.js makes them distinct).
let chips = new Map();

export function setChips(state) {
  chips = chipLabels(teamsOf(state));
}

export function teamCell(team, className = "team") {
  const cell = el("span", className);
  const src = safeImageUrl(team && team.logo);
  if (src) {
    const img = el("img", "logo");
    img.alt = "";
    img.loading = "lazy";
    img.src = src;
    cell.append(img);
  } else {
    const chip = (team && chips.get(team.id)) || (team && team.tag ? String(team.tag).slice(0, 2) : "");
    const monogram = el("span", "logo logo-empty", chip);
    if (team) {
      // Set through the CSSOM, which the pages' CSP allows (no inline style attribute).
      monogram.style.background = `hsl(${chipHue(team)} 45% 34%)`;
      monogram.style.color = "#fff";
    }
    cell.append(monogram);
  }
  cell.append(el("span", "team-name", team ? team.name : "?"));
  if (team && team.tag) cell.append(el("span", "team-tag", team.tag));
  return cell;
}

// --- the live page -----------------------------------------------------------------------------

const COLUMNS = [
  ["#", "rank"], ["Team", "team-col"], ["M", "num"], ["WWCD", "num"], ["Place", "num"],
  ["Kills", "num"], ["Total", "num total"], ["Last", "num"], ["", "q"],
];

function standingsTable(caption) {
  const table = el("table", "standings");
  if (caption) table.append(el("caption", null, caption));
  const head = el("tr");
  for (const [title, className] of COLUMNS) head.append(el("th", className, title));
  table.append(el("thead"), el("tbody"));
  table.tHead.append(head);
  return table;
}

function fillRow(tr, row) {
  tr.replaceChildren(
    el("td", "rank", row.rank ?? "–"),
    el("td", "team-col"),
    el("td", "num", row.matches),
    el("td", "num", row.wins),
    el("td", "num", row.placement_points),
    el("td", "num", row.kill_points),
    el("td", "num total", row.total),
    el("td", "num", row.last_placement ?? "–"),
    el("td", "q", row.qualified ? "Q" : ""),
  );
  tr.children[1].append(teamCell(row.team));
  tr.classList.toggle("qualified", Boolean(row.qualified));
  if (row.qualified) tr.children[8].title = "Qualified";
}

export function renderStandings(table, rows) {
  const body = table.tBodies[0];
  flip(body, () => reconcile(body, rows, (r) => r.team.id, () => el("tr"), fillRow));
}

function matchLine(li, match, teams) {
  const byId = new Map((teams || []).map((t) => [t.id, t]));
  const parts = [el("span", "match-no", `Match ${match.number}`)];
  if (match.map) parts.push(el("span", "match-map", match.map));
  parts.push(el("span", `badge status-${match.status}`, label(match.status)));
  const top = (match.results || []).find((r) => r.placement === 1);
  if (top) {
    const team = byId.get(top.team);
    parts.push(el("span", "match-top", `#1 ${team ? team.name : "team " + top.team} · ${top.kills} kills`));
  }
  li.replaceChildren(...parts);
}

function groupSection(group) {
  const section = el("section", "group");
  section.append(el("h3"), standingsTable(), el("ol", "matches"), el("div", "chart-slot"));
  return section;
}

function fillGroup(section, group) {
  section.querySelector("h3").textContent = `Group ${group.name}`;
  renderStandings(section.querySelector("table"), rowsOf(group.standings, group.teams));
  reconcile(section.querySelector("ol.matches"), group.matches || [], (m) => m.id, () => el("li", "match"),
    (li, match) => matchLine(li, match, group.teams));
  section.querySelector(".chart-slot").replaceChildren(progressionChart(group));
}

function roundSection() {
  const section = el("section", "round");
  const head = el("header", "round-head");
  head.append(el("h2"), el("span", "badge"));
  section.append(head, el("div", "round-overall"), el("div", "groups"));
  return section;
}

function fillRound(section, round) {
  section.querySelector("h2").textContent = `Round ${round.number}: ${round.name}`;
  const badge = section.querySelector(".round-head .badge");
  badge.textContent = label(round.status);
  badge.className = `badge status-${round.status}`;
  const overall = section.querySelector(".round-overall");
  const groups = round.groups || [];
  // A round of several groups also has its own table (qualification may be round-wide).
  const showOverall = groups.length > 1 && round.standings && round.standings.length;
  if (showOverall && !overall.firstElementChild) overall.append(standingsTable("Round standings"));
  if (!showOverall) overall.replaceChildren();
  else renderStandings(overall.firstElementChild, round.standings);
  reconcile(section.querySelector(".groups"), groups, (g) => g.id, groupSection, fillGroup);
}

export function renderLive(root, state) {
  const slot = (name) => root.querySelector(`[data-slot="${name}"]`);
  const t = state.tournament || {};
  setChips(state);
  slot("title").textContent = t.title || "";
  document.title = t.title ? `${t.title} · live` : "Live standings";
  slot("game").textContent = t.game ? String(t.game).toUpperCase() : "";
  slot("kind").textContent = label(t.kind);
  slot("status").textContent = label(t.status);
  slot("status").className = `status badge status-${t.status || "unknown"}`;
  slot("spectators").textContent = state.spectators ?? "–";

  const winner = slot("winner");
  winner.hidden = !state.winner;
  if (state.winner) winner.replaceChildren(el("span", "winner-label", "Winner"), teamCell(state.winner, "team winner-team"));

  renderCheckin(slot("checkin"), state.checkin, t.status);

  const rounds = slot("rounds");
  const overall = state.standings && state.standings.length && state.rounds.length > 1
    ? [{ id: "overall" }] : [];
  reconcile(rounds, [...overall, ...state.rounds], (r) => r.id, (r) => {
    if (r.id !== "overall") return roundSection();
    const section = el("section", "round overall");
    section.append(standingsTable("Overall standings"));
    return section;
  }, (section, r) => (r.id === "overall"
    ? renderStandings(section.firstElementChild, state.standings) : fillRound(section, r)));

  reconcile(slot("announcements"), state.announcements, (a) => a.id, () => el("li"), (li, a) => {
    const time = el("time", null, formatTime(a.at));
    if (a.at) time.dateTime = a.at;
    li.replaceChildren(time, el("p", null, a.message));
  });
}

// Before the start, who has checked in (the room keeps it current from registration.status).
function renderCheckin(section, checkin, status) {
  if (!section) return;
  const before = ["published", "registration_open", "registration_closed"].includes(status);
  section.hidden = !checkin || !before;
  if (section.hidden) return;
  const teams = checkin.teams || [];
  const inCount = teams.filter((t) => t.checked_in).length;
  const closes = formatTime(checkin.closes_at);
  section.querySelector("p").textContent = `${inCount} of ${teams.length} in · closes ${closes}`;
  reconcile(section.querySelector("ul"), teams, (t) => t.id, () => el("li"), (li, t) => {
    li.className = t.checked_in ? "in" : "out";
    li.textContent = `${t.checked_in ? "✓" : "·"} ${t.name}`;
  });
}

function formatTime(value) {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export function renderBanner(root, status, detail) {
  const banner = root.querySelector('[data-slot="banner"]');
  root.dataset.connection = status;
  if (status === "live") {
    banner.hidden = true;
    banner.textContent = "";
    return;
  }
  banner.hidden = false;
  if (status === "connecting") banner.textContent = "Connecting…";
  else if (status === "down") banner.textContent = `Reconnecting… (next try in ${Math.ceil(detail / 1000)} s)`;
  else banner.textContent = detail;
}
