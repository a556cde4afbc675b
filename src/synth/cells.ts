import { createStack } from '../image/stack.js';
import type { Labels, Stack } from '../image/types.js';
import { blurInPlace, cameraReading, distanceToLabelBorder, valueNoise } from './noise.js';
import { normalRandom, seededRandom } from './random.js';
import {
  ANGLES,
  clamp,
  clippedBox,
  harmonics,
  keepConnectedToCentre,
  radiusAt,
  shuffled,
} from './shapes.js';

export interface SyntheticCellsOptions {
  /** @default 512 */
  width?: number;
  /** @default 512 */
  height?: number;
  /** Cells to place (fewer when they do not fit). @default 40 */
  cells?: number;
  /** Typical nucleus diameter in pixels; single nuclei vary about ±25 % around it. @default 18 */
  nucleusDiameterPx?: number;
  /** Physical pixel size written into the stack. @default 0.65 */
  pixelSizeUm?: number;
  /** @default 1 */
  seed?: number;
  /**
   * Fraction of nuclei drawn dim, at 25–40 % of the usual DNA brightness (weakly stained or
   * slightly out-of-focus nuclei: the ones a global threshold tends to miss). @default 0.15
   */
  dimNucleusFraction?: number;
  /**
   * Fraction of nuclei with one to three dark holes inside (nucleoli, weakly stained spots),
   * down to 20–50 % of the surrounding chromatin. They stay part of the nucleus in the ground
   * truth. @default 0.3
   */
  nucleusHoleFraction?: number;
  /**
   * Fraction of cells placed with their nucleus touching a neighbour's (0–1 px apart), as after
   * a division: the nuclei must be split apart. @default 0.1
   */
  touchingNucleusFraction?: number;
  /**
   * Fraction of cells placed in colonies, next to a cell already there (sharing borders), the
   * rest anywhere. @default 0.6
   */
  clustering?: number;
  /**
   * Fraction of cells bright in the `signal` channel, like mitotic PH3-positive cells: the signal
   * is nuclear and ~30× the other cells', their chromatin is condensed (a smaller, brighter
   * nucleus) and the cell rounds up (small, round, bright in the cytoplasm stain). The other
   * cells carry a low nuclear signal. @default 0.05
   */
  brightSignalFraction?: number;
  /**
   * How irregular cell outlines are: the amplitude of random harmonics (2nd–9th) of the cell's
   * radius, which make lobed, non-convex cells; 0 gives round cells clipped by their
   * neighbours. @default 1
   */
  cellIrregularity?: number;
  /**
   * What the `cytoplasm` channel stains. `cortical`: actin-like, brightest in a thin cortex at
   * the cell edge (a bright seam between touching cells) with stress fibres inside. `diffuse`: a
   * cytoplasm-filling stain (CellMask- or tubulin-like), brightest around the nucleus and fading
   * towards the cell edge (a dim valley between touching cells). Both are dimmer over the nucleus.
   * @default 'cortical'
   */
  cytoplasmStain?: 'cortical' | 'diffuse';
  /**
   * Uneven illumination: the relative drop of the excitation from the optical centre to the
   * farthest corner (vignetting), plus a gradient across the field a third as strong; 0 = flat.
   * @default 0.35
   */
  illuminationFalloff?: number;
  /** Camera offset (digital units added to every pixel). @default 100 */
  cameraOffset?: number;
  /**
   * Digital units per detected photon: the shot noise of a signal `s` has variance `gain · s`
   * (Poisson statistics); 0 = no shot noise. @default 2
   */
  gain?: number;
  /** Camera read noise, σ in digital units, on every pixel. @default 6 */
  readNoise?: number;
  /** σ (px) of the Gaussian point-spread function blurring the stained structures. @default 0.8 */
  blurPx?: number;
  /**
   * σ of the log-normal spread of nucleus sizes within the image (clipped at ±2.5σ); by default
   * sizes vary by σ 0.14, clipped to 0.75–1.3× the typical diameter.
   */
  nucleusSizeSpread?: number;
  /**
   * Fraction of nuclei with lobes (strong 2nd–4th harmonics of the outline), as in neutrophils
   * or deformed nuclei. @default 0
   */
  lobedNucleusFraction?: number;
  /**
   * Fraction of cells whose nucleus is not stained (out of the focal plane, or enucleated):
   * no DNA signal and no nucleus label; the cell keeps its label. @default 0
   */
  unstainedNucleusFraction?: number;
  /** Multiplies every stain before exposure: below 1 a dimmer, noisier image. @default 1 */
  brightness?: number;
  /**
   * DNA brightness of mitotic (condensed) nuclei relative to interphase ones; in 8-bit images
   * they are often saturated. @default 1.6
   */
  mitoticBrightness?: number;
  /**
   * Fraction of nuclei drawn tiny and faint: 0.3–0.6× the typical diameter at 10–50 % of the
   * usual DNA brightness (micronuclei, apoptotic bodies, small out-of-plane nuclei). They are
   * labelled. @default 0
   */
  tinyNucleusFraction?: number;
  /**
   * How far touching nuclei press into each other: up to this fraction of the smaller radius,
   * their shared border flattened, with a faint dip (0–50 %) along it; 0 sets them side by side
   * without sharing a pixel. @default 0
   */
  touchingOverlap?: number;
  /** Whether touching nuclei may form chains and clumps of three or more. @default false */
  touchingClusters?: boolean;
  /** Smallest distance (px) from a cell's centre to the image edge; nuclei closer are cut off. @default the nucleus diameter */
  edgeMarginPx?: number;
}

