import type { Plane } from '../../image/types.js';

/** One float32 channel, the form every Cellpose transform works in. */
export type Float32Plane = Plane<Float32Array>;

/** The two network input channels: `[toSegment, nuclear]` (Cellpose's cytoplasm and nucleus). */
export type CellposeChannels = [Float32Plane, Float32Plane];

/** Network output at one resolution: vertical flow dY, horizontal flow dX, cell-probability logit. */
export type CellposeFlows = [Float32Plane, Float32Plane, Float32Plane];
