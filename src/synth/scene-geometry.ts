import { ANGLES, clippedBox, harmonics, keepConnectedToCentre, radiusAt } from './shapes.js';

/** A thin cell process (neurite, filopodium) as a path of disc centres with tapering widths. */
export interface CellProcess {
  /** (y, x) pairs, one per pixel step. */
  points: number[];
  /** Full width (px) at each point. */
  widths: number[];
}

/** One cell of a scene: a star-shaped body, an elliptical nucleus inside it, and processes. */
export interface SceneCell {
  y: number;
  x: number;
  /** Body radius at angle index a (star-shaped about y, x). */
  outline: Float32Array;
  outlineMax: number;
  /** Nucleus: an ellipse with semi-axes a ≥ b, centred at (y + ny, x + nx), tilted. */
  nucleus: { ny: number; nx: number; a: number; b: number; tilt: number };
  processes: CellProcess[];
}

export interface CellShapeOptions {
  /** Mean body radius (px). */
  radius: number;
  /** Amplitude of the outline's random harmonics: 0 round, 1 lobed. */
  irregularity: number;
  /** Extra amplitude in the high harmonics (10th–24th): ruffled lamellipodial edges. */
  ruffle: number;
  /** Nucleus radius as a fraction of the body radius. */
  nucleusRatio: number;
  /** How far the nucleus sits off the body centre, as a fraction of the free room. */
  nucleusOffset: number;
}

/** A body outline and nucleus drawn at random, centred at the origin (placed later). */
export function drawCellShape(random: () => number, options: CellShapeOptions): SceneCell {
  const { radius, irregularity, ruffle } = options;
  const low = harmonics(
    random,
    [0, 0, 0.16, 0.12, 0.09, 0.07, 0.05, 0.025].map((w) => w * irregularity),
  );
  const high = harmonics(
    random,
    Array.from({ length: 25 }, (_, m) => (m >= 10 ? (0.5 * ruffle) / m : 0)),
  );
  const outline = new Float32Array(ANGLES);
  let outlineMax = 0;
  for (let k = 0; k < ANGLES; k++) {
    const theta = (2 * Math.PI * k) / ANGLES;
    outline[k] = Math.max(2, radius * (1 + low(theta) + high(theta)));
    outlineMax = Math.max(outlineMax, outline[k]);
  }
  let inner = Infinity;
  for (const r of outline) inner = Math.min(inner, r);
  const nucleusRadius = Math.max(1.5, Math.min(options.nucleusRatio * radius, 0.85 * inner));
  const aspect = 1 - 0.45 * random() ** 1.5;
  const room = Math.max(0, inner - nucleusRadius / Math.sqrt(aspect) - 1);
  const phi = 2 * Math.PI * random();
  const shift = room * options.nucleusOffset * random();
  return {
    y: 0,
    x: 0,
    outline,
    outlineMax,
    nucleus: {
      ny: shift * Math.sin(phi),
      nx: shift * Math.cos(phi),
      a: nucleusRadius / Math.sqrt(aspect),
      b: nucleusRadius * Math.sqrt(aspect),
      tilt: Math.PI * random(),
    },
    processes: [],
  };
}

export interface ProcessOptions {
  /** Path length (px). */
  length: number;
  /** Width at the base (px); it tapers to `tipWidth`. */
  baseWidth: number;
  tipWidth: number;
  /** σ (radians) of the direction's random turn per pixel: 0 straight. */
  wiggle: number;
  /** Chance that the path forks once, part way along. */
  branching: number;
}

/**
 * Grows one process from the body's edge at angle `theta`, as a persistent random walk; a fork
 * adds a thinner side branch. Neurites of cultured neurons, filopodia of macrophages.
 */
export function growProcess(
  random: () => number,
  normal: () => number,
  cell: SceneCell,
  theta: number,
  options: ProcessOptions,
): CellProcess[] {
  const start = 0.85 * radiusAt(cell.outline, theta);
  const walk = (
    y: number,
    x: number,
    angle: number,
    length: number,
    base: number,
    tip: number,
  ): CellProcess => {
    const points: number[] = [];
    const widths: number[] = [];
    for (let s = 0; s < length; s++) {
      points.push(y, x);
      widths.push(base + (tip - base) * (s / Math.max(1, length - 1)));
      angle += options.wiggle * normal();
      y += Math.sin(angle);
      x += Math.cos(angle);
    }
    return { points, widths };
  };
  const main = walk(
    cell.y + start * Math.sin(theta),
    cell.x + start * Math.cos(theta),
    theta,
    Math.round(options.length),
    options.baseWidth,
    options.tipWidth,
  );
  const out = [main];
  const steps = main.widths.length;
  if (steps > 12 && random() < options.branching) {
    const at = Math.floor(steps * (0.3 + 0.4 * random()));
    const [y0, x0] = [main.points[2 * at], main.points[2 * at + 1]];
    const [y1, x1] = [main.points[2 * at + 2], main.points[2 * at + 3]];
    const side = (random() < 0.5 ? -1 : 1) * (0.3 + 0.6 * random());
    out.push(
      walk(
        y0,
        x0,
        Math.atan2(y1 - y0, x1 - x0) + side,
        Math.round((steps - at) * (0.3 + 0.4 * random())),
        Math.max(options.tipWidth, 0.7 * main.widths[at]),
        options.tipWidth,
      ),
    );
  }
  return out;
}