export interface SyntheticCells {
  /** uint16 channels `DNA`, `cytoplasm`, `signal`, like a typical 3-channel fluorescence image. */
  stack: Stack;
  /** Ground truth: nucleus `k` lies inside cell `k`. */
  nucleusLabels: Labels;
  cellLabels: Labels;
}

/** Peak levels (digital units above offset) before illumination falloff. */
const DNA_LEVEL = 3000;
const CYTOPLASM_LEVEL = 1100;
const SIGNAL_LEVEL = 3000;

interface Hole {
  y: number;
  x: number;
  radius: number;
  depth: number;
}

interface Cell {
  y: number;
  x: number;
  /** Radius of the nucleus outline at angle index a (star-shaped about y, x). */
  nucleus: Float32Array;
  /** Radius of the cell outline at angle index a, always beyond the nucleus. */
  outline: Float32Array;
  nucleusMax: number;
  outlineMax: number;
  /** Mean cell radius, for spacing. */
  size: number;
  mitotic: boolean;
  dna: number;
  holes: Hole[];
  cytoplasm: number;
  fibreCos: number;
  fibreSin: number;
  signal: number;
  /** How much darker the DNA is where this nucleus presses against a neighbour (0–1). */
  contactDip: number;
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
  const wanted = options.cells ?? 40;
  const diameter = options.nucleusDiameterPx ?? 18;
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  const normal = normalRandom(random);
  const uniform = (lo: number, hi: number): number => lo + (hi - lo) * random();
  const irregularity = options.cellIrregularity ?? 1;

  // Which of the wanted cells are mitotic and which join a neighbour with touching nuclei.
  const order = shuffled(wanted, random);
  const mitoticCount = Math.round((options.brightSignalFraction ?? 0.05) * wanted);
  const mitoticSet = new Set(order.slice(0, mitoticCount));
  const touchingCount = Math.round((options.touchingNucleusFraction ?? 0.1) * wanted);
  const touchingSet = new Set(
    order
      .slice(mitoticCount)
      .filter((i) => i > 0)
      .slice(0, touchingCount),
  );
  const clustering = options.clustering ?? 0.6;
  const tinyCount = Math.round((options.tinyNucleusFraction ?? 0) * wanted);
  const tinySet = new Set(order.slice(wanted - tinyCount).filter((i) => !mitoticSet.has(i)));
  const overlap = options.touchingOverlap ?? 0;
  const margin = options.edgeMarginPx ?? diameter;

