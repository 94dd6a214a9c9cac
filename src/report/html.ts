/**
 * `--report report.html`: the quantization report as one self-contained page. Chart.js's UMD build is
 * inlined and a Content-Security-Policy forbids every fetch, so the file opens offline and shows the
 * same thing anywhere. Text (header, summary, layer table) is rendered here; the charts are drawn in
 * the page from the report embedded as JSON.
 */
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { LayerReport, PerTensorOrChannel, QuantReport } from "./model.js";
import { formatJson } from "./json.js";

/** Histogram charts drawn at most; the JSON report keeps all of them. */
export const MAX_HISTOGRAM_CHARTS = 12;

/** Below this per-layer SQNR the table flags the layer (a common rule of thumb for int8 is ≥ 30 dB). */
const LOW_SQNR_DB = 20;

export interface RenderHtmlOptions {
  /** Chart.js UMD source to inline instead of the installed `chart.js/dist/chart.umd.js`. */
  readonly chartJsSource?: string;
}

/** Chart.js is missing or not the expected build: the page cannot be made self-contained. */
export class ReportRenderError extends Error {
  override readonly name = "ReportRenderError";
}

/** Path of the installed Chart.js UMD bundle (the build that defines `window.Chart`). */
export function chartJsUmdPath(): string {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve("chart.js");
  } catch {
    throw new ReportRenderError("the HTML report needs the chart.js package (npm install chart.js@4), which is not installed");
  }
  // `require` resolves to dist/chart.cjs; the UMD bundles sit beside it.
  for (const file of ["chart.umd.js", "chart.umd.min.js"]) {
    const path = join(dirname(entry), file);
    if (existsSync(path)) return path;
  }
  throw new ReportRenderError(`chart.js is installed (${entry}) but has no dist/chart.umd.js; the HTML report needs Chart.js 4's UMD build`);
}

/** The report as a complete HTML document. */
export function renderReportHtml(report: QuantReport, options: RenderHtmlOptions = {}): string {
  const chartJs = options.chartJsSource ?? readFileSync(chartJsUmdPath(), "utf8");
  const colors = precisionColors(report.layers);
  const histograms = report.weightHistograms.slice(0, MAX_HISTOGRAM_CHARTS);
  const view = { report: { ...report, weightHistograms: histograms }, colors };
  const title = `qopt report: ${report.model} for ${report.target} (${report.mode})`;
  const hasSqnr = report.layers.some((l) => l.sqnrDb !== undefined);

  const sections: string[] = [];
  sections.push(renderSummary(report, colors));
  if (hasSqnr) {
    sections.push(`<section>
<h2>SQNR per layer</h2>
<p class="note">Each layer's output against float, in dB: higher is better. The dashed line is the model output's SQNR; a bar marked “exact” has no error.</p>
<div class="chart chart-wide"><canvas id="sqnr-chart" aria-label="SQNR per layer"></canvas></div>
</section>`);
  }
  sections.push(`<section>
<h2>Layers</h2>
<p class="note">Click a column heading to sort.${report.layers.some((l) => l.sqnrDb !== undefined && l.sqnrDb < LOW_SQNR_DB) ? ` SQNR below ${LOW_SQNR_DB} dB is <span class="low">marked</span>.` : ""}</p>
${renderLayerTable(report.layers, colors)}
</section>`);
  if (histograms.length > 0) {
    const more = report.weightHistograms.length > histograms.length ? ` Showing the first ${histograms.length} of ${report.weightHistograms.length} weighted layers; the JSON report has all.` : "";
    sections.push(`<section>
<h2>Weights before and after quantization</h2>
<p class="note">Each layer's weights on one set of bins: <span class="key key-float"></span>float, <span class="key key-quant"></span>after quantize → dequantize.${more}</p>
<div class="histograms">
${histograms.map((h, i) => `<figure class="histogram"><figcaption>${escapeHtml(h.layer)}${layerCaption(report.layers, h.layer)}</figcaption><div class="chart chart-small"><canvas id="histogram-${i}" aria-label="weights of ${escapeHtml(h.layer)}"></canvas></div></figure>`).join("\n")}
</div>
</section>`);
  }
  if (report.pareto && report.pareto.points.length > 0) {
    const chosen = report.pareto.points[report.pareto.chosen];
    sections.push(`<section>
<h2>Precision candidates</h2>
<p class="note">Each point is a precision assignment select-precision considered; the line joins the Pareto front (nothing is both cheaper and more accurate).${chosen ? ` Chosen: <strong>${escapeHtml(chosen.label)}</strong>.` : ""}</p>
<div class="chart chart-wide"><canvas id="pareto-chart" aria-label="Pareto front"></canvas></div>
</section>`);
  }

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(report.model)}</h1>
<p class="subtitle">quantized for <strong>${escapeHtml(report.target)}</strong> · mode <strong>${escapeHtml(report.mode)}</strong> · ${report.layers.length} layer${report.layers.length === 1 ? "" : "s"}</p>
</header>
${sections.join("\n")}
<footer>Generated by qopt. Self-contained: charts by Chart.js, inlined; the page loads nothing from the network.</footer>
</main>
<script type="application/json" id="qopt-report">${scriptSafeJson(view)}</script>
<script>${scriptSafeJs(chartJs)}</script>
<script>${scriptSafeJs(PAGE_SCRIPT)}</script>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------------
// Text parts

