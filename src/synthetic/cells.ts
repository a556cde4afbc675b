import { createStack } from '../image/stack.js';
import type { Labels, Stack } from '../image/types.js';
import { normalRandom, seededRandom } from './random.js';

export interface SyntheticCellsOptions {
  /** @default 512 */
  width?: number;
  /** @default 512 */
  height?: number;
  /** Cells to place (fewer when they do not fit). @default 40 */
  cells?: number;
  /** Typical nucleus diameter in pixels. @default 18 */
  nucleusDiameterPx?: number;
  /** Physical pixel size written into the stack. @default 0.65 */
  pixelSizeUm?: number;
  /** @default 1 */
  seed?: number;
}

export interface SyntheticCells {
  /** uint16 channels `DNA`, `cytoplasm`, `signal`, like a typical 3-channel fluorescence image. */
  stack: Stack;
  /** Ground truth: nucleus `k` lies inside cell `k`. */
  nucleusLabels: Labels;
  cellLabels: Labels;
}

/**
 * A deterministic fluorescence-like image with known nuclei and cells: elliptical nuclei with
 * texture, cytoplasm filling the Voronoi region of each nucleus up to a cell radius, a third
 * signal whose level differs per cell, camera offset and noise.
 */
export function syntheticCells(options: SyntheticCellsOptions = {}): SyntheticCells {
  const width = options.width ?? 512;
  const height = options.height ?? 512;
  const diameter = options.nucleusDiameterPx ?? 18;
  const random = seededRandom(options.seed ?? 1);
  const normal = normalRandom(random);
  const cellRadius = diameter * 1.3;

  interface Cell {
    y: number;
    x: number;
    a: number;
    b: number;
    angle: number;
    dna: number;
    signal: number;
  }
  const cells: Cell[] = [];
  const spacing = cellRadius * 1.25; // close enough that some cells touch
  for (
    let attempt = 0;
    attempt < (options.cells ?? 40) * 50 && cells.length < (options.cells ?? 40);
    attempt++
  ) {
    const y = diameter + random() * (height - 2 * diameter);
    const x = diameter + random() * (width - 2 * diameter);
    if (cells.some((c) => Math.hypot(c.y - y, c.x - x) < spacing)) continue;
    const size = (diameter / 2) * (0.8 + 0.4 * random());
    cells.push({
      y,
      x,
      a: size * (1 + 0.3 * random()),
      b: size * (0.8 + 0.2 * random()),
      angle: random() * Math.PI,
      dna: 0.6 + 0.4 * random(),
      signal: 0.1 + 0.9 * random(),
    });
  }

  const n = width * height;
  const nucleusLabels = new Uint32Array(n);
  const cellLabels = new Uint32Array(n);
  const dna = new Uint16Array(n);
  const cytoplasm = new Uint16Array(n);
  const signal = new Uint16Array(n);
  const offset = 100;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      // Nearest nucleus centre owns the pixel (a Voronoi split between touching cells).
      let best = -1;
      let bestDistance = Infinity;
      for (let k = 0; k < cells.length; k++) {
        const d = Math.hypot(cells[k].y - y, cells[k].x - x);
        if (d < bestDistance) {
          bestDistance = d;
          best = k;
        }
      }
      let d = 0;
      let c = 0;
      let s = 0;
      if (best >= 0 && bestDistance <= cellRadius) {
        const cell = cells[best];
        const cos = Math.cos(cell.angle);
        const sin = Math.sin(cell.angle);
        const u = ((x - cell.x) * cos + (y - cell.y) * sin) / cell.a;
        const v = (-(x - cell.x) * sin + (y - cell.y) * cos) / cell.b;
        const r = Math.hypot(u, v);
        cellLabels[i] = best + 1;
        c = 900 * (1 - 0.5 * (bestDistance / cellRadius));
        s = 1500 * cell.signal;
        if (r <= 1) {
          nucleusLabels[i] = best + 1;
          d = 3000 * cell.dna * (0.85 + 0.15 * Math.cos(7 * u) * Math.cos(5 * v));
          c *= 0.35;
          s *= 0.6;
        } else if (r < 1.25) {
          d = 3000 * cell.dna * 0.5 * (1.25 - r) * 4 * 0.25; // a soft rim, below half-maximum
        }
      }
      dna[i] = clampU16(offset + d + 25 * normal());
      cytoplasm[i] = clampU16(offset + c + 25 * normal());
      signal[i] = clampU16(offset + s + 25 * normal());
    }
  }
  const pixelSize = options.pixelSizeUm ?? 0.65;
  return {
    stack: createStack(
      [dna, cytoplasm, signal].map((data) => ({ width, height, data })),
      {
        channelNames: ['DNA', 'cytoplasm', 'signal'],
        pixelSizeUm: { x: pixelSize, y: pixelSize },
        sourceAxes: 'CYX',
      },
    ),
    nucleusLabels: { width, height, data: nucleusLabels },
    cellLabels: { width, height, data: cellLabels },
  };
}

function clampU16(value: number): number {
  return Math.max(0, Math.min(65535, Math.round(value)));
}
