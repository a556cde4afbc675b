import { createStack } from '../image/stack.js';
import type { Labels, Stack } from '../image/types.js';
import { flagNuclei, placeCells, type Draws } from './cell-layout.js';
import { exposeStains, paintStains, rasterise } from './cell-stains.js';
import { blurInPlace } from './noise.js';
import { normalRandom, seededRandom } from './random.js';
import type { SyntheticCellsOptions } from './cells-options.js';

export type { SyntheticCellsOptions } from './cells-options.js';

export interface SyntheticCells {
  /** uint16 channels `DNA`, `cytoplasm`, `signal`, like a typical 3-channel fluorescence image. */
  stack: Stack;
  /** Ground truth: nucleus `k` lies inside cell `k`. */
  nucleusLabels: Labels;
  cellLabels: Labels;
}

export interface SyntheticCells {
  /** uint16 channels `DNA`, `cytoplasm`, `signal`, like a typical 3-channel fluorescence image. */
  stack: Stack;
  /** Ground truth: nucleus `k` lies inside cell `k`. */
  nucleusLabels: Labels;
  cellLabels: Labels;
}

/**
 * A deterministic fluorescence-like image with known nuclei and cells, modelled on a
 * DNA / actin / PH3 stain of cultured cells (CellProfiler's ExampleHuman):
 *
 * - nuclei of varying size and eccentricity with chromatin texture, some dim, some with dark
 *   holes (nucleoli), a few touching a neighbour;
 * - cells in colonies and alone, with irregular non-convex outlines (random harmonics of the
 *   radius, split between neighbours), the cytoplasm stain brightest at the cell edge (cortical
 *   actin), textured with fibres and dimmer over the nucleus;
 * - a third, nuclear signal, low in most cells and bright in a few rounded-up mitotic cells;
 * - a point-spread blur, uneven illumination, camera offset, shot noise and read noise, as uint16.
 *
 * The labels are exactly what is drawn: every stained pixel of cell `k` carries label `k` in
 * `cellLabels`, and nucleus `k` lies wholly inside cell `k`.
 */
export function syntheticCells(options: SyntheticCellsOptions = {}): SyntheticCells {
  const width = options.width ?? 512;
  const height = options.height ?? 512;
  const random = seededRandom(options.seed ?? 1);
  const draws: Draws = {
    random,
    normal: normalRandom(random),
    uniform: (lo, hi) => lo + (hi - lo) * random(),
  };
  // The phases draw from one stream in this order, so the images stay bit for bit as they were.
  const cells = placeCells(options, width, height, draws);
  flagNuclei(cells, options, draws);
  const raster = rasterise(cells, width, height);
  const clean = paintStains(cells, raster, options, width, height);
  // the point-spread function
  for (const plane of clean) blurInPlace(plane, width, height, options.blurPx ?? 0.8);
  const channels = exposeStains(clean, options, draws, width, height);

  const pixelSize = options.pixelSizeUm ?? 0.65;
  return {
    stack: createStack(
      channels.map((data) => ({ width, height, data })),
      {
        channelNames: ['DNA', 'cytoplasm', 'signal'],
        pixelSizeUm: { x: pixelSize, y: pixelSize },
        sourceAxes: 'CYX',
      },
    ),
    nucleusLabels: { width, height, data: raster.nucleusLabels },
    cellLabels: { width, height, data: raster.cellLabels },
  };
}