function renderSummary(report: QuantReport, colors: Readonly<Record<string, string>>): string {
  const o = report.overall;
  const ratio = o.quantizedBytes > 0 ? o.floatBytes / o.quantizedBytes : undefined;
  const mix = new Map<string, number>();
  for (const l of report.layers) mix.set(l.precision, (mix.get(l.precision) ?? 0) + 1);
  const cards = [
    card("Output SQNR", escapeHtml(formatDb(o.sqnrDb)), "model outputs vs float"),
    ...(o.top1Agreement !== undefined ? [card("Top-1 agreement", escapeHtml(`${formatNumber(o.top1Agreement * 100, 4)} %`), "same class as float")] : []),
    card("Size", escapeHtml(`${formatBytes(o.floatBytes)} → ${formatBytes(o.quantizedBytes)}`), ratio !== undefined ? `${formatNumber(ratio, 3)}× smaller constants` : "constants"),
    card(
      "Precision mix",
      [...mix].map(([p, n]) => `<span>${pill(p, colors)}<span class="count">×${n}</span></span>`).join("") || "—",
      `${report.layers.length} layers`,
      "mix",
    ),
  ];
  return `<section class="summary">${cards.join("")}</section>`;
}

/** A summary card; `valueHtml` is markup, the rest plain text. */
function card(label: string, valueHtml: string, detail: string, className = ""): string {
  return `<div class="card"><div class="card-label">${escapeHtml(label)}</div><div class="card-value ${className}">${valueHtml}</div><div class="card-detail">${escapeHtml(detail)}</div></div>`;
}

function pill(precision: string, colors: Readonly<Record<string, string>>): string {
  return `<span class="pill" style="--c:${colors[precision] ?? "#6b7280"}">${escapeHtml(precision)}</span>`;
}

function layerCaption(layers: readonly LayerReport[], name: string): string {
  const layer = layers.find((l) => l.name === name);
  if (!layer) return "";
  const zeros = layer.sparsity !== undefined && layer.sparsity >= 0.01 ? ` · ${formatNumber(layer.sparsity * 100, 3)}% zeros` : "";
  return ` <span class="dim">${escapeHtml(`${layer.op} · ${layer.precision}${zeros}`)}</span>`;
}

interface Column {
  readonly title: string;
  readonly numeric: boolean;
  readonly className?: string;
  readonly cell: (l: LayerReport, colors: Readonly<Record<string, string>>) => { html: string; sort: string | number | undefined };
}

