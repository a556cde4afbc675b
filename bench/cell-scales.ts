import { parseArgs } from 'node:util';
import { loadCellposeModel } from '../src/cellpose/model.js';
import { DEFAULT_MODELS } from '../src/cellpose/models/packaged.js';
import { medianEquivalentDiameter, segmentCellpose } from '../src/cellpose/segment-cellpose.js';
import { resizeLinear } from '../src/cellpose/transforms/resize.js';
import type { Float32Plane } from '../src/cellpose/transforms/types.js';
import { matchLabels } from '../src/evaluate/matching.js';
import { addScores, emptyTally, pooledF1, type ScoreTally } from '../src/evaluate/tally.js';
import { createStack } from '../src/image/stack.js';
import type { Plane, Stack } from '../src/image/types.js';
import { SCENE_KINDS, type SceneKind } from '../src/synth/cell-scene.js';
import { sceneAtDiameter } from './cell-scene-cases.js';

// How the default cell model holds up across cell sizes: cellScene kinds drawn with median cell
// diameters from 10 to 80 px, segmented with the default channels and `diameter: 'auto'`, as a
// user runs it ("native"; "auto ok" counts estimates within 10 % of the true median diameter).
// Each scene is also scored "binned": imaged with pixels --bin times larger and resized back
// (area binning, bilinear up), segmented at the true diameter. The cells keep their size but
// carry the soft edges and coarse noise of a small-cell image that Cellpose has upsampled to
// diam_mean, so that row isolates the look. TP/FP/FN are pooled per diameter and kind.
//
//   npx tsx bench/cell-scales.ts [--model name|path] [--diameters 10,14,20,30,50,80]
//       [--kinds culture,…] [--seeds 1,2] [--bin 3] [--threads 2]

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: DEFAULT_MODELS.cells },
    diameters: { type: 'string', default: '10,14,20,30,50,80' },
    kinds: { type: 'string', default: SCENE_KINDS.join(',') },
    seeds: { type: 'string', default: '1,2' },
    bin: { type: 'string', default: '3' },
    threads: { type: 'string', default: '2' },
  },
});
const list = (text: string): string[] => text.split(',').filter(Boolean);
const diameters = list(args.diameters).map(Number);
const kinds = list(args.kinds) as SceneKind[];
const seeds = list(args.seeds).map(Number);
const bin = Number(args.bin);
const model = await loadCellposeModel(args.model, { threads: Number(args.threads) });

/** The plane as if its pixels were `factor` times larger: each coarse pixel the mean of its block. */
function binPlane(plane: Plane, factor: number): Float32Plane {
  const width = Math.floor(plane.width / factor);
  const height = Math.floor(plane.height / factor);
  const data = new Float32Array(width * height);
  const share = 1 / (factor * factor);
  for (let y = 0; y < height * factor; y++) {
    const row = Math.floor(y / factor) * width;
    for (let x = 0; x < width * factor; x++) {
      data[row + Math.floor(x / factor)] += plane.data[y * plane.width + x] * share;
    }
  }
  return { width, height, data };
}
const binned = (stack: Stack, factor: number): Stack =>
  createStack(
    stack.planes.map((plane) =>
      resizeLinear(binPlane(plane, factor), { width: plane.width, height: plane.height }),
    ),
  );

interface Tally extends ScoreTally {
  images: number;
  /** Estimates within 10 % of the true median diameter (native rows, diameter auto). */
  autoOk: number;
}
const tally = (): Tally => ({ ...emptyTally(2), images: 0, autoOk: 0 });
const f1 = (t: Tally, k: number): string => pooledF1(t, k).toFixed(3);
const row = (cells: (string | number)[]): void => console.log(cells.join('\t'));
/** Binned rows run at the true diameter, so they have no auto estimate to count. */
const autoColumn = (look: 'native' | 'binned', t: Tally): number | string =>
  look === 'native' ? t.autoOk : '';

console.log(`cells model ${args.model}, seeds ${seeds}, binned ×${bin}`);
row(['diameter', 'kind', 'image', 'F1@0.5', 'F1@0.75', 'auto ok', 'images']);
for (const diameter of diameters) {
  const pooled = { native: tally(), binned: tally() };
  for (const kind of kinds) {
    const byLook = { native: tally(), binned: tally() };
    for (const seed of seeds) {
      const { scene, channels } = sceneAtDiameter(seed, kind, diameter);
      const truth = medianEquivalentDiameter(scene.cellLabels);
      for (const look of ['native', 'binned'] as const) {
        const [stack, given] =
          look === 'native' ? [scene.stack, 'auto' as const] : [binned(scene.stack, bin), truth];
        const result = await segmentCellpose(stack, { model, channels, diameter: given });
        const scores = matchLabels(result.masks, scene.cellLabels, { iouThresholds: [0.5, 0.75] });
        for (const t of [byLook[look], pooled[look]]) {
          addScores(t, scores);
          t.images++;
          if (given === 'auto' && Math.abs(result.diameter / truth - 1) <= 0.1) t.autoOk++;
        }
      }
    }
    for (const look of ['native', 'binned'] as const) {
      const t = byLook[look];
      row([diameter, kind, look, f1(t, 0), f1(t, 1), autoColumn(look, t), t.images]);
    }
  }
  for (const look of ['native', 'binned'] as const) {
    const t = pooled[look];
    row([diameter, 'pooled', look, f1(t, 0), f1(t, 1), autoColumn(look, t), t.images]);
  }
}
await model.release();