  const makeCell = (mitotic: boolean, tiny: boolean): Cell => {
    // Nucleus: an ellipse of log-normal size and random eccentricity, its outline slightly wavy.
    const spread = options.nucleusSizeSpread;
    const sizeFactor =
      spread === undefined
        ? clamp(Math.exp(0.14 * normal()), 0.75, 1.3)
        : Math.exp(clamp(spread * normal(), -2.5 * spread, 2.5 * spread));
    const radius = tiny
      ? (diameter / 2) * uniform(0.3, 0.6)
      : (diameter / 2) * sizeFactor * (mitotic ? 0.72 : 1);
    const aspect = mitotic ? uniform(0.45, 0.8) : 1 - 0.4 * random() ** 1.5;
    const a = radius / Math.sqrt(aspect);
    const b = radius * Math.sqrt(aspect);
    const tilt = random() * Math.PI;
    // Only drawn when asked for, so the default images stay as they were.
    const lobedFraction = options.lobedNucleusFraction ?? 0;
    const lobed = !mitotic && lobedFraction > 0 && random() < lobedFraction;
    const nucleusWaves = harmonics(
      random,
      lobed ? [0, 0, 0.2, 0.16, 0.1] : [0, 0, 0.03, 0.025, 0.02],
    );
    // Cell: a mean radius with random harmonics, never closer than 3 px to the nucleus.
    const size = mitotic
      ? radius + uniform(4, 6)
      : (spread === undefined ? diameter : 2 * radius) *
        1.3 *
        clamp(Math.exp(0.15 * normal()), 0.75, 1.35);
    const scale = mitotic ? 0.15 * irregularity : irregularity;
    const cellWaves = harmonics(
      random,
      [0, 0, 0.16, 0.12, 0.09, 0.07, 0.05, 0.025, 0.02, 0.02].map((w) => w * scale),
    );
    const nucleus = new Float32Array(ANGLES);
    const outline = new Float32Array(ANGLES);
    let nucleusMax = 0;
    let outlineMax = 0;
    for (let k = 0; k < ANGLES; k++) {
      const theta = (2 * Math.PI * k) / ANGLES;
      const c = Math.cos(theta - tilt);
      const s = Math.sin(theta - tilt);
      nucleus[k] = ((a * b) / Math.hypot(b * c, a * s)) * (1 + nucleusWaves(theta));
      outline[k] = Math.max(size * (1 + cellWaves(theta)), nucleus[k] + 3);
      nucleusMax = Math.max(nucleusMax, nucleus[k]);
      outlineMax = Math.max(outlineMax, outline[k]);
    }
    const fibre = random() * Math.PI;
    return {
      y: 0,
      x: 0,
      nucleus,
      outline,
      nucleusMax,
      outlineMax,
      size,
      mitotic,
      dna: tiny
        ? uniform(0.1, 0.5)
        : uniform(0.75, 1.15) * (mitotic ? (options.mitoticBrightness ?? 1.6) : 1),
      holes: [],
      cytoplasm: mitotic ? uniform(1.5, 1.9) : uniform(0.55, 1.25),
      fibreCos: Math.cos(fibre),
      fibreSin: Math.sin(fibre),
      signal: mitotic ? uniform(0.75, 1.15) : uniform(0.01, 0.04),
      contactDip: 0,
    };
  };

  const cells: Cell[] = [];
  // The nuclei each nucleus touches (one partner, or a whole clump with touchingClusters).
  const clumpOf = new Map<Cell, Cell[]>();
  const fits = (cell: Cell, clump: Cell[] = []): boolean => {
    if (cell.y < margin || cell.y > height - margin) return false;
    if (cell.x < margin || cell.x > width - margin) return false;
    for (const other of cells) {
      if (clump.includes(other)) continue;
      const d = Math.hypot(other.y - cell.y, other.x - cell.x);
      if (d < cell.nucleusMax + other.nucleusMax + 5) return false;
      if (d < 0.62 * (cell.size + other.size)) return false;
    }
    return true;
  };
  for (let index = 0, attempt = 0; index < wanted && attempt < wanted * 50; attempt++) {
    const cell = makeCell(mitoticSet.has(index), tinySet.has(index));
    const touching = touchingSet.has(index);
    const free = touching
      ? cells.filter((c) => !c.mitotic && (options.touchingClusters || !clumpOf.has(c)))
      : cells;
    const anchor = free.length > 0 ? free[Math.floor(random() * free.length)] : undefined;
    if (touching && anchor) {
      const phi = random() * 2 * Math.PI;
      const reachA = radiusAt(anchor.nucleus, phi);
      const reachB = radiusAt(cell.nucleus, phi + Math.PI);
      let distance = reachA + reachB;
      const place = (): void => {
        cell.y = anchor.y + distance * Math.sin(phi);
        cell.x = anchor.x + distance * Math.cos(phi);
      };
      const clump = [anchor, ...(clumpOf.get(anchor) ?? [])];
      if (overlap > 0) {
        // Pressed together: the nuclei share a flattened border (each pixel goes to the nucleus
        // it lies deeper in), often a little darker.
        distance -= overlap * Math.min(reachA, reachB) * random();
        place();
        cell.contactDip = uniform(0, 0.5);
        if (clump.some((c) => c !== anchor && nucleiOverlap(c, cell))) continue;
      } else {
        // Side by side: back off until no pixel is in both.
        place();
        for (let step = 0; step < 20 && nucleiOverlap(anchor, cell); step++) {
          distance += 0.5;
          place();
        }
        if (nucleiOverlap(anchor, cell)) continue;
      }
      if (!fits(cell, clump)) continue;
      for (const member of clump) clumpOf.set(member, [...(clumpOf.get(member) ?? []), cell]);
      clumpOf.set(cell, clump);
    } else if (anchor && random() < clustering) {
      const phi = random() * 2 * Math.PI;
      const distance =
        (radiusAt(anchor.outline, phi) + radiusAt(cell.outline, phi + Math.PI)) *
        uniform(0.75, 0.95);
      cell.y = anchor.y + distance * Math.sin(phi);
      cell.x = anchor.x + distance * Math.cos(phi);
      if (!fits(cell)) continue;
    } else {
      cell.y = margin + random() * (height - 2 * margin);
      cell.x = margin + random() * (width - 2 * margin);
      if (!fits(cell)) continue;
    }
    cells.push(cell);
    index++;
  }

