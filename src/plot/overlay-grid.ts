import { InvalidArgumentError } from '../errors.js';
import { rescaleToUint8 } from '../image/normalize.js';
import { channelIndex } from '../image/stack.js';
import { percentile } from '../image/stats.js';
import type { Labels, Stack } from '../image/types.js';
import { findBoundaries } from '../segment/labels/find-boundaries.js';
import type { Rgb, RgbaImage } from './composite.js';
import {
  type ColourSpec,
  LABEL2RGB_DEFAULT_COLORS,
  labelColourRanks,
  toUnitRgb,
  unitToByte,
  type UnitRgb,
} from './label-colours.js';

export interface OverlayGridOptions {
  stack: Stack;
  /** Nuclei, coloured over the nucleus channel and outlined over the cell channel. */
  nucleusLabels: Labels;
  /** Cells, coloured and outlined over the cell channel. */
  cellLabels: Labels;
  /** Channel index or name of the nucleus stain (e.g. DAPI). */
  nucleusChannel: number | string;
  /** Channel index or name of the cell / cytoplasm stain. */
  cellChannel: number | string;
  /** Opacity of the label colours over the channel (skimage `label2rgb` alpha). @default 0.3 */
  alpha?: number;
  /** Outline each object (its inner boundary, 1 px at panel size). @default true */
  outlines?: boolean;
  /** Outline colour of the nuclei in the cell panel, 0–255 RGB. @default [255, 255, 255] */
  nucleusOutlineColour?: Rgb;
  /** Label colour cycle, as `label2rgb`'s `colors`. @default skimage's DEFAULT_COLORS */
  colors?: readonly ColourSpec[];
  /** Contrast stretch of each channel between these percentiles. @default [1, 99.8] */
  percentiles?: readonly [number, number];
  /**
   * Shrink every panel to at most this width in pixels, keeping the aspect ratio (channels
   * averaged over each output pixel, labels sampled at its centre). @default the image width
   */
  maxPanelWidth?: number;
  /** White space between the panels, in pixels. @default 0 */
  gap?: number;
}

/**
 * A 2×2 figure of one image's segmentation, as the notebook draws it: top row the nucleus
 * channel alone and with the nuclei coloured (`label2rgb`, background untouched) and outlined;
 * bottom row the cell channel alone and with the cells coloured and outlined plus the nucleus
 * outlines. Each channel is contrast-stretched (1st–99.8th percentile) to grey. The result is
 * twice the panel size in each direction (plus `gap`).
 */
