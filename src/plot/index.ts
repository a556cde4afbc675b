/**
 * Figures: Vega-Lite specs (histogram + KDE, scatter + regression, box by group, correlation
 * matrix), rendering to SVG and PNG, label colours (`label2rgb`) and overlays.
 *
 * @packageDocumentation
 */
export { compositeRgba, DEFAULT_CHANNEL_COLOURS } from './composite.js';
export type { CompositeOptions, Rgb, RgbaImage } from './composite.js';
export { drawOutlines, labelColour } from './overlay.js';
export type { OutlineOptions } from './overlay.js';
export { LABEL2RGB_DEFAULT_COLORS } from './label-colours.js';
export type { ColourSpec, UnitRgb } from './label-colours.js';
export { label2rgb } from './label2rgb.js';
export type { Label2RgbOptions, RgbFloatImage } from './label2rgb.js';
export { label2rgba } from './label2rgba.js';
export { overlayGrid } from './overlay-grid.js';
export type { OverlayGridOptions } from './overlay-grid.js';
export { PLOT_CONFIG, PLOT_FONT, PLOT_PALETTE } from './theme.js';
export type { PlotSize, PlotTitle } from './theme.js';
export { histogramKdeSpec } from './histogram-kde-spec.js';
export type { DensityCurve, HistogramGroup, HistogramKdeOptions } from './histogram-kde-spec.js';
export { distributionSpec } from './distribution-spec.js';
export type { DistributionOptions } from './distribution-spec.js';
export { scatterRegressionSpec } from './scatter-regression-spec.js';
export type {
  ConfidenceBand,
  RegressionLine,
  ScatterRegressionOptions,
  ScatterSeries,
} from './scatter-regression-spec.js';
export { boxByGroupSpec } from './box-by-group-spec.js';
export type { BoxByGroupOptions, BoxGroup } from './box-by-group-spec.js';
export { correlationMatrixSpec } from './correlation-matrix-spec.js';
export type { CorrelationMatrixOptions } from './correlation-matrix-spec.js';
export { rasterizeSvg, renderSpec } from './render-spec.js';
export type { RenderSpecOptions } from './render-spec.js';
export { specToSvg } from './spec-to-svg.js';
export type { SpecToSvgOptions } from './spec-to-svg.js';
