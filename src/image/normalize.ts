import { InvalidArgumentError } from '../errors.js';
import { percentile } from './stats.js';
import type { Plane } from './types.js';

export interface RescaleOptions {
  /** Values at or below this map to 0. @default the 1st percentile */
  low?: number;
  /** Values at or above this map to 255. @default the 99.8th percentile */
  high?: number;
}

/** Linear contrast stretch to 8 bits, as a viewer's auto-contrast does (NaN → 0). */
export function rescaleToUint8(plane: Plane, options: RescaleOptions = {}): Plane<Uint8Array> {
  let { low, high } = options;
  if (low === undefined || high === undefined) {
    const [p1, p998] = percentile(plane, [1, 99.8]);
    low ??= p1;
    high ??= p998;
  }
  if (!(high >= low)) throw new InvalidArgumentError(`contrast range [${low}, ${high}] is empty`);
  const scale = high > low ? 255 / (high - low) : 0;
  const out = new Uint8Array(plane.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = (plane.data[i] - low) * scale;
    // Uint8Array stores clamp nothing: clamp by hand, and NaN fails both tests → 0.
    out[i] = v >= 255 ? 255 : v > 0 ? Math.round(v) : 0;
  }
  return { width: plane.width, height: plane.height, data: out };
}
