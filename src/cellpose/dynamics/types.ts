import type { Plane } from '../../image/types.js';

/**
 * A Cellpose flow field `dP`: the `[dY, dX]` planes stacked as one 2 × height × width row-major
 * array, the layout of Cellpose's `flows[1]` and of its `.npy` files. dY of pixel (y, x) is
 * `data[y * width + x]`, dX is `data[height * width + y * width + x]`. Network output is about 5 ×
 * a unit vector pointing towards the cell centre; `masksToFlows` gives unit vectors in float64.
 */
export interface FlowField<T extends Float32Array | Float64Array = Float32Array> {
  readonly width: number;
  readonly height: number;
  readonly data: T;
}

/** Cell probability logits (Cellpose's `flows[2]`), one float32 per pixel. */
export type CellProbability = Plane<Float32Array>;

/**
 * Where the foreground pixels ended up after Euler integration of the flows (`followFlows`). Entry
 * `k` belongs to the pixel at raster index `pixels[k]`; positions are in pixels of the flow field,
 * clamped to `[0, height − 1] × [0, width − 1]`, held as float32 as Cellpose holds them.
 */
export interface FlowPositions {
  readonly width: number;
  readonly height: number;
  /** Raster indices (`y * width + x`) of the pixels with cell probability above the threshold, ascending. */
  readonly pixels: Uint32Array;
  /** Final row coordinate of each pixel. */
  readonly y: Float32Array;
  /** Final column coordinate of each pixel. */
  readonly x: Float32Array;
}
