// Entry point of /live/<id>/ and /overlay/<id>/: reads the page's data attributes, opens the
// room and redraws on every change. Plain ES modules, no build step.
import { RoomClient } from "./room.js";
import { renderBanner, renderLive } from "./render.js";
import { renderOverlay } from "./overlay.js";

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
  const client = new RoomClient(positive(root.dataset.tournament), {
    // Bursts of events (a result is a match.result plus several standings) draw once per frame.
    onChange: (state) => {
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
