import { describe, expect, it } from 'vitest';
import { randomCellposeWeights } from '../../../../test/cellpose-weights.js';
import { CellscopeError } from '../../../errors.js';
import { seededRandom } from '../../../synth/random.js';
import { checkCpnetLayout } from '../../network/architecture.js';
import { decodeStateDict } from '../state-dict.js';
import { encodeStateDict } from '../encode-state-dict.js';
import { pthZip, tensorPickle } from './craft-pth.js';

// Mutated weight files must read or raise a CellscopeError: never crash, hang, overflow the
// stack or allocate absurdly. CELLSCOPE_FUZZ_CASES sets the case count (at least 2,000 on CI),
// CELLSCOPE_FUZZ_SEED the run, as in the TIFF fuzz test.

const requested = Number(process.env.CELLSCOPE_FUZZ_CASES) || 2000;
const CASES = process.env.CI ? Math.max(2000, requested) : requested;
const BASE_SEED = Number(process.env.CELLSCOPE_FUZZ_SEED) >>> 0 || 0x9e1f;
/** No mutant may leave more than this in use after it is read. */
const MEMORY_LIMIT = 256 * 1024 ** 2;

interface Rng {
  next: () => number;
  int: (n: number) => number;
}

function rngFrom(seed: number): Rng {
  const next = seededRandom(seed);
  return { next, int: (n) => Math.floor(next() * n) };
}

const small = randomCellposeWeights({ nbase: [2, 8, 16], seed: 5 });
const SEEDS: { name: string; bytes: Uint8Array }[] = [
  { name: 'CPnet zip', bytes: encodeStateDict(small) },
  { name: 'CPnet legacy', bytes: encodeStateDict(small, { layout: 'legacy' }) },
  {
    name: 'strided views of one storage',
    bytes: pthZip(
      tensorPickle([
        { name: 'a', key: '0', numel: 12, shape: [3, 4], stride: [4, 1] },
        { name: 'b', key: '0', numel: 12, shape: [4, 3], stride: [1, 4] },
        { name: 'c', key: '0', numel: 12, offset: 2, shape: [2, 2], stride: [4, 1] },
      ]),
      { '0': new Uint8Array(Float32Array.from({ length: 12 }, (_, i) => i).buffer) },
      { level: 6 },
    ),
  },
];

/** Values a length, count or offset field is most likely to break on. */
const EXTREMES = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

type Mutation = (bytes: Uint8Array, rng: Rng) => Uint8Array;

const MUTATIONS: [name: string, mutate: Mutation][] = [
  [
    'flip a bit',
    (b, rng) => {
      const out = b.slice();
      out[rng.int(out.length)] ^= 1 << rng.int(8);
      return out;
    },
  ],
  [
    'random bytes',
    (b, rng) => {
      const out = b.slice();
      for (let i = 1 + rng.int(8); i > 0; i--) out[rng.int(out.length)] = rng.int(256);
      return out;
    },
  ],
  [
    'an extreme 32-bit value',
    (b, rng) => {
      const out = b.slice();
      const at = rng.int(Math.max(1, out.length - 4));
      new DataView(out.buffer).setUint32(at, EXTREMES[rng.int(EXTREMES.length)], rng.int(2) === 0);
      return out;
    },
  ],
  ['truncate', (b, rng) => b.slice(0, rng.int(b.length))],
  [
    'repeat a slice',
    (b, rng) => {
      const start = rng.int(b.length);
      const end = Math.min(b.length, start + 1 + rng.int(64));
      const out = new Uint8Array(b.length + end - start);
      out.set(b.subarray(0, end));
      out.set(b.subarray(start), end);
      return out;
    },
  ],
  [
    'delete a slice',
    (b, rng) => {
      const start = rng.int(b.length);
      const end = Math.min(b.length, start + 1 + rng.int(64));
      const out = new Uint8Array(b.length - (end - start));
      out.set(b.subarray(0, start));
      out.set(b.subarray(end), start);
      return out;
    },
  ],
];

/** undefined when the file read or failed with a CellscopeError; else what went wrong. */
function checkCase(bytes: Uint8Array): string | undefined {
  for (const options of [{}, { validate: checkCpnetLayout }]) {
    try {
      const weights = decodeStateDict(bytes, options);
      let values = 0;
      for (const tensor of weights.values()) values += tensor.data.length;
      // Every value comes from the file: none may be invented by a stride or an expansion.
      if (values * 8 > Math.max(bytes.length * 8, 1024 ** 2)) {
        return `a ${bytes.length}-byte file gave ${values} values`;
      }
    } catch (error) {
      if (!(error instanceof CellscopeError)) {
        return `${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`;
      }
      if (!error.message || error.message.includes('\n')) return `bad message: ${error.message}`;
    }
  }
  return undefined;
}

function memoryInUse(): number {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

describe('.pth reader under fuzzing', () => {
  it.each(SEEDS.map((seed) => [seed.name, seed.bytes] as const))('seed %s reads', (_, bytes) => {
    expect(checkCase(bytes)).toBeUndefined();
    expect(decodeStateDict(bytes).size).toBeGreaterThan(2);
  });

  const perSeed = Math.ceil(CASES / SEEDS.length);
  it.each(SEEDS.map((seed, s) => [seed.name, s] as const))(
    `${perSeed} mutants of %s read or fail with a CellscopeError`,
    (_, s) => {
      const failures: string[] = [];
      const before = memoryInUse();
      let peak = 0;
      for (let k = 0; k < perSeed; k++) {
        const caseIndex = s * perSeed + k;
        const rng = rngFrom(BASE_SEED ^ Math.imul(caseIndex + 1, 0x9e3779b1));
        const [what, mutate] = MUTATIONS[rng.int(MUTATIONS.length)];
        const problem = checkCase(mutate(SEEDS[s].bytes, rng));
        if (problem) failures.push(`case ${caseIndex} (${what}): ${problem}`);
        peak = Math.max(peak, memoryInUse());
      }
      const replay = `CELLSCOPE_FUZZ_SEED=${BASE_SEED} CELLSCOPE_FUZZ_CASES=${CASES}`;
      expect(failures.slice(0, 10), `${failures.length} failing cases (${replay})`).toEqual([]);
      expect(peak - before).toBeLessThan(MEMORY_LIMIT);
    },
  );
});
