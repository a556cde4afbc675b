import { InvalidArgumentError } from '../../errors.js';
import { normalize99InPlace } from './normalize.js';
import { numpyAtan2f } from './numpy-trig.js';
import type { Float32Plane } from './types.js';

/** An 8-bit RGB image, samples interleaved (`data[(y·width + x)·3 + channel]`). */
export interface RgbImage {
  width: number;
  height: number;
  channels: 3;
  data: Uint8Array;
}

const F32 = Math.fround;

/**
 * Cellpose's flow colour image, `plot.dx_to_circ` (what `eval` returns as `flows[0]`): hue from
 * the flow direction, brightness from the flow magnitude. In float32, as NumPy computes it:
 * `mag = 255·clip(normalize99(|dP|), 0, 1) / 2`, `a = atan2(dX, dY) + π`, then
 * `R = mag·(cos a + 1)`, `G = mag·(cos(a + 2π/3) + 1)`, `B = mag·(cos(a + 4π/3) + 1)`, each
 * clipped to [0, 255] and truncated to uint8. `arctan2` reproduces NumPy's float32 SVML routine
 * (x86-64 AVX-512) bit for bit; `cos` is the correctly rounded float32 cosine, while NumPy's
 * float32 SIMD cosine may differ in the last bit, which moves a channel by one level only where
 * the product lands within an ulp of an integer.
 *
 * @param flows `[dY, dX]`, float32 planes of one size (network flows, ≈ 5 × unit vectors).
 */
export function flowToRgb(flows: readonly [Float32Plane, Float32Plane]): RgbImage {
  const [dY, dX] = flows;
  const { width, height } = dY;
  if (dX.width !== width || dX.height !== height) {
    throw new InvalidArgumentError(
      `dY and dX must have the same size, got ${width} × ${height} and ${dX.width} × ${dX.height}`,
    );
  }
  const n = width * height;
  const magnitude = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const y = dY.data[i];
    const x = dX.data[i];
    magnitude[i] = Math.sqrt(F32(F32(y * y) + F32(x * x)));
  }
  normalize99InPlace(magnitude, width, height, 1, 99, false);
  const pi = F32(Math.PI);
  const third = F32((2 * Math.PI) / 3);
  const twoThirds = F32((4 * Math.PI) / 3);
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const m = F32(F32(255 * Math.min(Math.max(magnitude[i], 0), 1)) / 2);
    const angle = F32(numpyAtan2f(dX.data[i], dY.data[i]) + pi);
    data[3 * i] = toUint8(F32(m * F32(F32(Math.cos(angle)) + 1)));
    data[3 * i + 1] = toUint8(F32(m * F32(F32(Math.cos(F32(angle + third))) + 1)));
    data[3 * i + 2] = toUint8(F32(m * F32(F32(Math.cos(F32(angle + twoThirds))) + 1)));
  }
  return { width, height, channels: 3, data };
}

/** `np.clip(v, 0, 255).astype(uint8)`: clip, then truncate. */
function toUint8(v: number): number {
  return Math.trunc(Math.min(Math.max(v, 0), 255));
}
