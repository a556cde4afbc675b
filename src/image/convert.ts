import type { Plane } from './types.js';

/** The same pixel values as float32 (a copy; float32 input is copied too, so callers may mutate). */
export function toFloat32(plane: Plane): Plane<Float32Array> {
  return { width: plane.width, height: plane.height, data: Float32Array.from(plane.data) };
}

/** The same pixel values as float64. */
export function toFloat64(plane: Plane): Plane<Float64Array> {
  return { width: plane.width, height: plane.height, data: Float64Array.from(plane.data) };
}
