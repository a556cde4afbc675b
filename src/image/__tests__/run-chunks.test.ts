import { describe, expect, it } from 'vitest';
import { defaultThreads, runChunks, type KernelArray } from '../run-chunks.js';

/** Writes k² at k and counts the visits of each index. */
function squares(
  arrays: readonly KernelArray[],
  params: readonly number[],
  from: number,
  to: number,
) {
  for (let k = from; k < to; k++) {
    arrays[0][k] = k * k + params[0];
    arrays[1][k] += 1;
  }
}

/**
 * Index 0 (the calling thread's first chunk) waits up to 10 s for another thread to take index 1
 * and records whether one did: 1 only when a worker thread really ran a chunk.
 */
function waitForAnotherThread(
  arrays: readonly KernelArray[],
  _params: readonly number[],
  from: number,
  to: number,
) {
  const [seen, flag] = arrays as [Float64Array, Int32Array];
  for (let k = from; k < to; k++) {
    if (k === 0) {
      seen[0] = Atomics.wait(flag, 0, 0, 10_000) === 'timed-out' ? 0 : 1;
    } else {
      seen[k] = 1;
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    }
  }
}

describe('runChunks', () => {
  it('visits every index once, with the same values, for 1 to 4 threads and any chunk size', async () => {
    const count = 1001;
    for (const [threads, chunk] of [
      [1, 1000],
      [2, 7],
      [3, 100],
      [4, 1],
    ]) {
      const values = new Float64Array(count);
      const visits = new Int32Array(count);
      await runChunks(squares, [values, visits], [0.5], count, { threads, chunk });
      expect(visits.every((v) => v === 1)).toBe(true);
      expect(values[0]).toBe(0.5);
      expect(values[1000]).toBe(1_000_000.5);
      expect(values.every((v, k) => v === k * k + 0.5)).toBe(true);
    }
  });

  it('runs chunks on a worker thread, not only on the calling one', async () => {
    const seen = new Float64Array(2);
    await runChunks(waitForAnotherThread, [seen, new Int32Array(1)], [], 2, {
      threads: 2,
      chunk: 1,
    });
    expect([...seen]).toEqual([1, 1]);
  });

  it('gives a kernel error back to the caller', async () => {
    const failing = (_a: readonly KernelArray[], _p: readonly number[], from: number) => {
      if (from > 0) throw new Error('kernel failed');
    };
    await expect(
      runChunks(failing, [new Float64Array(4)], [], 4, { threads: 2, chunk: 1 }),
    ).rejects.toThrow();
  });

  it('defaults to the machine’s cores', () => {
    expect(defaultThreads()).toBeGreaterThanOrEqual(1);
  });
});
