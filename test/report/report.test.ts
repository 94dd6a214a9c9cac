/**
 * The quantization report: histogram and metric helpers, the JSON form, and the HTML page loaded in
 * headless Chromium (the Debian package, driven by playwright-core): it renders without console
 * errors or network requests, has one table row per layer and every chart, and a screenshot goes to
 * test/artifacts/report.png.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildWeightHistogram, type LayerReport, type QuantReport, type WeightHistogram } from "../../src/report/model.js";
import { meanSquaredError, sqnrDb, zeroFraction } from "../../src/report/metrics.js";
import { renderReportJson } from "../../src/report/json.js";
import { MAX_HISTOGRAM_CHARTS, renderReportHtml } from "../../src/report/html.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), "..", "artifacts");

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Normal(0, sigma) samples by Box–Muller. */
function normal(n: number, sigma: number, next: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = sigma * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return out;
}

/** TFLite int8 weights: symmetric, narrow range [-127, 127], per output channel (axis 0); returns the dequantized round trip. */
function int8RoundTrip(w: Float32Array, channels: number): { dequantized: Float32Array; scales: number[] } {
  const per = w.length / channels;
  const dequantized = new Float32Array(w.length);
  const scales: number[] = [];
  for (let c = 0; c < channels; c++) {
    let max = 0;
    for (let i = c * per; i < (c + 1) * per; i++) max = Math.max(max, Math.abs(w[i]!));
    const scale = max > 0 ? max / 127 : 1;
    scales.push(scale);
    for (let i = c * per; i < (c + 1) * per; i++) dequantized[i] = Math.max(-127, Math.min(127, Math.round(w[i]! / scale))) * scale;
  }
  return { dequantized, scales };
}

/** Keep the 2 largest of every 4 consecutive weights (2:4 structured sparsity). */
function prune2of4(w: Float32Array): Float32Array {
  const out = Float32Array.from(w);
  for (let i = 0; i + 4 <= out.length; i += 4) {
    const order = [0, 1, 2, 3].sort((a, b) => Math.abs(out[i + a]!) - Math.abs(out[i + b]!));
    out[i + order[0]!] = 0;
    out[i + order[1]!] = 0;
  }
  return out;
}

interface SampleLayer {
  name: string;
  op: string;
  precision: string;
  sqnrDb: number;
  range: [number, number];
  scale: number;
  zeroPoint: number;
  reason: string;
  weights?: { shape: number[]; sigma: number; sparse?: boolean };
}

