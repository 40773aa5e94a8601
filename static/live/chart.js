// Points progression of a group: each leading team's running total after every match that has
// a result, drawn as an SVG line chart (no chart library). Built from the snapshot's matches and
// their results, which match.result events keep current.

const SVG = "http://www.w3.org/2000/svg";
const COLORS = ["#ffb020", "#4cc9f0", "#f72585", "#2ec27e", "#b388ff", "#ff7043"];
const W = 560, H = 220, PAD = { left: 36, right: 12, top: 12, bottom: 26 };

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text != null) node.textContent = String(text);
  return node;
}

// [{team, points: [running total after match 1, 2, …]}] for the top `count` of `standings`.
export function progression(group, count = 5) {
  const played = (group.matches || [])
    .filter((m) => m.status !== "cancelled" && (m.results || []).length)
    .sort((a, b) => a.number - b.number);
  const top = (group.standings || []).filter((r) => r.matches > 0).slice(0, count);
  return {
    matches: played.map((m) => m.number),
    series: top.map((row) => {
      let sum = 0;
      const points = played.map((m) => {
        const line = m.results.find((r) => r.team === row.team.id);
        sum += line ? line.total : 0;
        return sum;
      });
      return { team: row.team, points };
    }),
  };
}

export function progressionChart(group, count = 5) {
  const { matches, series } = progression(group, count);
  const figure = document.createElement("figure");
  figure.className = "chart";
  if (matches.length === 0 || series.length === 0) {
    figure.hidden = true;
    return figure;
  }
  const max = Math.max(1, ...series.flatMap((s) => s.points));
  const x = (i) => PAD.left + (matches.length === 1 ? 0.5 : i / (matches.length - 1)) * (W - PAD.left - PAD.right);
  const y = (v) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img" });
  chart.append(svg("title", {}, `Points after each match, top ${series.length} teams`));
  for (const tick of [0, Math.round(max / 2), max]) {
    chart.append(svg("line", { x1: PAD.left, x2: W - PAD.right, y1: y(tick), y2: y(tick), class: "grid" }));
    chart.append(svg("text", { x: PAD.left - 6, y: y(tick) + 4, "text-anchor": "end", class: "axis" }, tick));
  }
  matches.forEach((number, i) => {
    chart.append(svg("text", { x: x(i), y: H - 8, "text-anchor": "middle", class: "axis" }, `M${number}`));
  });
  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length];
    const d = s.points.map((v, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    chart.append(svg("path", { d, fill: "none", stroke: color, "stroke-width": 2.5 }));
    s.points.forEach((v, i) => chart.append(svg("circle", { cx: x(i), cy: y(v), r: 3, fill: color })));
  });
  const legend = document.createElement("figcaption");
  legend.className = "chart-legend";
  series.forEach((s, k) => {
    const item = document.createElement("span");
    item.className = "chart-key";
    item.style.setProperty("--key", COLORS[k % COLORS.length]);
    item.textContent = `${s.team.name} ${s.points[s.points.length - 1]}`;
    legend.append(item);
  });
  figure.append(chart, legend);
  return figure;
}
