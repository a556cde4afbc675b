import { createStack } from '../image/stack.js';
import type { Labels, Stack } from '../image/types.js';
import { blurInPlace, cameraReading, distanceToLabelBorder, valueNoise } from './noise.js';
import { normalRandom, seededRandom } from './random.js';
import {
  drawCellShape,
  growProcess,
  rasterizeScene,
  type ProcessOptions,
  type SceneCell,
} from './scene-geometry.js';
import { clamp } from './shapes.js';

/**
 * The kinds of sample a whole-cell model meets, each with its own look:
 * - `culture`: cultured cells (Drosophila S2, HeLa) with a diffuse or cortical cytoplasm stain;
 * - `spread`: large flat cells with ruffled lamellipodia and filopodia (macrophages), the stain
 *   dim over the thin lamella;
 * - `neurons`: small somata with long, thin, branching neurites that belong to their cell;
 * - `tissue-rim`: packed tissue where a sparse marker stains a thin cytoplasm rim in some cells;
 * - `tissue-membrane`: packed tissue with a membrane stain (bright borders, dark interiors), with
 *   or without a nuclear stain.
 */
export const SCENE_KINDS = [
  'culture',
  'spread',
  'neurons',
  'tissue-rim',
  'tissue-membrane',
] as const;
export type SceneKind = (typeof SCENE_KINDS)[number];

type Stain = 'diffuse' | 'cortical' | 'membrane' | 'surface' | 'rim';

export interface CellSceneOptions {
  seed: number;
  kind: SceneKind;
  /** Square image side (px). @default 256 */
  size?: number;
  /** Median cell diameter the scene is drawn at (px); single cells vary 0.5–3× around it. @default 30 */
  cellDiameterPx?: number;
}

export interface CellScene {
  /** uint16 channels `cytoplasm`, `DNA` (all camera offset and noise where a scene has no nuclear stain). */
  stack: Stack;
  cellLabels: Labels;
  nucleusLabels: Labels;
  /** Whether the DNA channel holds a nuclear stain. */
  nuclearStain: boolean;
  /** The settings drawn for this scene, for the record. */
  settings: Record<string, number | string | boolean>;
}

/** Peak levels (digital units above the camera offset) before the per-cell brightness. */
const CYTOPLASM_LEVEL = 1100;
const DNA_LEVEL = 3000;

/**
 * A generated image of whole cells that looks like what a bioimage analyst brings: cytoplasm
 * stains that are dim, patchy and grainy; brightness that differs 10–100× between neighbours;
 * haze and out-of-focus cells; flat spread cells and long processes drawn as part of their cell;
 * membrane-only and thin-rim tissue stains; cell sizes 0.5–3× the median. Every setting is drawn
 * from the seed within the kind's ranges. The labels are exactly what is drawn.
 */