export interface SceneGeometry {
  /** Cell label of each pixel (1-based index into the cells), 0 background. */
  owner: Uint32Array;
  /** Relative depth in the body: 0 at the centre, 1 at the outline; 1 on processes. */
  depth: Float32Array;
  /** 1 where the pixel belongs to a process rather than the body. */
  process: Uint8Array;
  /** Nucleus label of each pixel (the owning cell's label), 0 elsewhere. */
  nuclei: Uint32Array;
}

/**
 * Rasterises the placed cells. Each body pixel goes to the cell where it lies relatively
 * deepest, so overlapping bodies share a border like packed tissue; processes then claim only
 * background pixels and stop where they run into another cell (annotators draw a process as
 * part of its cell, never across a neighbour). Each cell is kept as the one piece that holds its
 * centre, and its nucleus is the part of its ellipse inside it.
 */
export function rasterizeScene(cells: SceneCell[], width: number, height: number): SceneGeometry {
  const n = width * height;
  const owner = new Uint32Array(n);
  const depth = new Float32Array(n).fill(Infinity);
  cells.forEach((cell, k) => {
    const [y0, y1, x0, x1] = clippedBox(cell.y, cell.x, cell.outlineMax, width, height);
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const d = Math.hypot(y - cell.y, x - cell.x);
        if (d > cell.outlineMax) continue;
        const t = d / radiusAt(cell.outline, Math.atan2(y - cell.y, x - cell.x));
        const i = y * width + x;
        if (t <= 1 && t < depth[i]) {
          depth[i] = t;
          owner[i] = k + 1;
        }
      }
    }
  });
  const process = new Uint8Array(n);
  const bodies = owner.slice();
  cells.forEach((cell, k) => {
    for (const path of cell.processes) {
      for (let s = 0; s < path.widths.length; s++) {
        const [cy, cx, r] = [path.points[2 * s], path.points[2 * s + 1], path.widths[s] / 2];
        if (!stampProcess(owner, bodies, process, width, height, cy, cx, r, k + 1)) break;
      }
    }
  });
  keepConnectedToCentre(owner, width, height, cells);
  const nuclei = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (owner[i] === 0) {
      // Background again where keepConnectedToCentre cut a piece off.
      process[i] = 0;
      depth[i] = Infinity;
      continue;
    }
    if (process[i]) {
      depth[i] = 1;
      continue;
    }
    const cell = cells[owner[i] - 1];
    const { ny, nx, a, b, tilt } = cell.nucleus;
    const dy = Math.floor(i / width) - (cell.y + ny);
    const dx = (i % width) - (cell.x + nx);
    const u = dx * Math.cos(tilt) + dy * Math.sin(tilt);
    const v = -dx * Math.sin(tilt) + dy * Math.cos(tilt);
    if ((u / a) ** 2 + (v / b) ** 2 <= 1) nuclei[i] = owner[i];
  }
  return { owner, depth, process, nuclei };
}

/** Claims the background pixels of one disc for `label`; false where it hits another cell. */
function stampProcess(
  owner: Uint32Array,
  bodies: Uint32Array,
  process: Uint8Array,
  width: number,
  height: number,
  cy: number,
  cx: number,
  radius: number,
  label: number,
): boolean {
  if (cy < 0 || cy >= height || cx < 0 || cx >= width) return false;
  const r = Math.max(0.5, radius);
  const [y0, y1, x0, x1] = clippedBox(cy, cx, r, width, height);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      if ((y - cy) ** 2 + (x - cx) ** 2 > r * r + 0.25) continue;
      if (owner[i] !== 0 && owner[i] !== label) return false;
      if (bodies[i] === 0) {
        owner[i] = label;
        process[i] = 1;
      }
    }
  }
  return true;
}
