import { InvalidArgumentError } from '../errors.js';
import { dtypeOf, integerRange } from '../image/dtype.js';
import type { Labels, Plane } from '../image/types.js';
import {
  type ColourSpec,
  LABEL2RGB_DEFAULT_COLORS,
  labelColourRanks,
  toUnitRgb,
  type UnitRgb,
} from './label-colours.js';

/** A float RGB image, samples interleaved (row-major, 3 per pixel), values nominally 0–1. */
export interface RgbFloatImage {
  width: number;
  height: number;
  channels: 3;
  data: Float64Array;
}

export interface Label2RgbOptions {
  /**
   * Grey image under the labels. Converted as skimage's `img_as_float` (unsigned integers
   * divided by their dtype maximum, signed ones by theirs and clipped at −1, floats as they are).
   * Without it the labels are drawn on black at full opacity.
   */
  image?: Plane;
  /** Colour cycle, given to the sorted non-background labels in turn. @default skimage's DEFAULT_COLORS */
  colors?: readonly ColourSpec[];
  /** Opacity of the label colours over the image; forced to 1 without an image. @default 0.3 */
  alpha?: number;
  /** Label value treated as background. @default 0 */
  bgLabel?: number;
  /**
   * Colour blended (with `alpha`) over the background; `null` leaves background pixels as the
   * image (skimage's `bg_color=None`). @default [0, 0, 0]
   */
  bgColor?: ColourSpec | null;
  /** Opacity of the image over white: `image · imageAlpha + (1 − imageAlpha)`. @default 1 */
  imageAlpha?: number;
}

/**
 * Colours a label image, optionally over a grey image, as scikit-image 0.19
 * `skimage.color.label2rgb(kind='overlay')`: each pixel is `colour · alpha + image · (1 − alpha)`,
 * where distinct non-background labels, in increasing order, take the colours of the cycle in turn.
 * Float images are computed in float64 (skimage keeps float32 inputs in float32).
 */
export function label2rgb(labels: Labels, options: Label2RgbOptions = {}): RgbFloatImage {
  const { width, height } = labels;
  const { image } = options;
  if (image && (image.width !== width || image.height !== height)) {
    throw new InvalidArgumentError(
      `labels are ${width}×${height} but the image is ${image.width}×${image.height}`,
    );
  }
  const imageAlpha = options.imageAlpha ?? 1;
  const alpha = image ? (options.alpha ?? 0.3) : 1;
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in [0, 1], got ${alpha}`);
  const colours = (options.colors ?? LABEL2RGB_DEFAULT_COLORS).map(toUnitRgb);
  if (colours.length === 0) throw new InvalidArgumentError('colors is empty');
  const bg = options.bgColor === null ? null : toUnitRgb(options.bgColor ?? [0, 0, 0]);
  const bgLabel = options.bgLabel ?? 0;

  const grey = image ? greyAsFloat(image, imageAlpha) : undefined;
  const rank = labelColourRanks(labels, bgLabel);
  const beta = 1 - alpha;
  const out = new Float64Array(width * height * 3);
  for (let i = 0; i < labels.data.length; i++) {
    const g = grey ? grey[i] : 0;
    const r = rank(labels.data[i]);
    const c: UnitRgb | null = r >= 0 ? colours[r % colours.length] : bg;
    const o = i * 3;
    if (c === null) {
      out[o] = out[o + 1] = out[o + 2] = g;
    } else {
      out[o] = c[0] * alpha + g * beta;
      out[o + 1] = c[1] * alpha + g * beta;
      out[o + 2] = c[2] * alpha + g * beta;
    }
  }
  return { width, height, channels: 3, data: out };
}

/** skimage `img_as_float`, then `image · imageAlpha + (1 − imageAlpha)`. */
function greyAsFloat(image: Plane, imageAlpha: number): Float64Array {
  const dtype = dtypeOf(image.data);
  const src = image.data;
  const out = new Float64Array(src.length);
  const unsigned = dtype.startsWith('uint');
  const signed = dtype.startsWith('int');
  // skimage multiplies by the reciprocal rather than dividing: keep its rounding.
  const scale = unsigned || signed ? 1 / integerRange(dtype)[1] : 1;
  const offset = 1 - imageAlpha;
  for (let i = 0; i < src.length; i++) {
    let v = src[i] * scale;
    if (signed && v < -1) v = -1;
    out[i] = v * imageAlpha + offset;
  }
  return out;
}
