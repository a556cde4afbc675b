import { InvalidArgumentError } from '../../errors.js';
import { pairwiseSum32 } from '../../image/numpy-float.js';
import { rescaledSize, resizeLinear } from './resize.js';
import { createTileAverager, extractTiles, padSizes, tileLayout, unaugmentTile } from './tiles.js';
import type { CellposeFlows, Float32Plane } from './types.js';

/** What the network returns for one batch of tiles. */
export interface NetworkOutput {
  /** `n × 3 × height × width` float32, channels `[dY, dX, cellprob logit]`. */
  output: Float32Array;
  /** `n × styleLength` float32: each tile's L2-normalised style vector. */
  style: Float32Array;
  /** Values per style vector (256 for cyto3/nuclei); checked against `style.length / n` when given. */
  styleLength?: number;
}

/**
 * One forward pass of the Cellpose network on a batch of tiles: `batch` is
 * `n × channels × height × width` float32 (NCHW, `channels` = the number of input planes, 2 for
 * Cellpose models; `height` and `width` are multiples of 8). Runtime-agnostic: wrap an ONNX
 * session, a WebGPU kernel or anything else.
 */
export type NetworkForward = (
  batch: Float32Array,
  n: number,
  height: number,
  width: number,
) => Promise<NetworkOutput>;

export interface RunNetOptions {
  /** Flip test-time augmentation with ~50 % tile overlap (Cellpose `augment`). @default false */
  augment?: boolean;
  /** Tile overlap fraction, clamped to [0.05, 0.5]. @default 0.1 */
  tileOverlap?: number;
  /** Tile edge in pixels. @default 224 */
  bsize?: number;
  /** Tiles per `forward` call; no effect on the numbers. @default 8 */
  batchSize?: number;
  /**
   * Scale the image by this factor before the network (`diam_mean / diameter`); the network
   * sees `int(H·rescale) × int(W·rescale)`. @default 1
   */
  rescale?: number;
  /**
   * When `rescale ≠ 1`, resize the flows back to the input size (Cellpose eval's
   * `resample=True`); false keeps them at the network size (`core.run_net`). Flow magnitudes
   * are never rescaled. @default true
   */
  resample?: boolean;
  /** Called after each batch with tiles done and total. */
  onProgress?: (done: number, total: number) => void;
  /** Stops between batches with the signal's reason. */
  signal?: AbortSignal;
}

export interface RunNetResult {
  /** `[dY, dX, cellprob]`: at the input size, or at the rescaled size when `resample` is false. */
  flows: CellposeFlows;
  /** Sum of the tile styles divided by its L2 norm (float32). */
  style: Float32Array;
}

/**
 * Runs the Cellpose network over a normalised image, as Cellpose 3.1.1.3 `core.run_net` plus the
 * 2-D part of `CellposeModel._run_net`: optional bilinear rescale (`resizeLinear`), zero padding
 * to a multiple of 16 plus 8 px (`padSizes`), 224 px tiles (`tileLayout`), `forward` in batches,
 * un-flipping of augmented tiles, taper-weighted blending (`createTileAverager`), un-padding, the
 * normalised sum of tile styles, and the optional resize back (`resample`).
 *
 * `planes` are the network input channels (for Cellpose models the two normalised planes
 * `[toSegment, nuclear]`), all of one size. Cellpose stores styles in a 256-long buffer; here the
 * style has the network's length.
 *
 * @throws InvalidArgumentError for bad options, planes of different sizes, a rescaled size
 *   below 1 pixel, or a `forward` result of the wrong length.
 */
