import { parseArgs } from 'node:util';
import { loadCellposeModel } from '../src/cellpose/model.js';
import { DEFAULT_MODELS } from '../src/cellpose/models/packaged.js';
import { segmentCellpose, type CellposeResult } from '../src/cellpose/segment-cellpose.js';
import { matchLabels } from '../src/evaluate/matching.js';
import { addScores, emptyTally, pooledF1, type ScoreTally } from '../src/evaluate/tally.js';
import type { Labels, Stack } from '../src/image/types.js';
import { NUCLEUS_AWARE_MODES, nucleusAwareCells } from '../src/pipeline/nucleus-aware-cells.js';
import { relate } from '../src/relate/relate.js';
import { segmentCellsFromNuclei } from '../src/segment/cells.js';
import { cellsFromNucleiAndNetwork } from '../src/segment/cells-from-network.js';
import { syntheticCells, type SyntheticCellsOptions } from '../src/synth/cells.js';
import { cellScene, type SceneKind } from '../src/synth/cell-scene.js';
import { mergeNucleusFreeFragments } from '../src/relate/merge-fragments.js';
import { cutProcesses, fragmentCells, networkOutputFor } from './fragment-cells.js';

// Scores the nucleus-aware cell modes of `cellscope analyze` (cells.nucleusAware) on generated
// images with known nuclei and cells: syntheticCells scenes (the cells model's training look) and
// cellScene kinds with a nuclear stain (real-looking culture, spread cells, neurons, tissue). Nuclei
// and cells are segmented as the default config does (both models, diameter auto, channels
// [cytoplasm, nuclei]), then each mode runs on the same network output. TP/FP/FN are pooled per
// scene; "no nucleus" is the share of cells that hold no predicted nucleus (relate's
// nuclei.cell). Reference rows: the hybrid on the negated cell probability, the hybrid from the
// true nuclei, and classical propagation from the predicted nuclei.
//
// A second table replaces the network's output on the syntheticCells scenes by the flows of the
// true cells with large cells cut into a nucleus piece plus nucleus-free lobes (fragmentCells),
// the failure seen on real images, and applies each mode with the predicted nuclei. A third cuts
// the true neurons and spread cells beyond 1.8 and 3 × their nucleus radius (cutProcesses, lost
// processes) and compares merge-fragments with merging every touching fragment.
//
//   npx tsx bench/nucleus-aware-cells.ts [--model cells.pth] [--nuclei-model name|path]
//       [--seeds 1,2,3] [--size 384] [--threads 2]

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: DEFAULT_MODELS.cells },
    'nuclei-model': { type: 'string', default: DEFAULT_MODELS.nuclei },
    seeds: { type: 'string', default: '1,2,3' },
    size: { type: 'string', default: '384' },
    threads: { type: 'string', default: '2' },
  },
});

interface Scene {
  stack: Stack;
  nucleusLabels: Labels;
  cellLabels: Labels;
  /** Cellpose's 1-based [cytoplasm, nuclei] channels. */
  channels: [number, number];
  /** Cell k holds nucleus k, so fragmentCells can cut it. */
  paired: boolean;
}

const synthetic =
  (options: SyntheticCellsOptions) =>
  (seed: number): Scene => ({
    ...syntheticCells({ width: size, height: size, seed, ...options }),
    channels: [2, 1],
    paired: true,
  });
const scene =
  (kind: SceneKind) =>
  (seed: number): Scene | undefined => {
    const drawn = cellScene({ seed, kind, size });
    // Without a nuclear stain there is nothing to be nucleus-aware with.
    return drawn.nuclearStain ? { ...drawn, channels: [1, 2], paired: false } : undefined;
  };

const SCENES: Record<string, (seed: number) => Scene | undefined> = {
  default: synthetic({}),
  'large irregular': synthetic({ cellIrregularity: 1.5, nucleusDiameterPx: 26, cells: 22 }),
  'irregular, diffuse, dim': synthetic({
    cellIrregularity: 1.5,
    cytoplasmStain: 'diffuse',
    brightness: 0.3,
  }),
  '10 % unstained nuclei': synthetic({ unstainedNucleusFraction: 0.1 }),
  'scene culture': scene('culture'),
  'scene spread': scene('spread'),
  'scene neurons': scene('neurons'),
  'scene tissue-rim': scene('tissue-rim'),
};

const size = Number(args.size);
const seeds = args.seeds.split(',').map(Number);
const threads = Number(args.threads);
const nucleiModel = await loadCellposeModel(args['nuclei-model'], { threads });
const cellsModel = await loadCellposeModel(args.model, { threads });

type Tally = ScoreTally & { cells: number; noNucleus: number };
const tally = (): Tally => ({ ...emptyTally(2), cells: 0, noNucleus: 0 });
/** Pooled over the syntheticCells scenes and over the cellScene ones. */
const overall = new Map<string, Map<string, Tally>>();

