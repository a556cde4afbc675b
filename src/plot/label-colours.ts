import { InvalidArgumentError } from '../errors.js';
import type { Labels } from '../image/types.js';

/** An RGB colour with components in 0–1, as scikit-image colours are. */
export type UnitRgb = readonly [number, number, number];

/**
 * `skimage.color.rgb_colors` values of the colours {@link LABEL2RGB_DEFAULT_COLORS} names,
 * plus black and white for `bgColor`.
 */
export const NAMED_UNIT_COLOURS: Readonly<Record<string, UnitRgb>> = {
  red: [1, 0, 0],
  blue: [0, 0, 1],
  yellow: [1, 1, 0],
  magenta: [1, 0, 1],
  green: [0, 0.502, 0],
  indigo: [0.294, 0, 0.51],
  darkorange: [1, 0.549, 0],
  cyan: [0, 1, 1],
  pink: [1, 0.753, 0.796],
  yellowgreen: [0.604, 0.804, 0.196],
  black: [0, 0, 0],
  white: [1, 1, 1],
};

/** scikit-image's `DEFAULT_COLORS` cycle for `label2rgb` (0.19), in order. */
export const LABEL2RGB_DEFAULT_COLORS: readonly UnitRgb[] = [
  'red',
  'blue',
  'yellow',
  'magenta',
  'green',
  'indigo',
  'darkorange',
  'cyan',
  'pink',
  'yellowgreen',
].map((name) => NAMED_UNIT_COLOURS[name]);

/** A colour given as 0–1 RGB, a name from {@link NAMED_UNIT_COLOURS} or `#rrggbb`. */
export type ColourSpec = UnitRgb | string;

export function toUnitRgb(colour: ColourSpec): UnitRgb {
  if (typeof colour !== 'string') {
    if (colour.length < 3 || colour.slice(0, 3).some((v) => !Number.isFinite(v))) {
      throw new InvalidArgumentError(`colour [${colour.join(', ')}] is not three numbers in 0–1`);
    }
    return [colour[0], colour[1], colour[2]];
  }
  const named = NAMED_UNIT_COLOURS[colour.toLowerCase()];
  if (named) return named;
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (hex) return [1, 2, 3].map((i) => parseInt(hex[i], 16) / 255) as unknown as UnitRgb;
  throw new InvalidArgumentError(`unknown colour "${colour}"`, {
    hint: `use [r, g, b] in 0–1, #rrggbb or one of ${Object.keys(NAMED_UNIT_COLOURS).join(', ')}`,
  });
}

/**
 * Index into the colour cycle for every label value, as skimage's `_match_label_with_color`:
 * the distinct non-background values, sorted, take colours 0, 1, 2, … (gaps in the numbering
 * skip no colour). Returns −1 for the background.
 */
export function labelColourRanks(labels: Labels, bgLabel: number): (label: number) => number {
  const { data } = labels;
  let max = 0;
  for (let i = 0; i < data.length; i++) if (data[i] > max) max = data[i];
  if (max <= 1 << 24) {
    const present = new Uint8Array(max + 1);
    for (let i = 0; i < data.length; i++) present[data[i]] = 1;
    const ranks = new Int32Array(max + 1).fill(-1);
    let rank = 0;
    for (let v = 0; v <= max; v++) if (present[v] && v !== bgLabel) ranks[v] = rank++;
    return (label) => ranks[label];
  }
  const distinct = Uint32Array.from(new Set(data)).sort();
  const ranks = new Map<number, number>();
  let rank = 0;
  for (const v of distinct) if (v !== bgLabel) ranks.set(v, rank++);
  return (label) => ranks.get(label) ?? -1;
}

/** `np.rint` (half to even) of `v · 255`, clipped to a byte; NaN → 0. */
export function unitToByte(v: number): number {
  const x = v * 255;
  if (!(x > 0)) return 0;
  if (x >= 255) return 255;
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 === 1 ? r - 1 : r;
}
