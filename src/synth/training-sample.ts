import { createStack } from '../image/stack.js';
import { relabelSequential } from '../segment/labeling/relabel-sequential.js';
import type { Labels, Stack } from '../image/types.js';
import { syntheticCells, type SyntheticCellsOptions } from './cells.js';
import { cellScene, SCENE_KINDS, type SceneKind } from './cell-scene.js';
import { blurInPlace } from './noise.js';
import { normalRandom, seededRandom } from './random.js';
import { clippedBox } from './shapes.js';

export type TrainingTarget = 'nuclei' | 'cells';

export interface TrainingSampleOptions {
  /** Every sample is a deterministic function of its seed. */
  seed: number;
  /** What the labels mark: nuclei (DNA channel alone) or whole cells (cytoplasm + DNA). */
  target: TrainingTarget;
  /** Square image side (px). @default 256 */
  size?: number;
  /**
   * The object diameter the model is trained at (Cellpose's diam_mean): an image's median
   * nucleus (or cell) diameter is drawn around it, ×0.6–1.6, as a user's diameter guess varies.
   * @default 17 for nuclei, 30 for cells
   */
  diameterPx?: number;
  /**
   * Which generator draws whole cells: 1, {@link syntheticCells} alone (what cellscope-cells v1
   * was trained on); 2, mostly {@link cellScene}'s kinds of sample (culture, spread cells,
   * neurons, tissue), a fifth still drawn by recipe 1. For nuclei, recipe 2 draws 40 % of the
   * images from the scenes' nuclear channel and lets cytoplasm bleed-through reach the nuclei's
   * brightness.
   * @default 1
   */
  recipe?: 1 | 2;
}

export interface TrainingSample {
  /** `nuclei`: one channel, DNA. `cells`: cytoplasm, then DNA (Cellpose's channel order). */
  stack: Stack;
  labels: Labels;
  /** The generator settings drawn for this sample, for the record. */
  settings: Record<string, number | string | boolean>;
}

/**
 * One training image for cellscope's own Cellpose models: {@link syntheticCells} with every
 * setting drawn at random (object size and spread, density, clustering, touching, dim, holed,
 * lobed and mitotic nuclei, stain, blur, illumination, noise, brightness), then what real images
 * add that nobody labels: out-of-focus nuclei, cytoplasm shining through into the DNA channel,
 * debris, saturation and 8-bit quantisation. Negatives that look like signal teach the network
 * not to segment them.
 */
