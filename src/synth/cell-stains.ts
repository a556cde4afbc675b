import type { SyntheticCellsOptions } from './cells-options.js';
import type { Cell, Draws } from './cell-layout.js';
import { cameraReading, distanceToLabelBorder, valueNoise } from './noise.js';
import { clippedBox, keepConnectedToCentre, radiusAt } from './shapes.js';

// The last phases of syntheticCells: rasterise the outlines into labels, paint the stains
// without noise, and expose them through uneven illumination and a camera.

/** Peak levels (digital units above offset) before illumination falloff. */
const DNA_LEVEL = 3000;
const CYTOPLASM_LEVEL = 1100;
const SIGNAL_LEVEL = 3000;

/** The labels, and per pixel where it lies in its cell, for the painting. */
export interface Raster {
  cellLabels: Uint32Array;
  nucleusLabels: Uint32Array;
  /** 0 on the nucleus outline, 1 on the cell outline, ≤ 0 inside the nucleus. */
  depth: Float32Array;
  /** Distance from the centre / nucleus radius, for the owner. */
  nuclear: Float32Array;
}

export function rasterise(cells: Cell[], width: number, height: number): Raster {
  // Rasterise: each pixel goes to the cell where it lies relatively deepest, measured from the
  // nucleus outline (0) to the cell outline (1); nucleus pixels (< 0) always go to their own cell.
  const n = width * height;
  const owner = new Uint32Array(n);
  const depth = new Float32Array(n).fill(Infinity);
  const nuclear = new Float32Array(n);
  cells.forEach((cell, k) => {
    const [y0, y1, x0, x1] = clippedBox(cell.y, cell.x, cell.outlineMax, width, height);
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const dy = y - cell.y;
        const dx = x - cell.x;
        const d = Math.sqrt(dy * dy + dx * dx);
        if (d > cell.outlineMax) continue;
        const phi = Math.atan2(dy, dx);
        const edge = radiusAt(cell.outline, phi);
        if (d > edge) continue;
        const rim = radiusAt(cell.nucleus, phi);
        const t = (d - rim) / (edge - rim);
        const i = y * width + x;
        if (t < depth[i]) {
          depth[i] = t;
          owner[i] = k + 1;
          nuclear[i] = d / rim;
        }
      }
    }
  });
  keepConnectedToCentre(owner, width, height, cells);

  const nucleusLabels = new Uint32Array(n);
  const cellLabels = owner;
  for (let i = 0; i < n; i++) {
    if (owner[i] !== 0 && depth[i] <= 0 && cells[owner[i] - 1].dna > 0) nucleusLabels[i] = owner[i];
  }
  return { cellLabels, nucleusLabels, depth, nuclear };
}

/** The three stains without noise or blur: DNA, cytoplasm (actin) and the nuclear signal. */
export function paintStains(
  cells: Cell[],
  { cellLabels, nucleusLabels, depth, nuclear }: Raster,
  options: SyntheticCellsOptions,
  width: number,
  height: number,
): [Float32Array, Float32Array, Float32Array] {
  const seed = options.seed ?? 1;
  const n = width * height;
  const overlap = options.touchingOverlap ?? 0;
  const contactDim = overlap > 0 ? contactDimming(nucleusLabels, width, height, cells) : undefined;

  const stain = options.cytoplasmStain ?? 'cortical';
  const border = distanceToLabelBorder(cellLabels, width, height);
  const chromatin = valueNoise(seed * 7 + 1);
  const clumps = valueNoise(seed * 7 + 2);
  const fibres = valueNoise(seed * 7 + 3);
  const speckle = valueNoise(seed * 7 + 4);
  const dnaClean = new Float32Array(n);
  const cytoplasmClean = new Float32Array(n);
  const signalClean = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const label = cellLabels[i];
      if (label === 0) continue;
      const cell = cells[label - 1];
      const inNucleus = depth[i] <= 0;
      let texture: number;
      if (cell.mitotic) {
        texture = 0.8 + 0.45 * chromatin(x / 1.6, y / 1.6) + 0.2 * clumps(x / 3, y / 3);
      } else {
        texture = 1 + 0.16 * chromatin(x / 2.2, y / 2.2) + 0.1 * clumps(x / 5, y / 5);
      }
      if (inNucleus) {
        const r = nuclear[i];
        let level = cell.dna * texture * (0.82 + 0.18 * Math.sqrt(Math.max(0, 1 - r * r)));
        for (const hole of cell.holes) {
          const h2 = ((y - hole.y) ** 2 + (x - hole.x) ** 2) / (hole.radius * hole.radius);
          if (h2 < 9) level *= 1 - hole.depth * Math.exp(-0.5 * h2 * h2);
        }
        if (contactDim) level *= 1 - contactDim[i];
        dnaClean[i] = DNA_LEVEL * level;
        signalClean[i] = SIGNAL_LEVEL * cell.signal * Math.max(0.2, texture);
      } else {
        signalClean[i] = SIGNAL_LEVEL * cell.signal * 0.12;
      }
      // Actin: a bright cortex at the cell edge, stress fibres along one direction, speckle;
      // thinner over the nucleus.
      let actin: number;
      if (stain === 'diffuse') {
        const t = Math.max(0, depth[i]);
        actin = cell.mitotic ? 1 : 0.3 + 0.7 * (1 - t) ** 0.8;
      } else {
        const u = (x * cell.fibreCos + y * cell.fibreSin) / 1.3;
        const v = (-x * cell.fibreSin + y * cell.fibreCos) / 9;
        const fibre = Math.max(0, fibres(u, v));
        const cortex = Math.exp(-border[i] / 1.6);
        actin = cell.mitotic
          ? 0.75 + 0.9 * cortex
          : 0.32 + 0.45 * fibre * fibre + 0.95 * cortex + 0.1 * Math.max(0, clumps(x / 12, y / 12));
      }
      actin *= 1 + 0.2 * speckle(x / 1.5, y / 1.5);
      if (inNucleus) actin *= cell.mitotic ? 0.8 : 0.4; // a rounded cell's cortex lies over it
      cytoplasmClean[i] = CYTOPLASM_LEVEL * cell.cytoplasm * actin;
    }
  }
  return [dnaClean, cytoplasmClean, signalClean];
}

