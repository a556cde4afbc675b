import { InvalidArgumentError } from '../errors.js';
import { rescaleToUint8 } from '../image/normalize.js';
import type { Stack } from '../image/types.js';

export type Rgb = readonly [number, number, number];

/** An 8-bit RGBA image, samples interleaved (as PNG stores them). */
export interface RgbaImage {
  width: number;
  height: number;
  channels: 4;
  data: Uint8Array;
}

/** Fluorescence-style colours: DNA blue, then green, magenta, …  */
export const DEFAULT_CHANNEL_COLOURS: readonly Rgb[] = [
  [0, 102, 255],
  [0, 255, 0],
  [255, 0, 255],
  [255, 255, 0],
  [0, 255, 255],
  [255, 0, 0],
];

export interface CompositeOptions {
  /** Colour for each channel (0–255 RGB). @default DEFAULT_CHANNEL_COLOURS */
  colours?: readonly Rgb[];
}

/** Additive colour composite of auto-contrasted channels, as RGBA (alpha 255). */
export function compositeRgba(
  stack: Stack,
  options: CompositeOptions = {},
): {
  width: number;
  height: number;
  channels: 4;
  data: Uint8Array;
} {
  const colours = options.colours ?? DEFAULT_CHANNEL_COLOURS;
  if (colours.length < stack.planes.length) {
    throw new InvalidArgumentError(
      `${stack.planes.length} channels need ${stack.planes.length} colours, got ${colours.length}`,
    );
  }
  const { width, height } = stack.planes[0];
  const sums = new Float32Array(width * height * 3);
  stack.planes.forEach((plane, c) => {
    const scaled = rescaleToUint8(plane).data;
    const [r, g, b] = colours[c];
    for (let i = 0; i < scaled.length; i++) {
      const v = scaled[i] / 255;
      sums[i * 3] += v * r;
      sums[i * 3 + 1] += v * g;
      sums[i * 3 + 2] += v * b;
    }
  });
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = Math.min(255, Math.round(sums[i * 3]));
    data[i * 4 + 1] = Math.min(255, Math.round(sums[i * 3 + 1]));
    data[i * 4 + 2] = Math.min(255, Math.round(sums[i * 3 + 2]));
    data[i * 4 + 3] = 255;
  }
  return { width, height, channels: 4, data };
}
