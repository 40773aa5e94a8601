// The stream overlay: one standings board, chosen by ?round= / ?group= (else the live round).
import { el, flip, reconcile, rowsOf, setChips, teamCell } from "./render.js";

// Which standings the board shows, and what to call them.
export function pickBoard(state, { roundId, groupId }) {
  const rounds = state.rounds || [];
  if (groupId) {
    for (const round of rounds) {
      const group = (round.groups || []).find((g) => g.id === groupId);
      if (group) return { title: `${round.name} · Group ${group.name}`, rows: rowsOf(group.standings, group.teams) };
    }
    return { title: "Group not found", rows: [] };
  }
  const round = roundId
    ? rounds.find((r) => r.id === roundId)
    : rounds.find((r) => r.status === "live") || [...rounds].reverse().find((r) => r.status === "completed") || rounds[0];
  if (!round) return { title: roundId ? "Round not found" : "", rows: [] };
  const groups = round.groups || [];
  if (round.standings && round.standings.length) return { title: round.name, rows: round.standings };
  if (groups.length === 1) return { title: round.name, rows: rowsOf(groups[0].standings, groups[0].teams) };
  return { title: round.name, rows: [] };
}

function fillRow(li, row) {
  li.replaceChildren(
    el("span", "rank", row.rank ?? "–"),
    teamCell(row.team),
    el("span", "num", row.matches),
    el("span", "num", row.wins),
    el("span", "num", row.placement_points),
    el("span", "num", row.kill_points),
    el("span", "num total", row.total),
  );
  li.classList.toggle("qualified", Boolean(row.qualified));
}

export function renderOverlay(root, state, options) {
  setChips(state);
  const board = pickBoard(state, options);
  root.querySelector('[data-slot="title"]').textContent = (state.tournament && state.tournament.title) || "";
  root.querySelector('[data-slot="scope"]').textContent = board.title;
  const list = root.querySelector('[data-slot="board"]');
  const rows = board.rows.slice(0, options.rows);
  flip(list, () => reconcile(list, rows, (r) => r.team.id, () => el("li", "row"), fillRow));
}