export function cellScene(options: CellSceneOptions): CellScene {
  const size = options.size ?? 256;
  const diameter = options.cellDiameterPx ?? 30;
  const random = seededRandom(0x5eed ^ Math.imul(options.seed, 2654435761));
  const normal = normalRandom(random);
  const uniform = (lo: number, hi: number): number => lo + (hi - lo) * random();
  const chance = (p: number): boolean => random() < p;
  const logUniform = (lo: number, hi: number): number =>
    Math.exp(uniform(Math.log(lo), Math.log(hi)));
  const kind = options.kind;
  const tissue = kind === 'tissue-rim' || kind === 'tissue-membrane';

  // Sizes: a log-normal spread around the median, clipped to 0.5–3×.
  const sizeSpread = kind === 'neurons' ? uniform(0.08, 0.25) : uniform(0.1, 0.45);
  // Neuron somata are small, but with their neurites their area matches the median diameter.
  const bodyScale = kind === 'neurons' ? uniform(0.7, 1.05) : kind === 'spread' ? 1.1 : 1;
  const coverage = tissue ? 1 : kind === 'neurons' ? uniform(0.04, 0.2) : uniform(0.12, 0.75);
  const stain: Stain = {
    culture: chance(0.7) ? 'diffuse' : 'cortical',
    spread: chance(0.6) ? 'surface' : 'diffuse',
    neurons: 'diffuse',
    'tissue-rim': 'rim',
    'tissue-membrane': 'membrane',
  }[kind] as Stain;
  const nuclearStain = kind !== 'tissue-membrane' || chance(0.55);
  const shape = {
    irregularity:
      kind === 'spread' ? uniform(0.6, 1.6) : tissue ? uniform(0.2, 0.7) : uniform(0.2, 1.2),
    ruffle: kind === 'spread' ? uniform(0.3, 1) : kind === 'culture' ? uniform(0, 0.3) : 0,
    nucleusRatio: {
      culture: uniform(0.35, 0.6),
      spread: uniform(0.2, 0.35),
      neurons: uniform(0.5, 0.7),
      'tissue-rim': uniform(0.6, 0.8),
      'tissue-membrane': uniform(0.4, 0.65),
    }[kind],
    nucleusOffset: kind === 'spread' ? 0.8 : 0.4,
  };
  // Tissue bodies overlap their neighbours, so rasterising packs them into a tessellation.
  const overlap = tissue ? uniform(1.25, 1.45) : 1;
  const meanArea = Math.PI * ((bodyScale * diameter) / 2) ** 2 * Math.exp(2 * sizeSpread ** 2);
  const wanted = Math.max(1, Math.round((coverage * size * size) / meanArea));
  const clustering = tissue ? 1 : uniform(0, 0.85);

  const cells: SceneCell[] = [];
  const spacing: number[] = [];
  for (let attempt = 0; cells.length < wanted && attempt < wanted * 40; attempt++) {
    const factor = clamp(Math.exp(sizeSpread * normal()), 0.5, 3);
    const radius = (bodyScale * diameter * factor) / 2;
    // The nucleus is sized against the visible cell, not the overlapping body.
    const cell = drawCellShape(random, {
      ...shape,
      nucleusRatio: shape.nucleusRatio / overlap,
      radius: radius * overlap,
    });
    const anchor =
      cells.length > 0 && chance(clustering) ? Math.floor(random() * cells.length) : -1;
    if (anchor >= 0) {
      const phi = 2 * Math.PI * random();
      const distance = (spacing[anchor] + radius) * uniform(0.9, 1.1);
      cell.y = cells[anchor].y + distance * Math.sin(phi);
      cell.x = cells[anchor].x + distance * Math.cos(phi);
    } else {
      cell.y = uniform(0, size);
      cell.x = uniform(0, size);
    }
    if (cell.y < 1 || cell.y > size - 2 || cell.x < 1 || cell.x > size - 2) continue;
    const crowded = cells.some(
      (other, k) => Math.hypot(other.y - cell.y, other.x - cell.x) < 0.85 * (spacing[k] + radius),
    );
    if (crowded) continue;
    cells.push(cell);
    spacing.push(radius);
  }

  // Processes: neurites of neurons, filopodia of spread and some cultured cells.
  const filopodia =
    kind === 'spread' ? uniform(0.3, 0.9) : kind === 'culture' && chance(0.25) ? 0.3 : 0;
  cells.forEach((cell, k) => {
    const radius = spacing[k];
    const grow = (count: number, process: ProcessOptions): void => {
      for (let p = 0; p < count; p++) {
        cell.processes.push(...growProcess(random, normal, cell, 2 * Math.PI * random(), process));
      }
    };
    if (kind === 'neurons') {
      grow(1 + Math.floor(random() * 5), {
        length: radius * uniform(2, 8),
        baseWidth: uniform(2, 4.5),
        tipWidth: uniform(1, 1.6),
        wiggle: uniform(0.02, 0.12),
        branching: 0.5,
      });
    } else if (filopodia > 0 && chance(filopodia)) {
      grow(2 + Math.floor(random() * 10), {
        length: radius * uniform(0.2, 0.8),
        baseWidth: uniform(1, 2),
        tipWidth: 1,
        wiggle: uniform(0, 0.08),
        branching: 0,
      });
    }
  });

  const geometry = rasterizeScene(cells, size, size);
  const { owner, depth, process, nuclei } = geometry;
  const border = distanceToLabelBorder(owner, size, size);

  const exposure = {
    brightness: logUniform(0.1, 1.5),
    gain: uniform(0.5, 8),
    readNoise: uniform(1, 20),
    cameraOffset: uniform(0, 400),
    illuminationFalloff: uniform(0, 0.6),
  };
  // Per-cell brightness: neighbours differ up to 10–100× (log-normal, σ up to 1.2), but no
  // labelled cell sinks below the read noise (an annotator could not have drawn it).
  const brightnessSpread = uniform(0.2, 1.2);
  const visible = exposure.readNoise / (0.5 * CYTOPLASM_LEVEL * exposure.brightness);
  const cytoplasmOf = cells.map(() =>
    clamp(Math.exp(brightnessSpread * normal()), Math.max(0.03, visible), 6),
  );
  const dnaOf = cells.map(() => clamp(Math.exp(uniform(0.15, 0.5) * normal()), 0.15, 3));
  // A few cells show no nucleus (it lies out of the focal plane), as 4–5 % of real cells do.
  const unstained = uniform(0, 0.08);
  dnaOf.forEach((_, k) => {
    if (chance(unstained)) dnaOf[k] = 0;
  });
  for (let i = 0; i < nuclei.length; i++)
    if (nuclei[i] && dnaOf[nuclei[i] - 1] === 0) nuclei[i] = 0;
  const markerPositive = uniform(0.25, 1);
  if (stain === 'rim') {
    cytoplasmOf.forEach((_, k) => {
      if (!chance(markerPositive)) cytoplasmOf[k] *= uniform(0.02, 0.15);
    });
  }
  const lamella =
    kind === 'spread' ? uniform(0.35, 0.7) : kind === 'culture' && chance(0.3) ? 0.7 : 1;
  const lamellaLevel = uniform(0.2, 0.5);
  const falloffPower = uniform(0.4, 1.6);
  const nucleusDip = uniform(0.3, 1);
  const membraneWidth = uniform(0.7, 1.8);
  const interior = uniform(0.03, 0.3);
  const processLevel = uniform(0.5, 1.1);
  const patchiness = uniform(0, 0.8);
  const patchScale = uniform(2, 10);
  const graininess = uniform(0, 0.45);
  const patch = valueNoise(options.seed * 11 + 1);
  const grain = valueNoise(options.seed * 11 + 2);
  const fibres = valueNoise(options.seed * 11 + 3);
  const chromatin = valueNoise(options.seed * 11 + 4);

  const n = size * size;
  const cytoplasm = new Float32Array(n);
  const dna = new Float32Array(n);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const label = owner[i];
      if (label === 0) continue;
      const cell = cells[label - 1];
      const t = Math.min(1, depth[i]);
      const edge = Math.exp(-border[i] / membraneWidth);
      let v: number;
      if (process[i]) v = stain === 'membrane' || stain === 'surface' ? 0.9 : processLevel;
      else if (stain === 'diffuse') v = 0.3 + 0.7 * (1 - t) ** falloffPower;
      else if (stain === 'cortical') {
        const u = (x * Math.cos(label) + y * Math.sin(label)) / 1.3;
        const w = (-x * Math.sin(label) + y * Math.cos(label)) / 9;
        v = 0.3 + 0.45 * Math.max(0, fibres(u, w)) ** 2 + 0.9 * Math.exp(-border[i] / 1.6);
      } else if (stain === 'membrane') v = interior + edge;
      else if (stain === 'surface') v = 0.25 + interior + 0.8 * edge;
      else v = 1;
      if (!process[i] && t > lamella) v *= lamellaLevel + (1 - lamellaLevel) * edge * 0.5;
      if (nuclei[i]) v *= stain === 'rim' ? 0.15 : nucleusDip;
      v *= Math.exp(patchiness * patch(x / patchScale, y / patchScale));
      v *= Math.max(0, 1 + graininess * grain(x / 1.2, y / 1.2));
      cytoplasm[i] = CYTOPLASM_LEVEL * cytoplasmOf[label - 1] * v;
      if (nuclei[i] && nuclearStain) {
        const { ny, nx, a, b } = cell.nucleus;
        const r2 = ((y - cell.y - ny) ** 2 + (x - cell.x - nx) ** 2) / (a * b);
        const texture = 1 + 0.18 * chromatin(x / 2.2, y / 2.2);
        dna[i] =
          DNA_LEVEL * dnaOf[label - 1] * texture * (0.8 + 0.2 * Math.sqrt(Math.max(0, 1 - r2)));
      }
    }
  }

  // Out-of-focus cells above or below the plane: wide, dim, unlabelled glows.
  const glows = chance(0.4) ? 1 + Math.floor(random() * 6) : 0;
  if (glows > 0) {
    const glow = new Float32Array(n);
    const nucleusGlow = new Float32Array(n);
    for (let g = 0; g < glows; g++) {
      const [cy, cx, r] = [uniform(0, size), uniform(0, size), (diameter / 2) * uniform(0.6, 1.5)];
      const level = CYTOPLASM_LEVEL * uniform(0.1, 0.4);
      for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(size, cy + r); y++) {
        for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(size, cx + r); x++) {
          const d2 = ((y - cy) ** 2 + (x - cx) ** 2) / (r * r);
          if (d2 > 1) continue;
          glow[y * size + x] += level;
          if (d2 < 0.2) nucleusGlow[y * size + x] += DNA_LEVEL * 0.15;
        }
      }
    }
    blurInPlace(glow, size, size, diameter * uniform(0.2, 0.4));
    blurInPlace(nucleusGlow, size, size, diameter * 0.2);
    for (let i = 0; i < n; i++) {
      cytoplasm[i] += glow[i];
      if (nuclearStain) dna[i] += nucleusGlow[i];
    }
  }

  const blurPx = uniform(0.5, 1.8);
  blurInPlace(cytoplasm, size, size, blurPx);
  blurInPlace(dna, size, size, blurPx);

  // Haze and autofluorescence: a slowly varying background, up to ~60 % of a typical cell.
  const hazeLevel = CYTOPLASM_LEVEL * (chance(0.7) ? uniform(0.02, 0.6) : 0.01);
  const hazeScale = uniform(30, 150);
  const haze = valueNoise(options.seed * 11 + 5);
  const speckle = valueNoise(options.seed * 11 + 6);
  const speckleLevel = uniform(0, 0.3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const field = 0.5 + 0.5 * haze(x / hazeScale, y / hazeScale);
      cytoplasm[i] += hazeLevel * (field + speckleLevel * Math.max(0, speckle(x / 1.5, y / 1.5)));
      if (nuclearStain) dna[i] += 0.1 * hazeLevel * field;
    }
  }

  const expose = exposer(random, normal, size, exposure);
  const planes = [expose(cytoplasm), expose(dna)];
  const settings: Record<string, number | string | boolean> = {
    kind,
    stain,
    nuclearStain,
    cells: cells.length,
    sizeSpread,
    brightnessSpread,
    markerPositive: stain === 'rim' ? markerPositive : 1,
    patchiness,
    graininess,
    hazeLevel: hazeLevel / CYTOPLASM_LEVEL,
    glows,
    blurPx,
    ...exposure,
  };
  return {
    stack: createStack(
      planes.map((data) => ({ width: size, height: size, data })),
      { channelNames: ['cytoplasm', 'DNA'], sourceAxes: 'CYX' },
    ),
    cellLabels: { width: size, height: size, data: owner },
    nucleusLabels: { width: size, height: size, data: nuclei },
    nuclearStain,
    settings,
  };
}

interface Exposure {
  brightness: number;
  gain: number;
  readNoise: number;
  cameraOffset: number;
  illuminationFalloff: number;
}

/** A camera: vignetting about an off-centre axis, then {@link cameraReading} per pixel. */
function exposer(
  random: () => number,
  normal: () => number,
  size: number,
  exposure: Exposure,
): (clean: Float32Array) => Uint16Array {
  const cy = size * (0.3 + 0.4 * random());
  const cx = size * (0.3 + 0.4 * random());
  const farthest = Math.SQRT2 * size * 0.7;
  const camera = {
    offset: exposure.cameraOffset,
    gain: exposure.gain,
    readNoise: exposure.readNoise,
  };
  return (clean) => {
    const out = new Uint16Array(clean.length);
    for (let i = 0; i < clean.length; i++) {
      const y = Math.floor(i / size);
      const x = i % size;
      const r2 = ((y - cy) ** 2 + (x - cx) ** 2) / (farthest * farthest);
      const signal =
        clean[i] * exposure.brightness * Math.max(0.2, 1 - exposure.illuminationFalloff * r2);
      out[i] = cameraReading(signal, camera, normal);
    }
    return out;
  };
}