export function trainingSample(options: TrainingSampleOptions): TrainingSample {
  const size = options.size ?? 256;
  const random = seededRandom(0x9e3779b9 ^ options.seed);
  const normal = normalRandom(random);
  const uniform = (lo: number, hi: number): number => lo + (hi - lo) * random();
  const chance = (p: number): boolean => random() < p;
  const target = options.target;
  const trainedAt = options.diameterPx ?? (target === 'nuclei' ? 17 : 30);

  // Object size: cells are ~1.3× their nucleus in syntheticCells, plus some cytoplasm.
  const objectDiameter = trainedAt * Math.exp(uniform(Math.log(0.6), Math.log(1.6)));
  const nucleusDiameter = target === 'nuclei' ? objectDiameter : objectDiameter / 1.75;
  const density = uniform(0.1, 1.1); // fraction of the field covered by cells
  const cellArea = Math.PI * (0.65 * 1.75 * nucleusDiameter) ** 2;
  const cells = Math.max(1, Math.round((density * size * size) / cellArea));
  const settings: SyntheticCellsOptions = {
    width: size,
    height: size,
    cells,
    seed: options.seed,
    nucleusDiameterPx: nucleusDiameter,
    nucleusSizeSpread: uniform(0.08, 0.35),
    dimNucleusFraction: uniform(0, 0.3),
    nucleusHoleFraction: uniform(0, 0.5),
    touchingNucleusFraction: uniform(0, target === 'nuclei' ? 0.6 : 0.4),
    clustering: uniform(0, 1),
    brightSignalFraction: uniform(0, 0.12),
    // Condensed mitotic chromatin is much brighter, often saturated: labelled, unlike debris.
    mitoticBrightness: uniform(1.5, 4),
    lobedNucleusFraction: chance(0.3) ? uniform(0, 0.3) : 0,
    unstainedNucleusFraction: target === 'cells' ? uniform(0, 0.1) : 0,
    cellIrregularity: uniform(0.3, 1.6),
    cytoplasmStain: chance(0.5) ? 'cortical' : 'diffuse',
    illuminationFalloff: uniform(0, 0.6),
    cameraOffset: uniform(0, 400),
    gain: uniform(0.5, 8),
    readNoise: uniform(1, 20),
    blurPx: uniform(0.4, Math.max(0.6, nucleusDiameter / 8)),
    brightness: Math.exp(uniform(Math.log(0.08), Math.log(1.5))),
    // Nuclei only (the cells model was trained before these): faint tiny nuclei, nuclei pressed
    // together in pairs and clumps with a flattened shared border, nuclei cut by the image edge.
    ...(target === 'nuclei' && {
      tinyNucleusFraction: chance(0.6) ? uniform(0, 0.15) : 0,
      touchingOverlap: chance(0.7) ? uniform(0.1, 0.45) : 0,
      touchingClusters: chance(0.5),
      edgeMarginPx: 1,
    }),
  };
  const n = size * size;
  let dna: Float32Array;
  let cytoplasm: Float32Array;
  let labels: Labels;
  let offset = settings.cameraOffset!;
  let brightness = settings.brightness!;
  let nuclearStain = true;
  const record: Record<string, number | string | boolean> = { target, objectDiameter };
  // Recipe 2 draws most cell images and some nucleus images as one of cellScene's kinds of sample
  // (the draw of `settings` above still happens first, so recipe 1's images stay as they were).
  const recipe2 = options.recipe === 2;
  const kind: SceneKind | undefined =
    recipe2 && chance(target === 'cells' ? 0.8 : 0.4)
      ? SCENE_KINDS[Math.floor(random() * SCENE_KINDS.length)]
      : undefined;
  // Nuclei take up 20–80 % of a scene's cell diameter.
  const scene =
    kind &&
    cellScene({
      seed: options.seed,
      kind,
      size,
      cellDiameterPx: target === 'cells' ? objectDiameter : 2 * objectDiameter,
    });
  if (scene && (target === 'cells' || scene.nuclearStain)) {
    cytoplasm = Float32Array.from(scene.stack.planes[0].data);
    nuclearStain = scene.nuclearStain;
    // No nuclear stain: the user gives one channel and Cellpose feeds zeros as the second.
    dna = nuclearStain ? Float32Array.from(scene.stack.planes[1].data) : new Float32Array(n);
    labels = target === 'cells' ? scene.cellLabels : scene.nucleusLabels;
    offset = scene.settings.cameraOffset as number;
    brightness = scene.settings.brightness as number;
    Object.assign(record, scene.settings);
  } else {
    const drawn = syntheticCells(settings);
    dna = Float32Array.from(drawn.stack.planes[0].data);
    cytoplasm = Float32Array.from(drawn.stack.planes[1].data);
    labels = target === 'nuclei' ? drawn.nucleusLabels : drawn.cellLabels;
    for (const [key, value] of Object.entries(settings)) {
      if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
        record[key] = value;
    }
  }

  const extras: Record<string, number | boolean> = {};
  // Out-of-focus nuclei of cells above or below the plane: wide, dim, unlabelled blobs.
  const blurred = nuclearStain && chance(0.5) ? Math.floor(uniform(1, 1 + cells * 0.4)) : 0;
  if (blurred > 0) {
    const blobs = new Float32Array(n);
    for (let k = 0; k < blurred; k++) {
      const [cy, cx] = [uniform(0, size), uniform(0, size)];
      const radius = (nucleusDiameter / 2) * uniform(0.8, 1.5);
      const level = 3000 * brightness * uniform(0.08, 0.35);
      stampDisc(blobs, size, cy, cx, radius, level);
    }
    blurInPlace(blobs, size, size, nucleusDiameter * uniform(0.2, 0.45));
    for (let i = 0; i < n; i++) dna[i] += blobs[i];
  }
  extras.outOfFocusNuclei = blurred;

  // Cytoplasm shining through into the DNA channel (spectral bleed-through, autofluorescence);
  // recipe 2 lets it outshine dim nuclei, as in macrophages stained for a surface marker.
  const bleed =
    nuclearStain && chance(0.5) ? uniform(0.02, recipe2 && target === 'nuclei' ? 1 : 0.3) : 0;
  if (bleed > 0) for (let i = 0; i < n; i++) dna[i] += bleed * Math.max(0, cytoplasm[i] - offset);
  extras.bleedThrough = bleed;

  // Debris: specks far smaller than a nucleus, and thin fibres, in either channel, unlabelled.
  // (Larger bright round blobs would look like condensed mitotic nuclei, which are labelled.)
  const debris = chance(0.5) ? Math.floor(uniform(1, 15)) : 0;
  for (let k = 0; k < debris; k++) {
    const plane = target === 'cells' && (chance(0.5) || !nuclearStain) ? cytoplasm : dna;
    const level = 3000 * brightness * uniform(0.3, 2.5);
    let [y, x] = [uniform(0, size), uniform(0, size)];
    const radius = uniform(0.5, Math.max(0.8, nucleusDiameter / 14));
    const steps = chance(0.5) ? Math.floor(uniform(4, 30)) : 1;
    const angle = uniform(0, 2 * Math.PI);
    for (let s = 0; s < steps; s++) {
      stampDisc(plane, size, y, x, radius, level);
      y += Math.sin(angle) + 0.3 * normal();
      x += Math.cos(angle) + 0.3 * normal();
    }
  }
  extras.debris = debris;

  // Saturation: the camera clips the brightest pixels; then 8- or 16-bit storage.
  const saturate = chance(0.2);
  const eightBit = chance(0.3);
  const finish = (plane: Float32Array): Uint8Array | Uint16Array => {
    let max = 0;
    for (const v of plane) if (v > max) max = v;
    const ceiling = saturate ? max * uniform(0.4, 0.8) : Infinity;
    const scale = eightBit ? 255 / Math.min(max, ceiling) : 1;
    const out = eightBit ? new Uint8Array(n) : new Uint16Array(n);
    const top = eightBit ? 255 : 65535;
    for (let i = 0; i < n; i++)
      out[i] = Math.min(top, Math.round(Math.min(plane[i], ceiling) * scale));
    return out;
  };
  extras.saturated = saturate;
  extras.eightBit = eightBit;

  const planes = target === 'nuclei' ? [finish(dna)] : [finish(cytoplasm), finish(dna)];
  const stack = createStack(
    planes.map((data) => ({ width: size, height: size, data })),
    { channelNames: target === 'nuclei' ? ['DNA'] : ['cytoplasm', 'DNA'], sourceAxes: 'CYX' },
  );
  Object.assign(record, extras);
  // Unstained nuclei leave gaps in the numbering: training data wants labels 1..n.
  return { stack, labels: relabelSequential(labels).labels, settings: record };
}

/** Adds `level` inside a disc (anti-aliased by a half-pixel ramp at its edge). */
function stampDisc(
  plane: Float32Array,
  size: number,
  cy: number,
  cx: number,
  radius: number,
  level: number,
): void {
  const [y0, y1, x0, x1] = clippedBox(cy, cx, Math.ceil(radius + 1), size, size);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d = Math.hypot(y - cy, x - cx);
      const cover = Math.min(1, Math.max(0, radius + 0.5 - d));
      if (cover > 0) plane[y * size + x] += level * cover;
    }
  }
}