/** Uneven illumination, background, shot noise and read noise: the uint16 camera readings. */
export function exposeStains(
  clean: [Float32Array, Float32Array, Float32Array],
  options: SyntheticCellsOptions,
  draws: Draws,
  width: number,
  height: number,
): [Uint16Array, Uint16Array, Uint16Array] {
  const { random, normal, uniform } = draws;
  const seed = options.seed ?? 1;
  const n = width * height;
  const [dnaClean, cytoplasmClean, signalClean] = clean;
  // Excitation falls off from an off-centre optical axis, with a gradient across the field.
  const falloff = options.illuminationFalloff ?? 0.35;
  const cy = height * uniform(0.35, 0.65);
  const cx = width * uniform(0.35, 0.65);
  const farthest = Math.max(
    Math.hypot(cy, cx),
    Math.hypot(cy, width - cx),
    Math.hypot(height - cy, cx),
    Math.hypot(height - cy, width - cx),
  );
  const tilt = random() * 2 * Math.PI;
  const gy = (Math.sin(tilt) * falloff) / 3 / Math.max(width, height);
  const gx = (Math.cos(tilt) * falloff) / 3 / Math.max(width, height);
  const haze = valueNoise(seed * 7 + 5);
  const offset = options.cameraOffset ?? 100;
  const gain = options.gain ?? 2;
  const readNoise = options.readNoise ?? 6;
  const brightness = options.brightness ?? 1;
  const camera = { offset, gain, readNoise };
  const expose = (clean: number): number => cameraReading(clean * brightness, camera, normal);
  const dna = new Uint16Array(n);
  const cytoplasm = new Uint16Array(n);
  const signal = new Uint16Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const r2 = ((y - cy) ** 2 + (x - cx) ** 2) / (farthest * farthest);
      const light = (1 - falloff * r2) * (1 + (y - height / 2) * gy + (x - width / 2) * gx);
      // Autofluorescence and out-of-focus background, slowly varying.
      const background = 1 + 0.3 * haze(x / 80, y / 80);
      dna[i] = expose(light * (dnaClean[i] + 12 * background));
      cytoplasm[i] = expose(light * (cytoplasmClean[i] + 35 * background));
      signal[i] = expose(light * (signalClean[i] + 8 * background));
    }
  }
  return [dna, cytoplasm, signal];
}

/** The DNA dimming of each nucleus pixel next to another nucleus: the pair's larger contactDip. */
function contactDimming(
  nuclei: Uint32Array,
  width: number,
  height: number,
  cells: Cell[],
): Float32Array {
  const dim = new Float32Array(nuclei.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const label = nuclei[y * width + x];
      if (label === 0) continue;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const [yy, xx] = [y + dy, x + dx];
          if (yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
          const other = nuclei[yy * width + xx];
          if (other === 0 || other === label) continue;
          const dip = Math.max(cells[label - 1].contactDip, cells[other - 1].contactDip);
          dim[y * width + x] = Math.max(dim[y * width + x], dip);
        }
      }
    }
  }
  return dim;
}
