// Entry point of /live/<id>/ and /overlay/<id>/: reads the page's data attributes, opens the
// room and redraws on every change. Plain ES modules, no build step.
import { loadFraggers, renderFraggers } from "./fraggers.js";
import { RoomClient } from "./room.js";
import { renderBanner, renderLive } from "./render.js";
import { renderOverlay } from "./overlay.js";

const FRAGGERS_AFTER_MS = 800; // a result is several frames: read the panel once they landed

function positive(value) {
  const number = Number.parseInt(value || "", 10);
  return Number.isInteger(number) && number > 0 ? number : null;
}

export function start(root) {
  const overlay = root.dataset.mode === "overlay";
  const options = {
    roundId: positive(root.dataset.round),
    groupId: positive(root.dataset.group),
    rows: positive(root.dataset.rows) || 16,
  };
  if (overlay) root.style.setProperty("--rows", String(options.rows));
  let frame = 0;
  const tournamentId = positive(root.dataset.tournament);
  const fraggers = root.querySelector('[data-slot="fraggers"]');
  let fraggersTimer = 0;
  const refreshFraggers = () => {
    clearTimeout(fraggersTimer);
    fraggersTimer = setTimeout(async () => renderFraggers(fraggers, await loadFraggers(tournamentId)),
      FRAGGERS_AFTER_MS);
  };
  const client = new RoomClient(tournamentId, {
    // Bursts of events (a result is a match.result plus several standings) draw once per frame.
    onChange: (state, what) => {
      if (fraggers && (what === "snapshot" || what === "match.result")) refreshFraggers();
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (overlay) renderOverlay(root, state, options);
        else renderLive(root, state);
      });
    },
    onConnection: (status, detail) => renderBanner(root, status, detail),
  });
  client.start();
  return client;
}

const root = document.getElementById("live");
if (root) start(root);
