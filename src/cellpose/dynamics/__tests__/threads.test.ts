import { describe, expect, it } from 'vitest';
import { countedCases, HAS_SHARED, readSharedJson } from '../../../../test/shared.js';
import { computeMasksThreaded } from '../compute-masks.js';
import { defaultNiter } from '../default-niter.js';
import { followFlowsThreaded } from '../follow-flows.js';
import { masksToFlowsThreaded } from '../masks-to-flows.js';
import {
  cases,
  cellprobOf,
  countDiffering,
  type FileEntry,
  type FlowsCase,
  flowsOf,
  labelsOf,
  manifest,
  masksInputs,
  type MasksCase,
  npy,
} from './fixtures.js';

// Small chunks, so that on these small fixtures every thread takes work.
const THREADS = [1, 2, 4];
const CHUNK = 64;

describe.skipIf(!HAS_SHARED)('Cellpose flows fixtures with 1, 2 and 4 threads', () => {
  const m = manifest();
  const all = countedCases(cases<FlowsCase>(m.flows), 3, 'threads flows');

  for (const [name, c] of all) {
    it(`flows_${name}: bit-identical flows and the same centres`, async () => {
      const labels = labelsOf(npy(c.labels));
      const expected = npy(c.flows).data as Float64Array;
      for (const threads of THREADS) {
        const { flows, centers } = await masksToFlowsThreaded(labels, { threads });
        expect(countDiffering(flows.data, expected)).toBe(0);
        expect(centers.map((p) => p.iterations)).toEqual(c.diffusion_iterations_per_label);
      }
    });
  }
});

describe.skipIf(!HAS_SHARED)('Cellpose masks fixtures with 1, 2 and 4 threads', () => {
  const m = manifest();
  const all = countedCases(cases<MasksCase>(m.masks), 8, 'threads masks');

  for (const [name, c] of all) {
    it(`${name}: final positions bit for bit and masks pixel for pixel`, async () => {
      const { dP, cellprob } = masksInputs(m, name);
      const p = c.params;
      const expectedP = npy(c.p_final).data as Float32Array;
      const expected = labelsOf(npy(c.masks));
      for (const threads of THREADS) {
        const positions = await followFlowsThreaded(dP, cellprob, {
          niter: p.niter,
          cellprobThreshold: p.cellprob_threshold,
          interp: p.interp,
          threads,
          chunk: CHUNK,
        });
        const n = positions.pixels.length;
        expect(n).toBe(c.n_foreground);
        expect(countDiffering(positions.y, expectedP.subarray(0, n))).toBe(0);
        expect(countDiffering(positions.x, expectedP.subarray(n, 2 * n))).toBe(0);
        const masks = await computeMasksThreaded(dP, cellprob, {
          niter: p.niter,
          cellprobThreshold: p.cellprob_threshold,
          flowThreshold: p.flow_threshold,
          interp: p.interp,
          minSize: p.min_size,
          maxSizeFraction: p.max_size_fraction,
          resize: p.resize ?? undefined,
          threads,
          chunk: CHUNK,
        });
        expect(countDiffering(masks.data, expected.data)).toBe(0);
        expect(Math.max(...masks.data)).toBe(c.n_masks);
      }
    });
  }
});

interface EndToEndCase {
  kwargs: { resample?: boolean; cellprob_threshold?: number; flow_threshold?: number };
  rescale?: number;
  masks: FileEntry;
  n_masks: number;
  dP?: FileEntry;
  cellprob?: FileEntry;
  flows_same_as?: string;
}

describe.skipIf(!HAS_SHARED)('Cellpose e2e fixtures with 1, 2 and 4 threads', () => {
  const e2e = HAS_SHARED
    ? readSharedJson<{ e2e: Record<string, EndToEndCase | string> }>(
        'fixtures',
        'cellpose',
        'manifest.json',
      ).e2e
    : {};
  const all = countedCases(
    cases<EndToEndCase>(e2e).filter(([, c]) => c.rescale !== undefined),
    6,
    'threads e2e',
  );

  for (const [name, c] of all) {
    it(`${name}: masks pixel for pixel`, async () => {
      const source = c.flows_same_as ? (e2e[c.flows_same_as] as EndToEndCase) : c;
      const dP = flowsOf(npy(source.dP as FileEntry));
      const cellprob = cellprobOf(npy(source.cellprob as FileEntry));
      const expected = labelsOf(npy(c.masks));
      const sameSize = dP.width === expected.width && dP.height === expected.height;
      for (const threads of THREADS) {
        const masks = await computeMasksThreaded(dP, cellprob, {
          niter: defaultNiter({
            rescale: c.rescale as number,
            resample: c.kwargs.resample ?? true,
          }),
          cellprobThreshold: c.kwargs.cellprob_threshold ?? 0,
          flowThreshold: c.kwargs.flow_threshold ?? 0.4,
          resize: sameSize ? undefined : [expected.height, expected.width],
          threads,
          chunk: CHUNK,
        });
        expect(countDiffering(masks.data, expected.data)).toBe(0);
        expect(Math.max(...masks.data)).toBe(c.n_masks);
      }
    });
  }
});
