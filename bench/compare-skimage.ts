import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { PixelArray, Plane } from '../src/image/types.js';
import {
  binaryOpening,
  distanceTransform,
  expandLabels,
  fillHoles,
  label,
  peakLocalMax,
  peaksToMarkers,
  removeSmallObjects,
  segmentNucleiClassical,
  thresholdOtsu,
  watershed,
} from '../src/segment/index.js';
import { fluorescenceScene } from './scenes.js';

// Same-run comparison with scikit-image: cellscope's segment operations and their scikit-image
// counterparts on the same bytes of one scene, each the median of `--runs` calls after a warm-up.
// Usage: npm run bench:skimage [-- --runs 7 --keep]. Python: $SKIMAGE_PYTHON or /usr/bin/python3
// (Debian's python3-skimage installs there, not into a pyenv).

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new RangeError(`--runs must be ≥ 1, got ${args.runs}`);
if (os.endianness() !== 'LE') throw new Error('the raw files are written little-endian');

const python = process.env.SKIMAGE_PYTHON ?? '/usr/bin/python3';
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'skimage_segment.py');

/** Rows of the table: the key the Python side times under, the operation in skimage's words. */
const OPERATIONS = [
  ['otsu', 'threshold_otsu, uint16 image'],
  ['opening', 'binary_opening, disk(7)'],
  ['label', 'label, 8-connectivity'],
  ['edt', 'distance_transform_edt'],
  ['peaks', 'peak_local_max, min_distance 5, per component'],
  ['watershed', 'watershed(−distance, markers, mask)'],
  ['fill', 'binary_fill_holes'],
  ['small', 'remove_small_objects, 64 px'],
  ['expand', 'expand_labels, distance 5'],
  ['nuclei', 'nuclei pipeline end to end (segmentNucleiClassical)'],
] as const;
type Operation = (typeof OPERATIONS)[number][0];

interface SkimageResult {
  versions: Record<string, string>;
  /** Median ms per operation. */
  ms: Record<Operation, number>;
  checks: { operation: string; ok: boolean; detail: string; note: string | null }[];
}

/** Median ms of `runs` calls after one warm-up call, whose result is returned. */
function time<T>(run: () => T): { ms: number; result: T } {
  const result = run();
  const samples: number[] = [];
  for (let k = 0; k < runs; k++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const middle = samples.length >> 1;
  const ms = samples.length % 2 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2;
  return { ms, result };
}

const started = performance.now();
const scene = fluorescenceScene();
const { image, mask, labels } = scene;
const { width, height } = image;
console.error(`scene: ${((performance.now() - started) / 1000).toFixed(1)} s; timing cellscope…`);

const ms = {} as Record<Operation, number>;
const otsu = time(() => thresholdOtsu(image));
ms.otsu = otsu.ms;
const opening = time(() => binaryOpening(mask, { radius: 7 }));
ms.opening = opening.ms;
const components = time(() => label(mask, { connectivity: 2 }));
ms.label = components.ms;
const distance = time(() => distanceTransform(mask));
ms.edt = distance.ms;
const peaks = time(() =>
  peakLocalMax(distance.result, {
    minDistance: 5,
    labels: components.result.labels,
    excludeBorder: false,
  }),
);
ms.peaks = peaks.ms;
const markers = peaksToMarkers(peaks.result, width, height);
const negated: Plane<Float64Array> = {
  width,
  height,
  data: distance.result.data.map((v) => -v),
};
const basins = time(() => watershed(negated, markers, { mask }));
ms.watershed = basins.ms;
const filled = time(() => fillHoles(mask));
ms.fill = filled.ms;
const kept = time(() => removeSmallObjects(mask, { minSize: 64 }));
ms.small = kept.ms;
const expanded = time(() => expandLabels(labels, { distance: 5 }));
ms.expand = expanded.ms;
const nuclei = time(() => segmentNucleiClassical(image, { diameterPx: scene.diameterPx }));
ms.nuclei = nuclei.ms;

const unavailable = probeSkimage();
report(unavailable ?? compare());

/** Writes the inputs and cellscope's outputs to a temporary folder and runs the Python side. */
function compare(): SkimageResult | string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'cellscope-skimage-'));
  const files: Record<string, { dtype: string; file: string }> = {};
  /** Raw little-endian pixels, row-major, described in meta.json for numpy.fromfile. */
  const write = (name: string, data: PixelArray | Int32Array, dtype: string): void => {
    const file = `${name}.${dtype}.raw`;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    writeFileSync(path.join(folder, file), bytes);
    files[name] = { dtype, file };
  };
  write('image', image.data, 'u2');
  write('mask', mask.data, 'u1');
  write('labels', labels.data, 'u4');
  // cellscope's outputs, which the Python side compares with its own; the middle three are
  // also its inputs, so both sides time peak_local_max and watershed on the same bytes.
  write('components', components.result.labels.data, 'u4');
  write('distance', distance.result.data, 'f8');
  write('markers', markers.data, 'u4');
  write('peaks', Int32Array.from(peaks.result.flat()), 'i4');
  write('opening', opening.result.data, 'u1');
  write('watershed', basins.result.data, 'u4');
  write('filled', filled.result.data, 'u1');
  write('kept', kept.result.data, 'u1');
  write('expanded', expanded.result.data, 'u4');
  write('nuclei', nuclei.result.labels.data, 'u4');
  const meta = {
    width,
    height,
    runs,
    diameterPx: scene.diameterPx,
    otsu: otsu.result,
    labelCount: components.result.count,
    nucleiCount: nuclei.result.count,
    nucleiThreshold: nuclei.result.threshold,
    files,
  };
  writeFileSync(path.join(folder, 'meta.json'), JSON.stringify(meta, null, 2));

  console.error(`timing scikit-image (${python} ${path.relative(process.cwd(), script)})…`);
  const run = spawnSync(python, [script, folder], { stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    if (run.status !== 0) {
      return `${path.basename(script)} failed (exit ${run.status ?? run.signal}): no scikit-image column`;
    }
    return JSON.parse(readFileSync(path.join(folder, 'skimage.json'), 'utf8')) as SkimageResult;
  } finally {
    if (args.keep) console.error(`files kept in ${folder}`);
    else rmSync(folder, { recursive: true, force: true });
  }
}

