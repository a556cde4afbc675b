import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { writeTiffFile } from '../src/io/tiff/write-file.js';
import { decodeTiffArray } from '../src/io/tiff/read.js';
import { syntheticCells } from '../src/synth/cells.js';
import { buildCli } from './build-cli.js';
import { fluorescenceScene } from './scenes.js';
import { median, spread, timeProcess, type ProcessRun } from './seed/processes.js';

// Issue 17's comparison, whole process each, Python and cellscope interleaved in one run:
// - the course workflow (../shared/reference/000_12b94c3fe9410566.txt): nuclei at diameter 170,
//   cells at 200 guided by the nuclei, regionprops tables, max-overlap matching, derived
//   features, questions A–F plots, the 2×2 overlay; `cellscope analyze` with the same config;
// - one Cellpose run at diameter 170, channels 2,1; `cellscope segment --method cellpose`;
// - regionprops_table (area, perimeter, centroid, feret_diameter_max) on a 2048² scene of 3,000
//   nuclei; `cellscope measure`.
// Both sides run cellscope's own trained weights (models/cellscope-{nuclei,cells}.pth) on a
// generated 1011 × 1557 3-channel uint16 image. Python: Cellpose 3.1.1.3 from its source at
// $CELLPOSE_SRC on Debian's python3-torch, scikit-image, pandas, seaborn ($CELLPOSE_PYTHON,
// default /usr/bin/python3); where it cannot run, the bench says why and times cellscope alone.
// Figures: medians of $SEED_RUNS runs (default 3), wall and CPU (user + sys) seconds; the
// ratio is Python / cellscope (target ≥ 10). $SEED_FIGURES picks some: workflow,cellpose,measure.
// Cellpose's source: `git clone --branch v3.1.1.3 https://github.com/MouseLand/cellpose`.
// `CELLPOSE_SRC=~/src/cellpose nice -n 10 npm run bench -- seed`. Never part of `npm test`.
// $SEED_NUCLEI_MODEL / $SEED_CELLS_MODEL time other weights (a wider CPnet) on both sides.

const root = resolve(import.meta.dirname, '..');
const python = process.env.CELLPOSE_PYTHON ?? '/usr/bin/python3';
const cellposeSrc = process.env.CELLPOSE_SRC;
const script = join(import.meta.dirname, 'seed', 'course_workflow.py');
const rounds = Number(process.env.SEED_RUNS ?? 3);
if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError('SEED_RUNS must be ≥ 1');
const chosen = (process.env.SEED_FIGURES ?? 'workflow,cellpose,measure').split(',');
const nucleiModel = resolve(
  process.env.SEED_NUCLEI_MODEL ?? join(root, 'models', 'cellscope-nuclei.pth'),
);
const cellsModel = resolve(
  process.env.SEED_CELLS_MODEL ?? join(root, 'models', 'cellscope-cells.pth'),
);
const loadAtStart = loadavg()[0];

/** Why Python cannot run a figure, or undefined when it can. */
function pythonProblem(modules: string, cellpose: boolean): string | undefined {
  if (cellpose && !cellposeSrc) return 'CELLPOSE_SRC is not set (a Cellpose 3.1.1.3 source tree)';
  if (cellpose && !existsSync(join(cellposeSrc ?? '', 'cellpose', 'models.py'))) {
    return `no cellpose/models.py under CELLPOSE_SRC=${cellposeSrc}`;
  }
  const probe = spawnSync(python, ['-c', `import ${modules}`], { encoding: 'utf8' });
  if (probe.status === 0) return undefined;
  const last = `${probe.stderr ?? ''}${probe.error?.message ?? ''}`.trim().split('\n').pop();
  return `${python} cannot import ${modules}: ${last} (apt-get install python3-torch python3-skimage python3-pandas python3-seaborn python3-opencv python3-tifffile python3-numba python3-natsort python3-tqdm)`;
}
const cellposeModules = 'torch, numpy, scipy, skimage, pandas, seaborn, cv2, tifffile, numba';

const { dir: buildDir, cli } = buildCli('cellscope-bench-seed');
const dir = mkdtempSync(join(tmpdir(), 'cellscope-seed-bench-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(buildDir, { recursive: true, force: true });
});

// Nuclei about 120 px and cells about 200 px across, as in the course's image.
const image = join(dir, 'image.tif');
await writeTiffFile(
  image,
  syntheticCells({ width: 1557, height: 1011, cells: 24, nucleusDiameterPx: 120, seed: 17 }).stack,
);
const scene = fluorescenceScene();
const labels = join(dir, 'labels.tif');
await writeTiffFile(labels, scene.labels);
const config = join(dir, 'analysis.json');
writeFileSync(
  config,
  JSON.stringify({
    channels: { nuclei: 0, cytoplasm: 1, others: [2] },
    nuclei: { method: 'cellpose', model: nucleiModel, diameter: 170 },
    // Cellpose's masks as they are, as the notebook keeps them.
    cells: { method: 'cellpose', model: cellsModel, diameter: 200, nucleusAware: 'off' },
    // What the notebook makes: CSV tables, PNG figures, the overlay; no HTML report.
    outputs: { tables: ['csv'], plots: ['png'], overlay: true, report: false },
  }),
);

function objects(file: string): number {
  const { data } = decodeTiffArray(readFileSync(file));
  return new Set(data).size - (data.includes(0) ? 1 : 0);
}

interface Figure {
  key: string;
  title: string;
  python: (out: string) => string[];
  cellscope: (out: string) => string[];
  /** What cellscope made, to set beside Python's JSON summary. */
  made: (out: string) => Record<string, number>;
  problem?: string;
}

