import { InvalidArgumentError } from '../errors.js';
import type { Labels } from '../image/types.js';
import { findBoundaries } from '../segment/labels/find-boundaries.js';
import type { RgbaImage, Rgb } from './composite.js';

export interface OutlineOptions {
  /** One colour for every outline; by default each label gets its own distinct colour. */
  colour?: Rgb;
  /** Outline opacity, 0–1. @default 1 */
  opacity?: number;
}

/**
 * Draws each object's inner boundary (skimage find_boundaries mode 'inner') over an RGBA image,
 * returning a new image. Outlines stay inside their object, so touching objects stay distinct.
 */
export function drawOutlines(
  image: RgbaImage,
  labels: Labels,
  options: OutlineOptions = {},
): RgbaImage {
  if (image.width !== labels.width || image.height !== labels.height) {
    throw new InvalidArgumentError(
      `labels are ${labels.width}×${labels.height} but the image is ${image.width}×${image.height}`,
    );
  }
  const opacity = options.opacity ?? 1;
  const boundary = findBoundaries(labels, { mode: 'inner' }).data;
  const data = image.data.slice();
  for (let i = 0; i < boundary.length; i++) {
    if (!boundary[i]) continue;
    const [r, g, b] = options.colour ?? labelColour(labels.data[i]);
    data[i * 4] = Math.round(r * opacity + data[i * 4] * (1 - opacity));
    data[i * 4 + 1] = Math.round(g * opacity + data[i * 4 + 1] * (1 - opacity));
    data[i * 4 + 2] = Math.round(b * opacity + data[i * 4 + 2] * (1 - opacity));
  }
  return { ...image, data };
}

/** A bright colour for a label: hues spaced by the golden angle, so neighbouring ids differ. */
export function labelColour(label: number): Rgb {
  const hue = (label * 137.508) % 360;
  return hsvToRgb(hue, 0.85, 1);
}

function hsvToRgb(hue: number, saturation: number, value: number): Rgb {
  const c = value * saturation;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = value - c;
  const [r, g, b] =
    hue < 60
      ? [c, x, 0]
      : hue < 120
        ? [x, c, 0]
        : hue < 180
          ? [0, c, x]
          : hue < 240
            ? [0, x, c]
            : hue < 300
              ? [x, 0, c]
              : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}
