import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cellposeArchitecture } from '../src/cellpose/network/architecture.js';
import { buildCellposeOnnx, CELLPOSE_ONNX_NAMES } from '../src/cellpose/network/onnx-graph.js';
import { createNetworkSession } from '../src/cellpose/runtime.js';
import { decodeStateDict } from '../src/cellpose/weights/state-dict.js';
import { decodeNpy } from '../src/io/npy.js';

// Checks that .pth files written by training/ load in cellscope like official Cellpose weights
// and compute what PyTorch computes: each case of <dir>/cases.json (written by
// training/check_export.py) is read with decodeStateDict, built with buildCellposeOnnx, run on
// onnxruntime-node, and compared with PyTorch's output and style.
// Usage: npx tsx training/check-export.ts <dir> [--tolerance 1e-4]

interface Case {
  name: string;
  pth: string;
  input: string;
  output: string;
  style: string;
}

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
const toleranceFlag = args.indexOf('--tolerance');
const tolerance = toleranceFlag >= 0 ? Number(args[toleranceFlag + 1]) : 1e-4;
if (!dir || !(tolerance > 0)) {
  console.error('usage: npx tsx training/check-export.ts <dir> [--tolerance 1e-4]');
  process.exit(2);
}

const npy = async (file: string): Promise<{ data: Float32Array; shape: number[] }> => {
  const array = decodeNpy(new Uint8Array(await readFile(file)), file);
  if (!(array.data instanceof Float32Array)) throw new TypeError(`${file} is not float32`);
  return { data: array.data, shape: array.shape };
};

/** Largest |a - b| and largest |b|. */
const compare = (a: Float32Array, b: Float32Array): { diff: number; scale: number } => {
  if (a.length !== b.length) throw new RangeError(`lengths differ: ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return { diff, scale };
};

const cases = JSON.parse(await readFile(path.join(dir, 'cases.json'), 'utf8')) as Case[];
let failed = false;
for (const c of cases) {
  const weights = decodeStateDict(new Uint8Array(await readFile(c.pth)));
  const architecture = cellposeArchitecture(weights);
  const dtypes = new Set([...weights.values()].map((t) => t.dtype));
  console.log(
    `${c.name}: ${path.basename(c.pth)} ${weights.size} tensors (${[...dtypes].join(', ')}), ` +
      `nbase [${architecture.nbase.join(', ')}], nout ${architecture.nout}, ` +
      `diam_mean ${architecture.diamMean}, diam_labels ${architecture.diamLabels}, ` +
      `${architecture.parameterCount} parameters`,
  );

  const { model } = buildCellposeOnnx(weights);
  const session = await createNetworkSession(model, { threads: 2 });
  const input = await npy(c.input);
  const result = await session.run({
    [CELLPOSE_ONNX_NAMES.input]: { data: input.data, dims: input.shape },
  });
  await session.release();

  for (const [part, name] of [
    ['output', CELLPOSE_ONNX_NAMES.flows],
    ['style', CELLPOSE_ONNX_NAMES.style],
  ] as const) {
    const expected = await npy(c[part]);
    const actual = result[name];
    if (actual.dims.join() !== expected.shape.join()) {
      throw new RangeError(`${c.name} ${part}: shape [${actual.dims}] vs [${expected.shape}]`);
    }
    const { diff, scale } = compare(actual.data, expected.data);
    const ok = diff < tolerance;
    failed ||= !ok;
    console.log(
      `  ${part.padEnd(6)} [${expected.shape.join(', ')}] max |cellscope - torch| ` +
        `${diff.toExponential(2)} (max |torch| ${scale.toPrecision(4)}) ${ok ? 'ok' : 'FAIL'}`,
    );
  }
}
console.log(failed ? `FAILED (tolerance ${tolerance})` : `all cases within ${tolerance}`);
process.exitCode = failed ? 1 : 0;
