import type { NpyArray } from '../../../io/npy.js';
import { readSharedJson, readSharedNpy } from '../../../../test/shared.js';
import type { Float32Plane } from '../types.js';

export function cellposeNpy(path: string): NpyArray {
  return readSharedNpy('fixtures', 'cellpose', ...path.split('/'));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function cellposeManifest(): any {
  return readSharedJson('fixtures', 'cellpose', 'manifest.json');
}

/** Channel planes of an `[…1×] H × W × C` channels-last array, as float32. */
export function channelsLast(array: NpyArray): Float32Plane[] {
  const shape = array.shape.filter((s, i) => !(s === 1 && i < array.shape.length - 3));
  const [height, width, channels] = shape.slice(-3);
  const data = array.data as ArrayLike<number>;
  return Array.from({ length: channels }, (_, c) => {
    const out = new Float32Array(width * height);
    for (let p = 0; p < out.length; p++) out[p] = data[p * channels + c];
    return { width, height, data: out };
  });
}

/** Channel planes of a `C × H × W` array, as float32. */
export function channelsFirst(array: NpyArray): Float32Plane[] {
  const [channels, height, width] = array.shape.slice(-3);
  const data = array.data as ArrayLike<number>;
  return Array.from({ length: channels }, (_, c) => ({
    width,
    height,
    data: Float32Array.from({ length: width * height }, (_, p) => data[c * width * height + p]),
  }));
}

/** Largest absolute difference and how many values differ at all. */
export function compare(actual: ArrayLike<number>, expected: ArrayLike<number>) {
  if (actual.length !== expected.length)
    throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  let maxAbs = 0;
  let differing = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (Object.is(a, b) || a === b) continue;
    differing++;
    maxAbs = Math.max(maxAbs, Number.isNaN(a) || Number.isNaN(b) ? Infinity : Math.abs(a - b));
  }
  return { maxAbs, differing };
}

/** Planes interleaved back to channels-last order. */
export function interleave(planes: readonly Float32Plane[]): Float32Array {
  const channels = planes.length;
  const n = planes[0].width * planes[0].height;
  const out = new Float32Array(n * channels);
  planes.forEach((plane, c) => {
    for (let p = 0; p < n; p++) out[p * channels + c] = plane.data[p];
  });
  return out;
}
