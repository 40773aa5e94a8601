// The top-fraggers panel: per-player kills, which only REST serves (GET …/top-fraggers/); read
// again after each final result. Hidden while no host has submitted per-player kills.
import { el } from "./render.js";

export async function loadFraggers(tournamentId) {
  try {
    const response = await fetch(`/api/tournaments/${tournamentId}/top-fraggers/`, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    return response.ok ? await response.json() : [];
  } catch {
    return [];
  }
}

export function renderFraggers(section, rows) {
  section.hidden = !rows.length;
  const list = section.querySelector("ol");
  list.replaceChildren(
    ...rows.map((row) => {
      const li = el("li", "fragger");
      const who = row.player.in_game_name || row.player.display_name || `player ${row.player.id}`;
      li.append(el("span", "fragger-name", who), el("span", "team-tag", row.team.name),
        el("span", "fragger-kills", `${row.kills} kills`));
      return li;
    }),
  );
}
