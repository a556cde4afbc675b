import { InvalidArgumentError } from '../../errors.js';
import type { Mask } from '../../image/types.js';

/** The structuring element: a disk by radius, or any odd-sized mask. */
export type FootprintOptions =
  | {
      /**
       * Radius of the disk footprint, as skimage.morphology.disk(radius); 0 leaves the mask as is.
       * @default 1 (the 3 × 3 cross, skimage's default footprint)
       */
      radius?: number;
      footprint?: undefined;
    }
  | {
      /** Any footprint with odd width and height; its centre pixel is the origin. */
      footprint: Mask;
      radius?: undefined;
    };

/** A horizontal chord of a footprint: offsets (dy, dx) with `dx0` ≤ dx ≤ `dx1`, relative to the centre. */
export interface Chord {
  dy: number;
  dx0: number;
  dx1: number;
}

export type Shape = { kind: 'disk'; radius: number } | { kind: 'chords'; chords: Chord[] };

export function checkRadius(radius: number): number {
  if (!Number.isInteger(radius) || radius < 0) {
    throw new InvalidArgumentError(`radius must be a non-negative integer, got ${radius}`);
  }
  return radius;
}

/** ⌊√(r² − dy²)⌋ for dy = 0..rows − 1: half-width of disk(r)'s row dy, in exact integers. */
export function diskHalfWidths(radius: number, rows = radius + 1): Float64Array {
  const widths = new Float64Array(rows);
  const r2 = radius * radius;
  for (let dy = 0; dy < rows; dy++) {
    const room = r2 - dy * dy;
    let h = Math.floor(Math.sqrt(room));
    while (h * h > room) h--;
    while ((h + 1) * (h + 1) <= room) h++;
    widths[dy] = h;
  }
  return widths;
}

/** Resolves the options; a footprint that equals a disk takes the disk's faster path. */
export function resolveShape(options: FootprintOptions): Shape {
  if (options.footprint === undefined) {
    return { kind: 'disk', radius: checkRadius(options.radius ?? 1) };
  }
  if (options.radius !== undefined) {
    throw new InvalidArgumentError('give either radius or footprint, not both');
  }
  const { width, height, data } = options.footprint;
  if (width % 2 !== 1 || height % 2 !== 1 || data.length !== width * height) {
    throw new InvalidArgumentError(
      `footprint must have odd width and height, got ${width} × ${height}`,
    );
  }
  const cy = (height - 1) / 2;
  const cx = (width - 1) / 2;
  if (width === height && isDisk(options.footprint)) return { kind: 'disk', radius: cx };
  const chords: Chord[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] === 0) continue;
      const x0 = x;
      while (x + 1 < width && data[y * width + x + 1] !== 0) x++;
      chords.push({ dy: y - cy, dx0: x0 - cx, dx1: x - cx });
    }
  }
  return { kind: 'chords', chords };
}

function isDisk(footprint: Mask): boolean {
  const radius = (footprint.width - 1) / 2;
  const r2 = radius * radius;
  const { width, data } = footprint;
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < width; x++) {
      const inside = (y - radius) ** 2 + (x - radius) ** 2 <= r2;
      if ((data[y * width + x] !== 0) !== inside) return false;
    }
  }
  return true;
}

/** The point reflection of a chord list (the footprint turned by 180°). */
export function reflectChords(chords: Chord[]): Chord[] {
  return chords.map(({ dy, dx0, dx1 }) => ({ dy: -dy, dx0: -dx1, dx1: -dx0 }));
}
