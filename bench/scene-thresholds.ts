import { parseArgs } from 'node:util';
import { loadCellposeModel } from '../src/cellpose/model.js';
import { DEFAULT_MODELS } from '../src/cellpose/models/packaged.js';
import { medianEquivalentDiameter, segmentCellpose } from '../src/cellpose/segment-cellpose.js';
import { matchLabels } from '../src/evaluate/matching.js';
import { addScores, emptyTally, pooledF1, type ScoreTally } from '../src/evaluate/tally.js';
import { SCENE_KINDS } from '../src/synth/cell-scene.js';
import { sceneAtDiameter } from './cell-scene-cases.js';

// A cell model on the cellScene kinds at their true diameter, under several cell-probability
// and flow thresholds: F1 @ 0.5 / 0.75 pooled per kind and size, and the predicted foreground
// over the true one. It isolates the network's outlines from `auto`'s estimate
// (bench/cell-scales.ts) and shows what a threshold buys each kind (models/README.md).
//
//   npx tsx bench/scene-thresholds.ts [--model name|path] [--diameters 14,20,30,50]
//       [--seeds 1,2,3] [--cellprob 0,-0.5,-1] [--flow 0.4] [--threads 2]

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: DEFAULT_MODELS.cells },
    diameters: { type: 'string', default: '14,20,30,50' },
    seeds: { type: 'string', default: '1,2,3' },
    cellprob: { type: 'string', default: '0' },
    flow: { type: 'string', default: '0.4' },
    threads: { type: 'string', default: '2' },
  },
});
const numbers = (text: string): number[] => text.split(',').filter(Boolean).map(Number);
const settings = numbers(args.cellprob).flatMap((cellprobThreshold) =>
  numbers(args.flow).map((flowThreshold) => ({ cellprobThreshold, flowThreshold })),
);
const model = await loadCellposeModel(args.model, { threads: Number(args.threads) });

interface Tally extends ScoreTally {
  predicted: number;
  truth: number;
}
const tally = (): Tally => ({ ...emptyTally(2), predicted: 0, truth: 0 });
const foreground = (data: ArrayLike<number>): number => {
  let count = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) count++;
  return count;
};
const cell = (t: Tally): string =>
  `${pooledF1(t, 0).toFixed(3)} / ${pooledF1(t, 1).toFixed(3)} (${(t.predicted / t.truth).toFixed(3)})`;

console.log(`model ${args.model}, seeds ${args.seeds}, true diameter; F1@0.5 / F1@0.75 (area)`);
console.log(
  [
    'diameter',
    'kind',
    ...settings.map((s) => `cellprob ${s.cellprobThreshold} flow ${s.flowThreshold}`),
  ].join('\t'),
);
for (const diameter of numbers(args.diameters)) {
  const pooled = settings.map(tally);
  for (const kind of SCENE_KINDS) {
    const byKind = settings.map(tally);
    for (const seed of numbers(args.seeds)) {
      const { scene, channels } = sceneAtDiameter(seed, kind, diameter);
      const truth = medianEquivalentDiameter(scene.cellLabels);
      for (const [k, thresholds] of settings.entries()) {
        const { masks } = await segmentCellpose(scene.stack, {
          model,
          channels,
          diameter: truth,
          ...thresholds,
        });
        const scores = matchLabels(masks, scene.cellLabels, { iouThresholds: [0.5, 0.75] });
        for (const t of [byKind[k], pooled[k]]) {
          addScores(t, scores);
          t.predicted += foreground(masks.data);
          t.truth += foreground(scene.cellLabels.data);
        }
      }
    }
    console.log([diameter, kind, ...byKind.map(cell)].join('\t'));
  }
  console.log([diameter, 'pooled', ...pooled.map(cell)].join('\t'));
}
await model.release();