const COLUMNS: readonly Column[] = [
  { title: "Layer", numeric: false, cell: (l) => ({ html: `<div class="name">${escapeHtml(l.name)}</div><div class="dim loc">${escapeHtml(l.location)}</div>`, sort: l.name }) },
  { title: "Op", numeric: false, className: "op", cell: (l) => ({ html: escapeHtml(l.op), sort: l.op }) },
  { title: "Precision", numeric: false, cell: (l, colors) => ({ html: pill(l.precision, colors), sort: l.precision }) },
  {
    title: "SQNR",
    numeric: true,
    cell: (l) => ({
      html: l.sqnrDb === undefined ? "—" : `<span class="${l.sqnrDb < LOW_SQNR_DB ? "low" : ""}">${escapeHtml(formatDb(l.sqnrDb))}</span>`,
      sort: l.sqnrDb === undefined ? undefined : l.sqnrDb === Infinity ? Number.MAX_VALUE : l.sqnrDb,
    }),
  },
  { title: "MSE", numeric: true, cell: (l) => ({ html: l.mse === undefined ? "—" : escapeHtml(formatNumber(l.mse, 3)), sort: l.mse }) },
  {
    title: "Output range",
    numeric: true,
    cell: (l) => ({
      html: l.rangeMin === undefined && l.rangeMax === undefined ? "—" : `[${escapeHtml(formatNumber(l.rangeMin, 4))}, ${escapeHtml(formatNumber(l.rangeMax, 4))}]`,
      sort: l.rangeMax !== undefined && l.rangeMin !== undefined ? l.rangeMax - l.rangeMin : undefined,
    }),
  },
  {
    title: "Scale · zp",
    numeric: true,
    cell: (l) => {
      const parts: string[] = [];
      if (l.scale !== undefined || l.zeroPoint !== undefined) parts.push(`<div>out ${escapeHtml(formatNumber(l.scale, 4))} · ${escapeHtml(formatNumber(l.zeroPoint, 6))}</div>`);
      if (l.weightScale !== undefined) parts.push(`<div class="dim wparams" title="weight scale · zero point (×N: per channel)">w ${escapeHtml(formatPerChannel(l.weightScale))}${l.weightZeroPoint !== undefined ? ` · ${escapeHtml(formatPerChannel(l.weightZeroPoint))}` : ""}</div>`);
      return { html: parts.join("") || "—", sort: l.scale };
    },
  },
  { title: "Sparsity", numeric: true, cell: (l) => ({ html: l.sparsity === undefined ? "—" : `${escapeHtml(formatNumber(l.sparsity * 100, 3))} %`, sort: l.sparsity }) },
  { title: "Why", numeric: false, cell: (l) => ({ html: `<div class="reason">${escapeHtml(l.reason)}</div>`, sort: l.reason }) },
];

function renderLayerTable(layers: readonly LayerReport[], colors: Readonly<Record<string, string>>): string {
  const head = COLUMNS.map((c, i) => `<th scope="col" data-column="${i}"${c.numeric ? ' class="num"' : ""}><button type="button">${escapeHtml(c.title)}</button></th>`).join("");
  const rows = layers.map((l, index) => {
    const cells = COLUMNS.map((c) => {
      const { html, sort } = c.cell(l, colors);
      const key = sort === undefined ? "" : ` data-sort="${escapeHtml(String(sort))}"`;
      const cls = [c.numeric ? "num" : "", c.className ?? ""].filter((x) => x !== "").join(" ");
      return `<td${cls ? ` class="${cls}"` : ""}${key}>${html}</td>`;
    });
    return `<tr data-index="${index}">${cells.join("")}</tr>`;
  });
  const body = rows.length > 0 ? rows.join("\n") : `<tr class="empty"><td colspan="${COLUMNS.length}">No layers.</td></tr>`;
  return `<div class="table-wrap"><table id="layers">
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>`;
}

// ---------------------------------------------------------------------------------------------------
// Formatting

/** Colours per precision, in order of first appearance; float types (f16, f32) in amber, as islands stand out. */
function precisionColors(layers: readonly LayerReport[]): Record<string, string> {
  const palette = ["#2563eb", "#7c3aed", "#0d9488", "#db2777", "#65a30d", "#0891b2", "#9333ea", "#ca8a04"];
  const floats = ["#d97706", "#b45309", "#92400e"];
  const colors: Record<string, string> = {};
  let next = 0;
  let nextFloat = 0;
  for (const l of layers) {
    if (colors[l.precision] !== undefined) continue;
    colors[l.precision] = /^f\d+$/.test(l.precision) ? floats[nextFloat++ % floats.length]! : palette[next++ % palette.length]!;
  }
  return colors;
}

function formatDb(db: number): string {
  if (db === Infinity) return "exact";
  if (db === -Infinity) return "−∞ dB";
  return `${db.toFixed(1)} dB`;
}

/** `digits` significant digits, without trailing zeros; scientific notation for very small or large values. */
function formatNumber(n: number | undefined, digits: number): string {
  if (n === undefined) return "—";
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return "0";
  const abs = Math.abs(n);
  if (abs < 1e-3 || abs >= 1e6) return n.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, "e");
  return String(Number(n.toPrecision(digits)));
}