export function overlayGrid(options: OverlayGridOptions): RgbaImage {
  const { stack, nucleusLabels, cellLabels } = options;
  const nucleusPlane = stack.planes[channelIndex(stack, options.nucleusChannel)];
  const cellPlane = stack.planes[channelIndex(stack, options.cellChannel)];
  const { width, height } = nucleusPlane;
  for (const [what, item] of [
    ['nucleusLabels', nucleusLabels],
    ['cellLabels', cellLabels],
  ] as const) {
    if (item.width !== width || item.height !== height) {
      throw new InvalidArgumentError(
        `${what} are ${item.width}×${item.height} but the image is ${width}×${height}`,
      );
    }
  }
  const alpha = options.alpha ?? 0.3;
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in [0, 1], got ${alpha}`);
  const maxWidth = options.maxPanelWidth ?? width;
  if (!(maxWidth >= 1)) throw new RangeError(`maxPanelWidth must be ≥ 1, got ${maxWidth}`);
  const panelWidth = Math.min(width, Math.floor(maxWidth));
  const panelHeight = Math.max(1, Math.round((height * panelWidth) / width));

  const [pLow, pHigh] = options.percentiles ?? [1, 99.8];
  const grey = (plane: Stack['planes'][number]): Uint8Array => {
    const [low, high] = percentile(plane, [pLow, pHigh]);
    const full = rescaleToUint8(plane, { low, high }).data;
    return areaResize(full, width, height, panelWidth, panelHeight);
  };
  const colours = (options.colors ?? LABEL2RGB_DEFAULT_COLORS).map(toUnitRgb);
  // Colours follow the full-size labels, so they match label2rgb even where shrinking drops an object.
  const colourOf = (labels: Labels): ((label: number) => UnitRgb | null) => {
    const rank = labelColourRanks(labels, 0);
    return (label) => {
      const r = rank(label);
      return r < 0 ? null : colours[r % colours.length];
    };
  };
  const nuclei = nearestResize(nucleusLabels, panelWidth, panelHeight);
  const cells = nearestResize(cellLabels, panelWidth, panelHeight);
  const nucleusColour = colourOf(nucleusLabels);
  const cellColour = colourOf(cellLabels);
  const showOutlines = options.outlines ?? true;
  const white: UnitRgb = [1, 1, 1];
  const nucleusOutline = options.nucleusOutlineColour
    ? (options.nucleusOutlineColour.map((v) => v / 255) as unknown as UnitRgb)
    : white;

  const gap = options.gap ?? 0;
  if (!(Number.isInteger(gap) && gap >= 0))
    throw new RangeError(`gap must be a whole number ≥ 0, got ${gap}`);
  const outWidth = panelWidth * 2 + gap;
  const outHeight = panelHeight * 2 + gap;
  const out = new Uint8Array(outWidth * outHeight * 4).fill(255);
  const grid = { out, stride: outWidth, panelWidth, panelHeight, gap };
  const nucleusGrey = grey(nucleusPlane);
  paintPanel(grid, 0, 0, nucleusGrey, []);
  paintPanel(grid, 1, 0, nucleusGrey, [
    { labels: nuclei, fill: nucleusColour, alpha, outline: showOutlines ? nucleusColour : null },
  ]);
  const cellGrey = grey(cellPlane);
  paintPanel(grid, 0, 1, cellGrey, []);
  paintPanel(grid, 1, 1, cellGrey, [
    { labels: cells, fill: cellColour, alpha, outline: showOutlines ? cellColour : null },
    { labels: nuclei, fill: null, alpha, outline: showOutlines ? () => nucleusOutline : null },
  ]);
  return { width: outWidth, height: outHeight, channels: 4, data: out };
}

interface Layer {
  labels: Labels;
  /** Colour of a label's fill, or none. */
  fill: ((label: number) => UnitRgb | null) | null;
  alpha: number;
  outline: ((label: number) => UnitRgb | null) | null;
}

interface Grid {
  out: Uint8Array;
  stride: number;
  panelWidth: number;
  panelHeight: number;
  gap: number;
}

/** Grey, then each layer's fills (`c·α + under·(1 − α)`), then the outlines on top. */
function paintPanel(grid: Grid, col: number, row: number, grey: Uint8Array, layers: Layer[]): void {
  const { out, stride, panelWidth, panelHeight, gap } = grid;
  const rgb = new Float32Array(panelWidth * panelHeight * 3);
  for (let i = 0; i < grey.length; i++)
    rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = grey[i] / 255;
  for (const layer of layers) {
    if (!layer.fill) continue;
    const beta = 1 - layer.alpha;
    const { data } = layer.labels;
    for (let i = 0; i < data.length; i++) {
      const c = data[i] === 0 ? null : layer.fill(data[i]);
      if (!c) continue;
      for (let k = 0; k < 3; k++) rgb[3 * i + k] = c[k] * layer.alpha + rgb[3 * i + k] * beta;
    }
  }
  for (const layer of layers) {
    if (!layer.outline) continue;
    const edge = findBoundaries(layer.labels, { mode: 'inner' }).data;
    const { data } = layer.labels;
    for (let i = 0; i < edge.length; i++) {
      const c = edge[i] ? layer.outline(data[i]) : null;
      if (c) rgb.set(c, 3 * i);
    }
  }
  for (let y = 0; y < panelHeight; y++) {
    let o = ((row * (panelHeight + gap) + y) * stride + col * (panelWidth + gap)) * 4;
    for (let x = 0, i = y * panelWidth * 3; x < panelWidth; x++, i += 3, o += 4) {
      out[o] = unitToByte(rgb[i]);
      out[o + 1] = unitToByte(rgb[i + 1]);
      out[o + 2] = unitToByte(rgb[i + 2]);
      out[o + 3] = 255;
    }
  }
}

/** Nearest-neighbour resampling of labels at each output pixel's centre. */
function nearestResize(labels: Labels, width: number, height: number): Labels {
  if (width === labels.width && height === labels.height) return labels;
  const data = new Uint32Array(width * height);
  const sx = labels.width / width;
  const sy = labels.height / height;
  for (let y = 0; y < height; y++) {
    const srcRow = Math.min(labels.height - 1, Math.floor((y + 0.5) * sy)) * labels.width;
    for (let x = 0; x < width; x++) {
      data[y * width + x] =
        labels.data[srcRow + Math.min(labels.width - 1, Math.floor((x + 0.5) * sx))];
    }
  }
  return { width, height, data };
}

/** Area-average resampling (each output pixel the mean of the input area it covers). */
function areaResize(
  src: Uint8Array,
  width: number,
  height: number,
  w: number,
  h: number,
): Uint8Array {
  if (w === width && h === height) return src;
  const xs = areaWeights(width, w);
  const ys = areaWeights(height, h);
  const rows = new Float64Array(height * w);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (const [i, weight] of xs[x]) sum += src[y * width + i] * weight;
      rows[y * w + x] = sum;
    }
  }
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (const [j, weight] of ys[y]) sum += rows[j * w + x] * weight;
      out[y * w + x] = Math.min(255, Math.round(sum));
    }
  }
  return out;
}

/** For each of `dst` output cells, the input indices it overlaps and their weights (summing to 1). */
function areaWeights(src: number, dst: number): [number, number][][] {
  const scale = src / dst;
  return Array.from({ length: dst }, (_, d) => {
    const start = d * scale;
    const end = Math.min(src, (d + 1) * scale);
    const weights: [number, number][] = [];
    for (let i = Math.floor(start); i < end; i++) {
      const overlap = Math.min(end, i + 1) - Math.max(start, i);
      if (overlap > 0) weights.push([i, overlap / scale]);
    }
    return weights;
  });
}
