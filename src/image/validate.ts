import { InvalidArgumentError } from '../errors.js';

// One place words the "wrong size" errors, as image-js's checkProcessable does: every plane,
// mask and label image a function takes is checked here.

/** Anything laid out as `width × height` pixels, row-major. */
export interface Grid {
  width: number;
  height: number;
  data: { length: number };
}

export interface CheckImageOptions {
  /** Smallest width and height allowed: 0 (empty images pass) or 1. @default 0 */
  minSize?: 0 | 1;
  /** Require `Uint32Array` data (label images). @default false */
  uint32?: boolean;
}

/** Throws unless `width` and `height` are integers ≥ `minSize`. */
export function checkSize(what: string, width: number, height: number, minSize: 0 | 1 = 0): void {
  if (Number.isInteger(width) && Number.isInteger(height) && width >= minSize && height >= minSize)
    return;
  throw new InvalidArgumentError(
    minSize === 0
      ? `${what} size must be non-negative integers, got ${width} × ${height}`
      : `${what} must be at least 1 × 1 pixels, got ${width} × ${height}`,
  );
}

/** Throws unless `image` has an integer size and its data holds `width × height` pixels. */
export function checkImage(image: Grid, what: string, options: CheckImageOptions = {}): void {
  const { width, height, data } = image;
  checkSize(what, width, height, options.minSize ?? 0);
  if (options.uint32 && !(data instanceof Uint32Array))
    throw new InvalidArgumentError(`${what} data must be a Uint32Array`);
  if (data.length !== width * height) {
    throw new InvalidArgumentError(
      `${what} data has ${data.length} pixels, expected ${width} × ${height} = ${width * height}`,
    );
  }
}

/** Throws unless `a` and `b` have one size. */
export function checkSameSize(
  a: { width: number; height: number },
  b: { width: number; height: number },
  what: string,
): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new InvalidArgumentError(
      `${what}: sizes differ (${a.width} × ${a.height} vs ${b.width} × ${b.height})`,
    );
  }
}