export async function runNet(
  planes: readonly Float32Plane[],
  forward: NetworkForward,
  options: RunNetOptions = {},
): Promise<RunNetResult> {
  if (planes.length === 0)
    throw new InvalidArgumentError('runNet needs at least one input channel');
  const { width: width0, height: height0 } = planes[0];
  for (const plane of planes) {
    if (plane.width !== width0 || plane.height !== height0) {
      throw new InvalidArgumentError(
        `all channels must have the same size, got ${width0} × ${height0} and ${plane.width} × ${plane.height}`,
      );
    }
  }
  const rescale = options.rescale ?? 1;
  const batchSize = options.batchSize ?? 8;
  if (!(rescale > 0) || !Number.isFinite(rescale)) {
    throw new InvalidArgumentError(`rescale must be a positive number, got ${rescale}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidArgumentError(`batchSize must be a positive integer, got ${batchSize}`);
  }

  let input = planes;
  if (rescale !== 1) {
    const size = rescaledSize(height0, width0, rescale);
    if (size.height < 1 || size.width < 1) {
      throw new InvalidArgumentError(
        `rescale ${rescale} shrinks the ${height0} × ${width0} image to ${size.height} × ${size.width}`,
      );
    }
    input = planes.map((plane) => resizeLinear(plane, size));
  }
  const { width, height } = input[0];
  const pads = padSizes(height, width);
  const paddedHeight = height + pads.top + pads.bottom;
  const paddedWidth = width + pads.left + pads.right;
  const layout = tileLayout(paddedHeight, paddedWidth, {
    bsize: options.bsize,
    augment: options.augment,
    tileOverlap: options.tileOverlap,
  });
  const { tileHeight: th, tileWidth: tw } = layout;
  const total = layout.ny * layout.nx;
  const nout = 3;
  const averager = createTileAverager(layout, nout);
  let styleSum: Float32Array | undefined;

  for (let first = 0; first < total; first += batchSize) {
    options.signal?.throwIfAborted();
    const n = Math.min(batchSize, total - first);
    const batch = extractTiles(input, pads, layout, first, n);
    const result = await forward(batch, n, th, tw);
    const { output, style } = result;
    if (output.length !== n * nout * th * tw) {
      throw new InvalidArgumentError(
        `network output has ${output.length} values, expected ${n} × ${nout} × ${th} × ${tw}`,
      );
    }
    const styleLength = style.length / n;
    if (!Number.isInteger(styleLength) || (result.styleLength ?? styleLength) !== styleLength) {
      throw new InvalidArgumentError(
        `network style has ${style.length} values, which is not ${n} × ${result.styleLength ?? 'S'}`,
      );
    }
    styleSum ??= new Float32Array(styleLength);
    if (styleSum.length !== styleLength) {
      throw new InvalidArgumentError(
        `style length changed from ${styleSum.length} to ${styleLength}`,
      );
    }
    for (let t = 0; t < n; t++) {
      const offset = t * nout * th * tw;
      unaugmentTile(output, offset, nout, layout, first + t);
      averager.add(first + t, output, offset);
      // Sum over tiles in tile order in float32, as numpy's axis-0 sum does.
      for (let s = 0; s < styleLength; s++) styleSum[s] += style[t * styleLength + s];
    }
    options.onProgress?.(first + n, total);
  }

  const blended = averager.result();
  // Crop the augment extension (if any) and the padding: rows [top, top + height).
  const flows = [0, 1, 2].map((c): Float32Plane => {
    const data = new Float32Array(width * height);
    const base = c * layout.height * layout.width;
    for (let y = 0; y < height; y++) {
      const src = base + (y + pads.top) * layout.width + pads.left;
      data.set(blended.subarray(src, src + width), y * width);
    }
    return { width, height, data };
  }) as CellposeFlows;

  const resample = options.resample ?? true;
  const out =
    resample && rescale !== 1
      ? (flows.map((plane) =>
          resizeLinear(plane, { height: height0, width: width0 }),
        ) as CellposeFlows)
      : flows;
  return { flows: out, style: normaliseStyle(styleSum ?? new Float32Array(0)) };
}

/** `style /= (style**2).sum()**0.5` in float32 (NumPy pairwise sum). */
function normaliseStyle(style: Float32Array): Float32Array {
  const squares = style.map((v) => v * v);
  const norm = Math.fround(Math.sqrt(pairwiseSum32(squares, 0, squares.length)));
  return style.map((v) => v / norm);
}
