// The two- or three-letter chips shown for teams without a logo. A team's tag when the tags of
// the room are distinct; else initials, lengthened until no two teams in the room share one
// ("Team Alpha" and "Team Apex" are TAL and TAP, not both "TA").

function words(name) {
  return String(name || "?").toUpperCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function candidates(team) {
  const parts = words(team.name);
  const letters = parts.join("");
  const first = parts[0] || "";
  const last = parts[parts.length - 1] || "";
  const out = [];
  if (team.tag) out.push(String(team.tag).toUpperCase().slice(0, 3));
  if (letters.length <= 3) out.push(letters || "?");
  if (parts.length >= 2) {
    out.push(parts.map((w) => w[0]).join("").slice(0, 2));
    if (parts.length >= 3) out.push(parts.map((w) => w[0]).join("").slice(0, 3));
    // A shared first word ("Team …"): its initial and the start of the last word tell apart.
    out.push(first[0] + last.slice(0, 2));
    for (let i = 1; i < last.length; i += 1) out.push(first[0] + last[0] + last[i]);
  }
  out.push(letters.slice(0, 2), letters.slice(0, 3));
  for (let i = 2; i < letters.length; i += 1) out.push(letters[0] + letters[1] + letters[i]);
  return [...new Set(out.filter(Boolean))];
}

// Map of team id -> chip text, unique within `teams` wherever the names allow it.
export function chipLabels(teams) {
  const list = [...new Map((teams || []).map((t) => [t.id, t])).values()];
  const options = new Map(list.map((t) => [t.id, candidates(t)]));
  const chosen = new Map();
  const taken = new Map(); // chip -> how many teams would like it first
  for (const t of list) {
    const first = options.get(t.id)[0] || "?";
    taken.set(first, (taken.get(first) || 0) + 1);
  }
  const used = new Set();
  for (const t of list) {
    const mine = options.get(t.id);
    const pick = mine.find((c) => taken.get(c) === 1 && !used.has(c))
      || mine.find((c) => !used.has(c) && ![...taken.keys()].includes(c))
      || mine.find((c) => !used.has(c));
    const label = pick || `${(mine[0] || "T").slice(0, 1)}${list.indexOf(t) + 1}`;
    used.add(label);
    chosen.set(t.id, label);
  }
  return chosen;
}

// A colour per team, from its id and name (FNV-1a): teams whose names are alike ("Team Alpha",
// "Team Alfa") still differ at a glance, and a team keeps its colour from page to page.
export function chipHue(team) {
  let hash = 2166136261;
  for (const ch of `${team.id}:${team.name || ""}`) {
    hash ^= ch.codePointAt(0);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) % 360;
}

// Every team the room's state knows of.
export function teamsOf(state) {
  return (state.rounds || []).flatMap((r) => (r.groups || []).flatMap((g) => g.teams || []));
}
