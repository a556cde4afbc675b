import type { SyntheticCellsOptions } from './cells-options.js';
import { ANGLES, clamp, harmonics, radiusAt, shuffled } from './shapes.js';

// The first phases of syntheticCells: place the cells, then flag some nuclei (dim, unstained,
// with holes). Every draw comes from one seeded stream, in the order the phases run.

/** The seeded stream every phase draws from. */
export interface Draws {
  random: () => number;
  normal: () => number;
  uniform: (lo: number, hi: number) => number;
}

export interface Hole {
  y: number;
  x: number;
  radius: number;
  depth: number;
}

export interface Cell {
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

/** What makeCell needs of the options, resolved once. */
interface CellShape {
  options: SyntheticCellsOptions;
  diameter: number;
  irregularity: number;
}

function makeCell(
  { options, diameter, irregularity }: CellShape,
  { random, normal, uniform }: Draws,
  mitotic: boolean,
  tiny: boolean,
): Cell {
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
}

/** Places up to `options.cells` cells: alone, in colonies, or with touching nuclei. */
export function placeCells(
  options: SyntheticCellsOptions,
  width: number,
  height: number,
  draws: Draws,
): Cell[] {
  const { random, uniform } = draws;
  const wanted = options.cells ?? 40;
  const diameter = options.nucleusDiameterPx ?? 18;
  const shape = { options, diameter, irregularity: options.cellIrregularity ?? 1 };
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
    const cell = makeCell(shape, draws, mitoticSet.has(index), tinySet.has(index));
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
  return cells;
}

/** Dims some interphase nuclei, leaves some unstained, and gives some dark holes (nucleoli). */
export function flagNuclei(cells: Cell[], options: SyntheticCellsOptions, draws: Draws): void {
  const { random, uniform } = draws;
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