function score(into: Tally, cells: Labels, truth: Labels, nuclei: Labels): void {
  addScores(into, matchLabels(cells, truth, { iouThresholds: [0.5, 0.75] }));
  const relation = relate(nuclei, cells);
  const withNucleus = new Set(relation.nuclei.cell);
  into.cells += relation.cells.label.length;
  into.noNucleus += relation.cells.label.filter((c) => !withNucleus.has(c)).length;
}

const f1 = (t: Tally, k: number): string => pooledF1(t, k).toFixed(3);
const row = (scene: string, method: string, t: Tally): string =>
  [scene, method, f1(t, 0), f1(t, 1), t.cells, ((100 * t.noNucleus) / t.cells).toFixed(1)].join(
    '\t',
  );

console.log(`cells model ${args.model}, nuclei model ${args['nuclei-model']}, seeds ${seeds}`);
console.log(['scene', 'method', 'F1@0.5', 'F1@0.75', 'cells', 'no nucleus %'].join('\t'));
const simulated = new Map<string, Map<string, Tally>>();
const processes = new Map<string, Map<string, Tally>>();
for (const [scene, draw] of Object.entries(SCENES)) {
  const tallies = new Map<string, Tally>();
  const add = (
    into: Map<string, Tally>[],
    method: string,
    cells: Labels,
    truth: Labels,
    nuclei: Labels,
  ): void => {
    for (const map of into) {
      if (!map.has(method)) map.set(method, tally());
      score(map.get(method) as Tally, cells, truth, nuclei);
    }
  };
  const cut = new Map<string, Tally>();
  for (const seed of seeds) {
    const image = draw(seed);
    if (!image) continue;
    const { stack, channels } = image;
    const group = image.paired ? 'all syntheticCells' : 'all cellScene';
    if (!overall.has(group)) overall.set(group, new Map());
    const pooled = overall.get(group) as Map<string, Tally>;
    const nuclei = await segmentCellpose(stack, {
      model: nucleiModel,
      channels: [channels[1], 0],
      diameter: 'auto',
    });
    const cells = await segmentCellpose(stack, { model: cellsModel, channels, diameter: 'auto' });
    const nucleusLabels = nuclei.masks;
    const truth = image.cellLabels;
    const networks: [Pick<CellposeResult, 'masks' | 'flows'>, Map<string, Tally>[]][] = [
      [cells, [tallies, pooled]],
    ];
    if (image.paired) {
      const cutCells = fragmentCells(truth, image.nucleusLabels, { seed });
      networks.push([networkOutputFor(cutCells), [cut]]);
    }
    for (const [network, into] of networks) {
      for (const mode of NUCLEUS_AWARE_MODES) {
        const { cellLabels } = nucleusAwareCells(nucleusLabels, network, {
          mode,
          cellprobThreshold: 0,
          dropCellsWithoutNucleus: false,
        });
        add(into, mode, cellLabels, truth, nucleusLabels);
      }
      const output = { ...network.flows, masks: network.masks };
      const onCellprob = cellsFromNucleiAndNetwork(nucleusLabels, output, {
        landscape: 'cellprob',
      });
      add(into, 'hybrid on cellprob', onCellprob.labels, truth, nucleusLabels);
      const fromTrue = cellsFromNucleiAndNetwork(image.nucleusLabels, output);
      add(into, 'hybrid, true nuclei', fromTrue.labels, truth, nucleusLabels);
    }
    if (scene === 'scene neurons' || scene === 'scene spread') {
      for (const factor of [1.8, 3]) {
        const pieces = cutProcesses(truth, image.nucleusLabels, factor);
        const key = `${scene.slice(6)}, cut beyond ${factor} × nucleus radius`;
        if (!processes.has(key)) processes.set(key, new Map());
        const into = [processes.get(key) as Map<string, Tally>];
        add(into, 'off', pieces, truth, nucleusLabels);
        const everyTouch = mergeNucleusFreeFragments(pieces, nucleusLabels, {
          minSharedOutline: 0,
        });
        add(into, 'merge every touch', everyTouch.labels, truth, nucleusLabels);
        add(
          into,
          'merge-fragments',
          mergeNucleusFreeFragments(pieces, nucleusLabels).labels,
          truth,
          nucleusLabels,
        );
      }
    }
    const grown = segmentCellsFromNuclei(nucleusLabels, stack.planes[channels[0] - 1]);
    add([tallies, pooled], 'propagation', grown.labels, truth, nucleusLabels);
  }
  for (const [method, t] of tallies) console.log(row(scene, method, t));
  if (cut.size > 0) simulated.set(scene, cut);
}
for (const [group, tallies] of overall) {
  for (const [method, t] of tallies) console.log(row(group, method, t));
}
console.log('\nsimulated fragments (true cells cut into a nucleus piece + lobes)');
for (const [scene, tallies] of simulated) {
  for (const [method, t] of tallies) console.log(row(scene, method, t));
}
console.log('\nsimulated lost processes (true cells cut beyond a radius from their nucleus)');
for (const [scene, tallies] of processes) {
  for (const [method, t] of tallies) console.log(row(scene, method, t));
}
await Promise.all([nucleiModel.release(), cellsModel.release()]);