  // Dim nuclei and nuclei with holes, among the interphase cells.
  const interphase = shuffled(cells.length, random).filter((k) => !cells[k].mitotic);
  const dimCount = Math.round((options.dimNucleusFraction ?? 0.15) * cells.length);
  for (const k of interphase.slice(0, dimCount)) cells[k].dna = uniform(0.25, 0.4);
  const unstainedCount = Math.round((options.unstainedNucleusFraction ?? 0) * cells.length);
  for (const k of interphase.slice(dimCount, dimCount + unstainedCount)) cells[k].dna = 0;
  const holeCount = Math.round((options.nucleusHoleFraction ?? 0.3) * cells.length);
  for (const k of shuffled(interphase.length, random).slice(0, holeCount)) {
    const cell = cells[interphase[k]];
    const holes = 1 + Math.floor(random() * 3);
    for (let h = 0; h < holes; h++) {
      const phi = random() * 2 * Math.PI;
      const reach = radiusAt(cell.nucleus, phi);
      const radius = reach * uniform(0.12, 0.22);
      const r = (reach - 2.5 * radius) * Math.sqrt(random());
      cell.holes.push({
        y: cell.y + Math.max(0, r) * Math.sin(phi),
        x: cell.x + Math.max(0, r) * Math.cos(phi),
        radius,
        depth: uniform(0.5, 0.8),
      });
    }
  }

  // Rasterise: each pixel goes to the cell where it lies relatively deepest, measured from the
  // nucleus outline (0) to the cell outline (1); nucleus pixels (< 0) always go to their own cell.
  const n = width * height;
  const owner = new Uint32Array(n);
  const depth = new Float32Array(n).fill(Infinity);
  const nuclear = new Float32Array(n); // distance from the centre / nucleus radius, for the owner
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

  const contactDim = overlap > 0 ? contactDimming(nucleusLabels, width, height, cells) : undefined;

  // Paint the stains without noise, blur them with the point-spread function, then expose.
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
  const blur = options.blurPx ?? 0.8;
  for (const plane of [dnaClean, cytoplasmClean, signalClean])
    blurInPlace(plane, width, height, blur);

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

/** Whether any pixel lies inside both nuclei. */
function nucleiOverlap(a: Cell, b: Cell): boolean {
  const reach = b.nucleusMax + 1;
  for (let y = Math.floor(b.y - reach); y <= Math.ceil(b.y + reach); y++) {
    for (let x = Math.floor(b.x - reach); x <= Math.ceil(b.x + reach); x++) {
      const inside = (c: Cell): boolean =>
        Math.hypot(y - c.y, x - c.x) <= radiusAt(c.nucleus, Math.atan2(y - c.y, x - c.x));
      if (inside(a) && inside(b)) return true;
    }
  }
  return false;
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
