// Pure pixel kernels of the viewer: channel compositing and label overlays, as RGBA bytes.
import { labelColour, type Labels, type Plane } from 'cellscope/browser';
import type { ChannelDisplay, OverlayMode, Rgb } from './protocol.js';

/**
 * Additive colour composite: each visible channel maps [min, max] linearly onto 0–1 of its
 * colour (clipped), the sums clip at 255, as ImageJ's and napari's additive blending.
 */
export function compositeChannels(
  planes: readonly Plane[],
  displays: readonly ChannelDisplay[],
): Uint8ClampedArray<ArrayBuffer> {
  const { width, height } = planes[0];
  const n = width * height;
  const sums = new Float32Array(n * 3);
  planes.forEach((plane, c) => {
    const display = displays[c];
    if (!display?.visible) return;
    const [r, g, b] = display.colour;
    const scale = display.max > display.min ? 1 / (display.max - display.min) : 0;
    const data = plane.data;
    // Integer images up to 16 bits go through a lookup table: one multiply per value, not pixel.
    const lut =
      data instanceof Uint8Array || data instanceof Uint16Array
        ? intensityLut(data, display.min, scale)
        : undefined;
    for (let i = 0; i < n; i++) {
      const t = lut ? lut[data[i]] : clamp01((data[i] - display.min) * scale);
      if (t === 0) continue;
      sums[i * 3] += t * r;
      sums[i * 3 + 1] += t * g;
      sums[i * 3 + 2] += t * b;
    }
  });
  const rgba = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    rgba[i * 4] = sums[i * 3];
    rgba[i * 4 + 1] = sums[i * 3 + 1];
    rgba[i * 4 + 2] = sums[i * 3 + 2];
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

function intensityLut(data: Uint8Array | Uint16Array, min: number, scale: number): Float32Array {
  const lut = new Float32Array(data instanceof Uint8Array ? 256 : 65536);
  for (let v = 0; v < lut.length; v++) lut[v] = clamp01((v - min) * scale);
  return lut;
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value || 0;
}

/** 1 where a pixel's 4-neighbour has another label (its object's inner boundary), else 0. */
export function innerBoundaries(labels: Labels): Uint8Array {
  const { width, height, data } = labels;
  const edge = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = data[i];
      if (v === 0) continue;
      if (
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        data[i - 1] !== v ||
        data[i + 1] !== v ||
        data[i - width] !== v ||
        data[i + width] !== v
      ) {
        edge[i] = 1;
      }
    }
  }
  return edge;
}

/**
 * Widens 1-pixel inner boundaries to `width` pixels, inward: a pixel joins when a 4-neighbour of
 * its own label is on the boundary already. Contours then keep a width on screen when zoomed out.
 */
export function widenBoundaries(labels: Labels, boundaries: Uint8Array, width: number): Uint8Array {
  if (width <= 1) return boundaries;
  const { width: w, data } = labels;
  let edge = boundaries;
  for (let pass = 1; pass < width; pass++) {
    const next = edge.slice();
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v === 0 || edge[i]) continue;
      const x = i % w;
      if (
        (x > 0 && edge[i - 1] && data[i - 1] === v) ||
        (x < w - 1 && edge[i + 1] && data[i + 1] === v) ||
        (i >= w && edge[i - w] && data[i - w] === v) ||
        (i + w < data.length && edge[i + w] && data[i + w] === v)
      )
        next[i] = 1;
    }
    edge = next;
  }
  return edge;
}

export interface OverlayLayer {
  labels: Labels;
  /** Contour pixels (see `innerBoundaries`, `widenBoundaries`). */
  boundaries: Uint8Array;
  mode: OverlayMode;
  /** Opacity of the fill (contours are opaque). */
  opacity: number;
  /** A label's colour (default: its random label colour); undefined leaves it out. */
  colourOf?: (label: number) => Rgb | undefined;
  /** Labels drawn in the highlight colour, on top. */
  highlight?: ReadonlySet<number>;
  /** Only these labels are drawn ("show selected"). */
  only?: ReadonlySet<number>;
}

export const HIGHLIGHT_COLOUR: Rgb = [255, 212, 0];

/**
 * Draws label layers as RGBA (transparent background): filled at each layer's opacity or as
 * opaque contours, later layers over earlier ones; then highlighted labels on top of
 * everything in {@link HIGHLIGHT_COLOUR} (contour and a light fill), whatever the mode.
 */
export function renderOverlay(
  layers: readonly OverlayLayer[],
  width: number,
  height: number,
): Uint8ClampedArray<ArrayBuffer> | undefined {
  const anyHighlight = layers.some((l) => (l.highlight?.size ?? 0) > 0);
  if (!anyHighlight && layers.every((l) => l.mode === 'off')) return undefined;
  const rgba = new Uint8ClampedArray(width * height * 4);
  const put = (i: number, [r, g, b]: Rgb, alpha: number): void => {
    rgba[i * 4] = r;
    rgba[i * 4 + 1] = g;
    rgba[i * 4 + 2] = b;
    rgba[i * 4 + 3] = alpha;
  };
  for (const { labels, boundaries, mode, opacity, colourOf, only } of layers) {
    if (mode === 'off') continue;
    const fillAlpha = Math.round(255 * Math.min(1, Math.max(0, opacity)));
    const colours = new Map<number, Rgb | undefined>();
    const colour = (label: number): Rgb | undefined => {
      if (colours.has(label)) return colours.get(label);
      const found = colourOf ? colourOf(label) : randomColour(label);
      colours.set(label, found);
      return found;
    };
    const { data } = labels;
    for (let i = 0; i < data.length; i++) {
      const label = data[i];
      if (label === 0) continue;
      const edge = boundaries[i] === 1;
      if (mode === 'contours' && !edge) continue;
      if (only && !only.has(label)) continue;
      const rgb = colour(label);
      if (!rgb) continue;
      put(i, rgb, mode === 'contours' ? 255 : edge ? Math.min(255, fillAlpha + 60) : fillAlpha);
    }
  }
  // A cell grown from its nucleus shares contour pixels with it: the highlight must win.
  for (const { labels, boundaries, highlight } of layers) {
    if (!highlight?.size) continue;
    const { data } = labels;
    for (let i = 0; i < data.length; i++) {
      if (data[i] !== 0 && highlight.has(data[i])) {
        put(i, HIGHLIGHT_COLOUR, boundaries[i] === 1 ? 255 : 90);
      }
    }
  }
  return rgba;
}

function randomColour(label: number): Rgb {
  const [r, g, b] = labelColour(label);
  return [Math.round(r), Math.round(g), Math.round(b)];
}