const allFigures: Figure[] = [
  {
    key: 'workflow',
    title: 'course workflow: nuclei d170 + cells d200 (channels 2,1), tables, matching, plots',
    python: (out) => [script, 'workflow', image, out, nucleiModel, cellsModel],
    cellscope: (out) => [cli, 'analyze', image, '--out', out, '--config', config],
    made: (out) => {
      const summary = JSON.parse(readFileSync(join(out, 'image', 'summary.json'), 'utf8'));
      return { nuclei: summary.nuclei, cells: summary.cells };
    },
    problem: pythonProblem(cellposeModules, true),
  },
  {
    key: 'cellpose',
    title: 'one Cellpose run: diameter 170, channels 2,1',
    python: (out) => [script, 'cellpose', image, out, cellsModel],
    cellscope: (out) => [
      ...[cli, 'segment', image, '--method', 'cellpose', '--model', cellsModel],
      ...['--diameter', '170', '--channels', '2,1', '--out', join(out, 'masks.tif')],
    ],
    made: (out) => ({ cells: objects(join(out, 'masks.tif')) }),
    problem: pythonProblem(cellposeModules, true),
  },
  {
    key: 'measure',
    title: `measure: 2048², ${scene.objects} nuclei, area/perimeter/centroid/feret_diameter_max`,
    python: (out) => [script, 'measure', labels, out],
    cellscope: (out) => [
      ...[cli, 'measure', labels, '--properties', 'area,perimeter,centroid,feret_diameter_max'],
      ...['--out', join(out, 'table.csv')],
    ],
    made: (out) => ({
      objects: readFileSync(join(out, 'table.csv'), 'utf8').trim().split('\n').length - 1,
    }),
    problem: pythonProblem('skimage, pandas, tifffile', false),
  },
];
const figures = allFigures.filter((figure) => chosen.includes(figure.key));

type Side = 'Python' | 'cellscope';
const runs = new Map<string, ProcessRun[]>();
const made = new Map<string, Record<string, unknown>>();

function runSide(figure: Figure, side: Side, round: number): void {
  const out = join(dir, `${figure.key}-${side}-${round}`);
  // Each run is timed once, even if the harness calls a bench again (tinybench probes for async).
  if (existsSync(`${out}.done`)) return;
  writeFileSync(`${out}.done`, '');
  mkdirSync(out, { recursive: true });
  const env = { ...process.env, CELLPOSE_SRC: cellposeSrc };
  const run =
    side === 'Python'
      ? timeProcess(python, figure.python(out), env)
      : timeProcess(process.execPath, figure.cellscope(out));
  const key = `${figure.key}/${side}`;
  runs.set(key, [...(runs.get(key) ?? []), run]);
  if (!made.has(key)) {
    made.set(
      key,
      side === 'Python'
        ? JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}')
        : figure.made(out),
    );
  }
  rmSync(out, { recursive: true, force: true });
}

// Untimed warm-up: the interpreters, libraries and weights into the page cache.
timeProcess(process.execPath, [cli, '--help']);
if (!figures[0]?.problem && cellposeSrc) {
  const warm = `import sys; sys.path.insert(0, ${JSON.stringify(cellposeSrc)}); import ${cellposeModules}`;
  spawnSync(python, ['-c', warm]);
}

const once = { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 };
for (const figure of figures) {
  if (figure.problem) console.warn(`seed bench, ${figure.key}: Python skipped: ${figure.problem}`);
  describe(figure.title, () => {
    for (let round = 0; round < rounds; round++) {
      // Alternate which side goes first, so a drift in the machine's load hits both alike.
      const sides: Side[] = round % 2 ? ['cellscope', 'Python'] : ['Python', 'cellscope'];
      for (const side of sides) {
        if (side === 'Python' && figure.problem) continue;
        bench(`run ${round + 1}: ${side}`, async () => runSide(figure, side, round), once);
      }
    }
  });
}

afterAll(() => {
  const lines = [
    `seed: Python / cellscope, whole processes, medians of ${rounds} interleaved runs (s; load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end)`,
  ];
  for (const figure of figures) {
    const py = runs.get(`${figure.key}/Python`) ?? [];
    const cs = runs.get(`${figure.key}/cellscope`) ?? [];
    if (cs.length === 0) continue;
    lines.push(`  ${figure.title}`);
    const wall = (r: ProcessRun[]) => r.map((x) => x.wallS);
    const cpu = (r: ProcessRun[]) => r.map((x) => x.cpuS);
    lines.push(`    cellscope  wall ${spread(wall(cs))}  cpu ${spread(cpu(cs))}`);
    if (py.length === 0) {
      lines.push(`    Python     skipped: ${figure.problem}`);
    } else {
      lines.push(`    Python     wall ${spread(wall(py))}  cpu ${spread(cpu(py))}`);
      const ratio = (f: (r: ProcessRun[]) => number[]) =>
        (median(f(py)) / median(f(cs))).toFixed(1);
      lines.push(`    ratio      wall ${ratio(wall)}×  cpu ${ratio(cpu)}×  (target ≥ 10×)`);
    }
    const said = (side: Side) => JSON.stringify(made.get(`${figure.key}/${side}`) ?? {});
    lines.push(`    made       cellscope ${said('cellscope')}; Python ${said('Python')}`);
  }
  lines.push(
    '  Python shims (bench/seed/shims, ours): NumPy/SciPy stand-ins for pip-only fastremap and',
    '  fill_voids (slower than the C++ originals: this favours cellscope), a roifile stub (never',
    '  called); nbase read off the weights and styles padded to 256 columns; int64 indices for',
    "  Debian's torch 1.13.",
  );
  console.log(lines.join('\n'));
});
