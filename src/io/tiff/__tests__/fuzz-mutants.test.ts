import { describe, expect, it } from 'vitest';
import { CellscopeError, ImageFormatError } from '../../../errors.js';
import { HAS_SHARED, readSharedBytes, readSharedJson } from '../../../../test/shared.js';
import { decodeTiffArray, tiffArrayToStack } from '../read.js';
import { rngFrom, type Seed, builtSeeds, MEMORY_LIMIT, memoryInUse } from './fuzz-build.js';
import { mapTiff, mutate } from './fuzz-mutate.js';

// Mutated valid TIFFs must read or raise a CellscopeError: never crash, hang, allocate absurdly,
// or escape as an untyped exception (not even one that decodeTiffArray's safety net wraps).
// CELLSCOPE_FUZZ_CASES sets the case count (at least 2,000 on CI); CELLSCOPE_FUZZ_SEED the run.

const requested = Number(process.env.CELLSCOPE_FUZZ_CASES) || 2000;
const CASES = process.env.CI ? Math.max(2000, requested) : requested;
const BASE_SEED = Number(process.env.CELLSCOPE_FUZZ_SEED) >>> 0 || 0x7ce11;

// ---------------------------------------------------------------------------------------------
// The check each case must pass.

function problemWith(error: unknown): string | undefined {
  if (error instanceof CellscopeError) {
    // decodeTiffArray's catch-all turns any other exception into this message; a real check never does.
    if (!(error instanceof ImageFormatError) || !error.message.startsWith('TIFF is malformed ('))
      return undefined;
    const cause = error.cause as Error;
    return `only decodeTiffArray's safety net caught ${cause.name}: ${cause.message}\n${cause.stack?.split('\n').slice(1, 4).join('\n')}`;
  }
  const e = error as Error;
  return `untyped ${e?.name}: ${e?.message}\n${e?.stack?.split('\n').slice(1, 4).join('\n')}`;
}

function checkCase(bytes: Uint8Array): string | undefined {
  let array;
  try {
    array = decodeTiffArray(bytes);
  } catch (error) {
    return problemWith(error);
  }
  const limit = Math.max(bytes.length * 1500, 1024 ** 2);
  if (array.data.byteLength > limit) {
    return `a ${bytes.length}-byte file decoded to ${array.data.byteLength} bytes`;
  }
  try {
    tiffArrayToStack(array);
  } catch (error) {
    return problemWith(error);
  }
  return undefined;
}

const sharedSeeds: Seed[] = HAS_SHARED
  ? readSharedJson<{ cases: { file: string; error?: boolean }[] }>('fixtures/tiff/manifest.json')
      .cases.filter((c) => !c.error)
      .map((c) => ({ name: c.file, bytes: readSharedBytes('fixtures/tiff', c.file) }))
  : [];
const seeds = [...builtSeeds, ...sharedSeeds];
const casesPerSeed = Math.ceil(CASES / seeds.length);

describe('TIFF reader under fuzzing', () => {
  it.each(seeds.map((seed, s) => [seed.name, s] as const))(
    `${casesPerSeed} mutants of %s read or fail with a CellscopeError`,
    (_, s) => {
      const seed = seeds[s];
      const map = mapTiff(seed.bytes);
      const failures: string[] = [];
      const before = memoryInUse();
      let peakMemory = 0;
      for (let k = 0; k < casesPerSeed; k++) {
        const caseIndex = s * casesPerSeed + k;
        const rng = rngFrom(BASE_SEED ^ Math.imul(caseIndex + 1, 0x9e3779b1));
        const mutant = mutate(seed.bytes, map, rng);
        const problem = checkCase(mutant.bytes);
        if (problem) failures.push(`case ${caseIndex} (${mutant.what}): ${problem}`);
        peakMemory = Math.max(peakMemory, memoryInUse());
      }
      const replay = `CELLSCOPE_FUZZ_SEED=${BASE_SEED} CELLSCOPE_FUZZ_CASES=${CASES}`;
      expect(failures.slice(0, 10), `${failures.length} failing cases (${replay})`).toEqual([]);
      expect(peakMemory - before).toBeLessThan(MEMORY_LIMIT);
    },
  );
});