/** Why scikit-image cannot be timed, or undefined when it can. */
function probeSkimage(): string | undefined {
  const probe = spawnSync(python, ['-c', 'import numpy, scipy, skimage'], { encoding: 'utf8' });
  const install = 'no scikit-image column (apt-get install python3-skimage)';
  if (probe.error) return `${python} was not found: ${install}`;
  if (probe.status !== 0) return `scikit-image is not installed for ${python}: ${install}`;
  return undefined;
}

function report(skimage: SkimageResult | string): void {
  const cpus = os.cpus();
  const foreground = mask.data.reduce((sum, v) => sum + v, 0) / mask.data.length;
  console.log(
    `\n${width} × ${height} uint16 scene: ${scene.objects} nuclei (~${scene.diameterPx.toFixed(0)} px) ` +
      `+ ${scene.specks} specks, ${(foreground * 100).toFixed(0)}% foreground, ` +
      `${components.result.count} 8-connected components. Median of ${runs} runs after a warm-up.\n`,
  );
  const compared = typeof skimage !== 'string';
  console.log(
    compared
      ? '| operation | cellscope ms | scikit-image ms | ratio (skimage / cellscope) |\n|---|---:|---:|---:|'
      : '| operation | cellscope ms |\n|---|---:|',
  );
  const slower: string[] = [];
  for (const [key, name] of OPERATIONS) {
    if (!compared) {
      console.log(`| ${name} | ${ms[key].toFixed(1)} |`);
      continue;
    }
    const ratio = skimage.ms[key] / ms[key];
    if (ratio < 1) slower.push(name);
    const verdict =
      ratio >= 1 ? `${ratio.toFixed(1)}× faster` : `**${ratio.toFixed(2)}× (slower)**`;
    console.log(`| ${name} | ${ms[key].toFixed(1)} | ${skimage.ms[key].toFixed(1)} | ${verdict} |`);
  }
  console.log(
    `\nNode ${process.version}; ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}); ${os.platform()} ${os.arch()}.`,
  );
  if (!compared) {
    console.log(`${skimage}.`);
    return;
  }
  const { versions, checks } = skimage;
  console.log(
    `Python ${versions.python}, scikit-image ${versions.skimage}, SciPy ${versions.scipy}, NumPy ${versions.numpy} (${python}).`,
  );
  const exact = checks.filter((check) => check.ok && !check.note);
  console.log(`Outputs equal: ${exact.map((check) => check.operation).join(', ')}.`);
  for (const { operation, ok, detail, note } of checks) {
    if (ok && note)
      console.log(`Outputs differ in tie order only, ${operation}: ${detail}; ${note}.`);
  }
  const failed = checks.filter((check) => !check.ok);
  if (failed.length > 0) {
    console.log(
      `\n!!! ${failed.length} of ${checks.length} outputs DISAGREE with scikit-image:\n` +
        failed.map((check) => `!!!   ${check.operation}: ${check.detail}`).join('\n') +
        '\n',
    );
  }
  console.log(
    slower.length === 0
      ? 'Target met: no operation slower than scikit-image.'
      : `Target missed: slower than scikit-image at ${slower.join(', ')}.`,
  );
  if (failed.length > 0) process.exitCode = 1;
}
