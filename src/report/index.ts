/** The quantization report: its data, the measures it shows, and its HTML and JSON renderings. */
export { buildWeightHistogram, type QuantReport, type LayerReport, type OverallMetrics, type WeightHistogram, type HistogramData, type ParetoFront, type ParetoPoint, type PerTensorOrChannel } from "./model.js";
export { sqnrDb, meanSquaredError, zeroFraction } from "./metrics.js";
export { renderReportHtml, chartJsUmdPath, ReportRenderError, MAX_HISTOGRAM_CHARTS, type RenderHtmlOptions } from "./html.js";
export { renderReportJson, formatJson } from "./json.js";