function formatPerChannel(v: PerTensorOrChannel): string {
  if (typeof v === "number") return formatNumber(v, 4);
  if (v.length === 0) return "—";
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return lo === hi ? `${formatNumber(lo, 3)} ×${v.length}` : `${formatNumber(lo, 2)}–${formatNumber(hi, 2)} ×${v.length}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, 3)} KiB`;
  return `${formatNumber(bytes / (1024 * 1024), 3)} MiB`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * JSON to place inside <script type="application/json">. `<`, `>` and `&` only occur inside JSON
 * strings, where \u escapes mean the same characters, so no `</script>` or `<!--` can end the element early.
 */
function scriptSafeJson(value: unknown): string {
  return formatJson(value, false).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * A script's source to inline. The HTML parser ends a script at `</script` and treats `<!--` and
 * `<script` specially (HTML spec, "script data escaped state"); in the JS string, template and regular
 * expression literals where these can occur, `\x3C` is the same `<`. The source-map comment is dropped:
 * the map is not inlined.
 */
function scriptSafeJs(source: string): string {
  return source.replace(/^\/\/# sourceMappingURL=.*$/m, "").replace(/<(?=\/script|!--|script)/gi, "\\x3C");
}

// ---------------------------------------------------------------------------------------------------
// The page: styles and the script that draws the charts and sorts the table

const STYLE = `
:root { --fg: #1f2937; --dim: #6b7280; --line: #e5e7eb; --bg: #f8fafc; --card: #ffffff; --accent: #2563eb; --low: #dc2626; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 28px 24px 40px; }
header h1 { margin: 0; font-size: 26px; font-weight: 650; letter-spacing: -0.01em; }
.subtitle { margin: 4px 0 20px; color: var(--dim); }
.subtitle strong { color: var(--fg); font-weight: 600; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin: 0 0 18px; }
section h2 { margin: 0 0 4px; font-size: 16px; font-weight: 650; }
.note { margin: 0 0 12px; color: var(--dim); font-size: 13px; }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 0; padding: 0; }
.card { padding: 16px 20px; border-right: 1px solid var(--line); }
.card:last-child { border-right: none; }
.card-label { color: var(--dim); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.card-value { font-size: 22px; font-weight: 650; margin: 4px 0 2px; font-variant-numeric: tabular-nums; }
.card-value.mix { font-size: 14px; font-weight: 600; display: flex; flex-wrap: wrap; gap: 6px 10px; margin: 8px 0 6px; }
.mix .count { color: var(--dim); font-weight: 500; margin-left: 3px; }
.card-detail { color: var(--dim); font-size: 12px; }
.chart { position: relative; }
.chart-wide { height: 300px; }
.chart-small { height: 170px; }
.histograms { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 14px; }
.histogram { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px 8px; }
.histogram figcaption { font-weight: 600; margin-bottom: 4px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 7px 9px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { position: sticky; top: 0; background: var(--card); font-size: 12px; color: var(--dim); text-transform: uppercase; letter-spacing: 0.03em; white-space: nowrap; }
th button { all: unset; cursor: pointer; }
th button:hover, th button:focus-visible { color: var(--fg); text-decoration: underline; }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
td.num, th.num { text-align: right; white-space: nowrap; }
tbody tr:hover { background: #f1f5f9; }
.name { font-weight: 600; }
.loc { font-size: 12px; white-space: nowrap; }
.dim { color: var(--dim); font-weight: normal; }
.reason { white-space: pre-line; min-width: 220px; color: #374151; }
.wparams { font-size: 12px; }
td.op { white-space: nowrap; }
.low { color: var(--low); font-weight: 600; }
.key { display: inline-block; width: 14px; height: 10px; margin: 0 5px 0 2px; vertical-align: baseline; }
.key-float { background: rgba(100,116,139,0.45); }
.key-quant { height: 0; border-top: 2px solid #ea580c; vertical-align: middle; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; color: var(--c); background: color-mix(in srgb, var(--c) 12%, white); border: 1px solid color-mix(in srgb, var(--c) 35%, white); white-space: nowrap; }
footer { color: var(--dim); font-size: 12px; text-align: center; margin-top: 8px; }
`;

const PAGE_SCRIPT = `
"use strict";
(function () {
  var view = JSON.parse(document.getElementById("qopt-report").textContent);
  var report = view.report;
  var colors = view.colors;
  var dim = "#6b7280";
  var grid = "#eef0f3";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#374151";
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function fmt(n, digits) {
    if (n === Infinity) return "exact";
    if (n === 0) return "0";
    var a = Math.abs(n);
    if (a < 1e-3 || a >= 1e6) return n.toExponential(digits - 1);
    return String(Number(n.toPrecision(digits)));
  }
  function alpha(hex, a) {
    var v = parseInt(hex.slice(1), 16);
    return "rgba(" + (v >> 16) + "," + ((v >> 8) & 255) + "," + (v & 255) + "," + a + ")";
  }

  // SQNR per layer: one dataset per precision (so the legend explains the colours), not grouped, so
  // each layer has one bar. Exact layers (Infinity) are drawn a little above the highest finite bar.
  var sqnrCanvas = document.getElementById("sqnr-chart");
  if (sqnrCanvas) {
    var finite = report.layers.map(function (l) { return l.sqnrDb; }).filter(function (v) { return typeof v === "number" && isFinite(v); });
    finite.push(report.overall.sqnrDb);
    var top = Math.max.apply(null, finite.filter(isFinite).concat([0]));
    var exactAt = Math.ceil((top * 1.12) / 5) * 5 || 10;
    var precisions = [];
    report.layers.forEach(function (l) { if (precisions.indexOf(l.precision) < 0) precisions.push(l.precision); });
    var datasets = precisions.map(function (p) {
      return {
        type: "bar",
        label: p,
        grouped: false,
        backgroundColor: alpha(colors[p], 0.75),
        borderColor: colors[p],
        borderWidth: 1,
        borderRadius: 3,
        data: report.layers.map(function (l) {
          if (l.precision !== p || typeof l.sqnrDb !== "number") return null;
          return l.sqnrDb === Infinity ? exactAt : l.sqnrDb;
        }),
      };
    });
    if (isFinite(report.overall.sqnrDb)) {
      datasets.push({
        type: "line",
        label: "model output " + report.overall.sqnrDb.toFixed(1) + " dB",
        data: report.layers.map(function () { return report.overall.sqnrDb; }),
        borderColor: "#111827",
        borderDash: [6, 4],
        borderWidth: 1.5,
        pointRadius: 0,
        fill: false,
      });
    }
    new Chart(sqnrCanvas, {
      data: { labels: report.layers.map(function (l) { return l.name; }), datasets: datasets },
      options: {
        scales: {
          x: { grid: { display: false } },
          y: { beginAtZero: true, suggestedMax: exactAt + 4, title: { display: true, text: "SQNR (dB)" }, grid: { color: grid } },
        },
        plugins: {
          legend: { position: "top", align: "end", labels: { boxWidth: 12, boxHeight: 12 } },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                if (ctx.dataset.type === "line") return ctx.dataset.label;
                var layer = report.layers[ctx.dataIndex];
                return layer.precision + ": " + (layer.sqnrDb === Infinity ? "exact (no error)" : layer.sqnrDb.toFixed(2) + " dB");
              },
            },
          },
        },
      },
      plugins: [{
        id: "exactLabels",
        afterDatasetsDraw: function (chart) {
          var c = chart.ctx;
          c.save();
          c.font = "600 11px " + Chart.defaults.font.family;
          c.fillStyle = dim;
          c.textAlign = "center";
          chart.data.datasets.forEach(function (ds, di) {
            if (ds.type !== "bar") return;
            chart.getDatasetMeta(di).data.forEach(function (bar, i) {
              if (ds.data[i] === null || report.layers[i].sqnrDb !== Infinity) return;
              c.fillText("exact", bar.x, bar.y - 4);
            });
          });
          c.restore();
        },
      }],
    });
  }

  // Weight histograms: float and quantized counts on the same bins, overlaid.
  report.weightHistograms.forEach(function (h, i) {
    var canvas = document.getElementById("histogram-" + i);
    if (!canvas) return;
    var labels = [];
    for (var b = 0; b + 1 < h.edges.length; b++) labels.push((h.edges[b] + h.edges[b + 1]) / 2);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: labels,
        datasets: [
          { label: "float", data: h.floatCounts, backgroundColor: "rgba(100,116,139,0.45)", borderWidth: 0, grouped: false, barPercentage: 1, categoryPercentage: 1, order: 2 },
          { type: "line", label: "quantized", data: h.quantizedCounts, borderColor: "#ea580c", backgroundColor: "#ea580c", borderWidth: 1.5, stepped: "middle", pointRadius: 0, fill: false, order: 1 },
        ],
      },
      options: {
        scales: {
          x: { grid: { display: false }, ticks: { maxTicksLimit: 5, maxRotation: 0, callback: function (v) { return fmt(labels[v], 2); } } },
          y: { beginAtZero: true, grid: { color: grid }, ticks: { maxTicksLimit: 4 } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (items) { var b = items[0].dataIndex; return "[" + fmt(h.edges[b], 3) + ", " + fmt(h.edges[b + 1], 3) + ")"; },
            },
          },
        },
      },
    });
  });

  // Pareto front: every candidate, the non-dominated ones joined by a line, the chosen one highlighted.
  var paretoCanvas = document.getElementById("pareto-chart");
  if (paretoCanvas && report.pareto) {
    var pts = report.pareto.points;
    var chosen = report.pareto.chosen;
    var front = pts.filter(function (p) {
      return !pts.some(function (q) { return q !== p && q.cost <= p.cost && q.error <= p.error && (q.cost < p.cost || q.error < p.error); });
    }).sort(function (a, b) { return a.cost - b.cost; });
    var asXY = function (p) { return { x: p.cost, y: p.error, label: p.label }; };
    var chosenPoint = pts[chosen];
    var sets = [
      { type: "line", label: "Pareto front", data: front.map(asXY), borderColor: "#94a3b8", borderWidth: 1.5, pointRadius: 0, stepped: false, order: 3 },
      { type: "scatter", label: "candidates", data: pts.filter(function (p, i) { return i !== chosen; }).map(asXY), backgroundColor: "rgba(37,99,235,0.55)", borderColor: "#2563eb", pointRadius: 5, pointHoverRadius: 7, order: 2 },
    ];
    if (chosenPoint) {
      sets.push({ type: "scatter", label: "chosen: " + chosenPoint.label, data: [asXY(chosenPoint)], backgroundColor: "#dc2626", borderColor: "#7f1d1d", borderWidth: 1.5, pointStyle: "rectRot", pointRadius: 10, pointHoverRadius: 12, order: 1 });
    }
    new Chart(paretoCanvas, {
      data: { datasets: sets },
      options: {
        scales: {
          x: { type: "linear", title: { display: true, text: report.pareto.costLabel || "cost" }, grid: { color: grid } },
          y: { type: "linear", title: { display: true, text: report.pareto.errorLabel || "error" }, grid: { color: grid } },
        },
        plugins: {
          legend: { position: "top", align: "end", labels: { usePointStyle: true, boxHeight: 8 } },
          tooltip: { callbacks: { label: function (ctx) { var p = ctx.raw; return p.label + ": cost " + fmt(p.x, 4) + ", error " + fmt(p.y, 4); } } },
        },
      },
      plugins: [{
        id: "chosenLabel",
        afterDatasetsDraw: function (chart) {
          if (!chosenPoint) return;
          var meta = chart.getDatasetMeta(chart.data.datasets.length - 1);
          var el = meta.data[0];
          if (!el) return;
          var c = chart.ctx;
          c.save();
          c.font = "600 12px " + Chart.defaults.font.family;
          c.fillStyle = "#7f1d1d";
          c.textAlign = el.x > chart.chartArea.right - 160 ? "right" : "left";
          c.fillText(chosenPoint.label, el.x + (c.textAlign === "right" ? -14 : 14), el.y - 10);
          c.restore();
        },
      }],
    });
  }

  // Sortable layer table: click a heading; again to reverse. Rows without a value sort last.
  var table = document.getElementById("layers");
  if (table) {
    var tbody = table.tBodies[0];
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.querySelector("button").addEventListener("click", function () {
        var col = Number(th.dataset.column);
        var numeric = th.classList.contains("num");
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(tbody.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].dataset.sort, y = b.cells[col].dataset.sort;
          if (x === undefined || y === undefined) return (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0);
          var r = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          return r * dir || Number(a.dataset.index) - Number(b.dataset.index);
        });
        rows.forEach(function (r) { tbody.appendChild(r); });
      });
    });
  }
})();
`;