/** A small CNN quantized for an NPU with a 16x8 mode, 2:4 sparse kernels and an f16 fallback. */
function sampleReport(): QuantReport {
  const next = rng(2024);
  const spec: SampleLayer[] = [
    { name: "conv1", op: "conv2d", precision: "i8/i8", sqnrDb: 38.4, range: [0, 6], scale: 6 / 255, zeroPoint: -128, reason: "fused conv2d+bias+relu6\ni8/i8: cheapest candidate within the error budget", weights: { shape: [16, 3, 3, 3], sigma: 0.25 } },
    { name: "dw1", op: "depthwise_conv2d", precision: "i8/i8", sqnrDb: 33.1, range: [0, 6], scale: 6 / 255, zeroPoint: -128, reason: "fused depthwise_conv2d+bias+relu6; i8/i8 is the only depthwise kernel on acme-npu", weights: { shape: [1, 3, 3, 16], sigma: 0.4 } },
    { name: "pw1", op: "conv2d", precision: "i8/i8", sqnrDb: 29.7, range: [-3.2, 4.1], scale: 7.3 / 255, zeroPoint: -16, reason: "1x1 conv2d pruned to 2:4 (50% zeros): the sparse kernel pays from 50%", weights: { shape: [32, 1, 1, 16], sigma: 0.2, sparse: true } },
    { name: "conv2", op: "conv2d", precision: "i16/i8", sqnrDb: 31.0, range: [-11.8, 14.2], scale: 26 / 65535, zeroPoint: -2, reason: "i8/i8 reached only 17.6 dB here (activation outliers up to 14.2); i16/i8 reaches 31.0 dB for +6% cycles", weights: { shape: [32, 3, 3, 32], sigma: 0.08 } },
    { name: "pool", op: "max_pool2d", precision: "i16", sqnrDb: Infinity, range: [-11.8, 14.2], scale: 26 / 65535, zeroPoint: -2, reason: "same scale as its input (SameOperandsAndResultScale): max pooling is exact" },
    { name: "fc1", op: "fully_connected", precision: "i8/i8", sqnrDb: 26.3, range: [-8.5, 9.9], scale: 18.4 / 255, zeroPoint: -10, reason: "fused fully_connected+bias; i16/i8 would gain 3.1 dB for +41% cycles, outside the budget", weights: { shape: [64, 512], sigma: 0.05 } },
    { name: "fc2", op: "fully_connected", precision: "i8/i8", sqnrDb: 18.9, range: [-14.0, 21.5], scale: 35.5 / 255, zeroPoint: -27, reason: "fused fully_connected+bias; low SQNR but the model's top-1 stays within budget", weights: { shape: [10, 64], sigma: 0.15 } },
    { name: "probs", op: "softmax", precision: "f16", sqnrDb: 52.8, range: [0, 1], scale: 1 / 256, zeroPoint: -128, reason: 'float island: target "acme-npu" does not run softmax; stays in f16 between dcast and qcast' },
  ];
  const layers: LayerReport[] = [];
  const weightHistograms: WeightHistogram[] = [];
  let floatBytes = 0;
  let quantizedBytes = 0;
  for (const s of spec) {
    let extra: Partial<LayerReport> = {};
    if (s.weights) {
      const n = s.weights.shape.reduce((a, b) => a * b, 1);
      let w = normal(n, s.weights.sigma, next);
      if (s.weights.sparse) w = prune2of4(w);
      const perChannel = s.op !== "fully_connected";
      const { dequantized, scales } = int8RoundTrip(w, perChannel ? s.weights.shape[0]! : 1);
      weightHistograms.push({ layer: s.name, ...buildWeightHistogram(w, dequantized) });
      floatBytes += n * 4;
      quantizedBytes += n;
      extra = { weightScale: perChannel ? scales : scales[0]!, weightZeroPoint: 0, sparsity: zeroFraction(w) };
    }
    const signalPower = ((s.range[1] - s.range[0]) / 4) ** 2;
    layers.push({
      name: s.name,
      op: s.op,
      location: `digits-cnn.onnx:${s.name}`,
      precision: s.precision,
      sqnrDb: s.sqnrDb,
      mse: s.sqnrDb === Infinity ? 0 : signalPower / 10 ** (s.sqnrDb / 10),
      rangeMin: s.range[0],
      rangeMax: s.range[1],
      scale: s.scale,
      zeroPoint: s.zeroPoint,
      ...extra,
      reason: s.reason,
    });
  }
  return {
    model: "digits-cnn.onnx",
    target: "acme-npu",
    mode: "mixed",
    overall: { sqnrDb: 27.6, top1Agreement: 0.994, floatBytes, quantizedBytes },
    layers,
    weightHistograms,
    pareto: {
      costLabel: "cycles (thousands)",
      errorLabel: "top-1 disagreement (%)",
      chosen: 3,
      points: [
        { cost: 41.2, error: 2.9, label: "all i8" },
        { cost: 41.9, error: 2.6, label: "fc2 i16" },
        { cost: 43.0, error: 1.4, label: "conv2 i16" },
        { cost: 43.7, error: 0.6, label: "conv2 i16, pw1 2:4 sparse" },
        { cost: 47.5, error: 0.5, label: "conv2, fc1 i16" },
        { cost: 52.8, error: 0.3, label: "all i16" },
        { cost: 49.0, error: 1.1, label: "conv1, fc1 i16" },
        { cost: 45.1, error: 2.2, label: "dw1 i16 (f16 fallback)" },
      ],
    },
  };
}

describe("report helpers", () => {
  it("bins float and dequantized weights on shared edges", () => {
    const w = normal(1000, 0.1, rng(1));
    const { dequantized } = int8RoundTrip(w, 1);
    const h = buildWeightHistogram(w, dequantized, 32);
    expect(h.edges).toHaveLength(33);
    expect(h.floatCounts).toHaveLength(32);
    expect(h.floatCounts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(h.quantizedCounts.reduce((a, b) => a + b, 0)).toBe(1000);
    for (let i = 1; i < h.edges.length; i++) expect(h.edges[i]!).toBeGreaterThan(h.edges[i - 1]!);
    expect(h.edges[0]).toBe(Math.min(...w, ...dequantized));
    expect(h.edges[32]).toBe(Math.max(...w, ...dequantized));
  });

  it("handles constant and non-finite weights, and rejects bad input", () => {
    const h = buildWeightHistogram(new Float32Array([0, 0, NaN]), new Float32Array([0, 0, 0]), 4);
    expect(h.floatCounts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(h.edges[0]).toBeLessThan(0);
    expect(h.edges[4]).toBeGreaterThan(0);
    expect(() => buildWeightHistogram(new Float32Array(2), new Float32Array(3))).toThrow(/2 values but dequantized has 3/);
    expect(() => buildWeightHistogram(new Float32Array(2), new Float32Array(2), 0)).toThrow(/positive integer/);
  });

  it("measures SQNR, MSE and sparsity", () => {
    const ref = Float32Array.from([1, -2, 3, 0]);
    expect(sqnrDb(ref, ref)).toBe(Infinity);
    expect(sqnrDb(ref, Float32Array.from([1.1, -2, 3, 0]))).toBeCloseTo(10 * Math.log10(14 / 0.01), 3);
    expect(meanSquaredError(ref, Float32Array.from([1, -2, 3, 2]))).toBe(1);
    expect(zeroFraction(ref)).toBe(0.25);
  });
});

describe("renderReportJson", () => {
  it("round-trips through JSON.parse, exact layers included", () => {
    const report = sampleReport();
    const text = renderReportJson(report);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('"sqnrDb": 1e999');
    expect(JSON.parse(text)).toEqual(report);
  });
});

describe("renderReportHtml", () => {
  it("is self-contained: Chart.js inlined, no external URLs, fetches forbidden by CSP", () => {
    const html = renderReportHtml(sampleReport());
    expect(html).toContain("Chart.js v4");
    expect(html).not.toMatch(/\b(?:src|href|action|poster|srcset)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toContain("sourceMappingURL");
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    // Only the three scripts the page has end with </script>: the data, Chart.js, the page's own.
    expect(html.match(/<\/script/gi)).toHaveLength(3);
  });

  it("keeps hostile names and reasons as text", () => {
    const report = sampleReport();
    const hostile: QuantReport = {
      ...report,
      model: "<b>m</b>.onnx",
      layers: report.layers.map((l, i) => (i === 0 ? { ...l, name: "</script><script>alert(1)</script>", reason: "<!-- <script> & \u2028" } : l)),
    };
    const html = renderReportHtml(hostile);
    expect(html.match(/<\/script/gi)).toHaveLength(3);
    expect(html).not.toContain("<b>m</b>");
    expect(html).toContain("&lt;b&gt;m&lt;/b&gt;.onnx");
  });
});

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.log(`report browser tests skipped: ${CHROMIUM} is missing (Debian: apt-get install chromium; .ci/run installs it)`);

describe.skipIf(!haveChromium)("the HTML report in headless Chromium", () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Opens an HTML file and records console errors, page errors and every request that is not the file itself. */
  async function open(file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    const requests: string[] = [];
    const url = pathToFileURL(file).href;
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") errors.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    page.on("request", (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: "load" });
    return { page, errors, requests };
  }

  it("renders the table, every chart and a screenshot, with no errors and no requests", async () => {
    const report = sampleReport();
    const file = join(ARTIFACTS, "report.html");
    writeFileSync(file, renderReportHtml(report));
    const { page, errors, requests } = await open(file);
    try {
      expect(await page.locator("#layers tbody tr").count()).toBe(report.layers.length);
      expect(await page.locator("#layers tbody tr").first().locator("td").first().textContent()).toContain("conv1");

      const expectedCanvases = 1 + Math.min(report.weightHistograms.length, MAX_HISTOGRAM_CHARTS) + 1;
      const canvases = await page.locator("canvas").evaluateAll((els) =>
        els.map((el) => {
          const c = el as HTMLCanvasElement;
          const r = c.getBoundingClientRect();
          // Something was drawn: some pixel is not transparent.
          const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
          let painted = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
          return { id: c.id, width: r.width, height: r.height, painted };
        }),
      );
      expect(canvases).toHaveLength(expectedCanvases);
      for (const c of canvases) {
        expect(c.width, c.id).toBeGreaterThan(100);
        expect(c.height, c.id).toBeGreaterThan(100);
        expect(c.painted, c.id).toBeGreaterThan(500);
      }
      expect(await page.evaluate(() => Object.keys((window as unknown as { Chart: { instances: object } }).Chart.instances).length)).toBe(expectedCanvases);

      await page.screenshot({ path: join(ARTIFACTS, "report.png"), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("sorts the table by a column", async () => {
    const report = sampleReport();
    const file = join(ARTIFACTS, "report-sort.html");
    writeFileSync(file, renderReportHtml(report));
    const { page, errors } = await open(file);
    try {
      const names = (): Promise<string[]> => page.locator("#layers tbody tr .name").allTextContents();
      await page.getByRole("button", { name: "SQNR" }).click();
      expect((await names())[0]).toBe("fc2");
      expect((await names()).at(-1)).toBe("pool");
      await page.getByRole("button", { name: "SQNR" }).click();
      expect((await names())[0]).toBe("pool");
      await page.getByRole("button", { name: "Layer" }).click();
      expect(await names()).toEqual([...report.layers.map((l) => l.name)].sort());
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("shows hostile text literally and runs none of it; works without histograms or Pareto data", async () => {
    const base = sampleReport();
    const { pareto: _pareto, ...rest } = base;
    const report: QuantReport = {
      ...rest,
      weightHistograms: [],
      layers: base.layers.map((l, i) => (i === 0 ? { ...l, name: "</script><script>window.pwned=1</script>", reason: "<img src=x onerror=\"window.pwned=2\"> <!-- \u2028" } : l)),
    };
    const file = join(ARTIFACTS, "report-hostile.html");
    writeFileSync(file, renderReportHtml(report));
    const { page, errors, requests } = await open(file);
    try {
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(await page.locator("#layers tbody tr .name").first().textContent()).toBe("</script><script>window.pwned=1</script>");
      expect(await page.locator("#layers tbody tr .reason").first().textContent()).toContain('<img src=x onerror="window.pwned=2">');
      expect(await page.locator("canvas").count()).toBe(1);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
