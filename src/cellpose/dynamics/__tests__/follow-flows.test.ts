import { describe, expect, it } from 'vitest';
import { countedCases, HAS_SHARED } from '../../../../test/shared.js';
import { InvalidArgumentError } from '../../../errors.js';
import { followFlows } from '../follow-flows.js';
import type { CellProbability, FlowField } from '../types.js';
import { cases, countDiffering, manifest, masksInputs, npy, type MasksCase } from './fixtures.js';

describe.skipIf(!HAS_SHARED)('followFlows against Cellpose 3.1.1.3 fixtures', () => {
  const m = manifest();
  const all = countedCases(cases<MasksCase>(m.masks), 8, 'follow-flows');

  for (const [name, c] of all) {
    it(`${name}: final positions bit for bit (interp ${c.params.interp})`, () => {
      const { dP, cellprob } = masksInputs(m, name);
      const positions = followFlows(dP, cellprob, {
        niter: c.params.niter,
        cellprobThreshold: c.params.cellprob_threshold,
        interp: c.params.interp,
      });
      const expected = npy(c.p_final).data as Float32Array;
      const n = c.n_foreground;
      expect(positions.pixels.length).toBe(n);
      expect(countDiffering(positions.y, expected.subarray(0, n))).toBe(0);
      expect(countDiffering(positions.x, expected.subarray(n, 2 * n))).toBe(0);
    });
  }
});

/** A w × h field whose steps all point at (cy, cx) with the given length per unit of 1/5. */
function radialField(
  width: number,
  height: number,
  cy: number,
  cx: number,
): { dP: FlowField; cellprob: CellProbability } {
  const n = width * height;
  const data = new Float32Array(2 * n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = Math.hypot(cy - y, cx - x);
      if (r === 0) continue;
      data[y * width + x] = (5 * (cy - y)) / r;
      data[n + y * width + x] = (5 * (cx - x)) / r;
    }
  }
  return {
    dP: { width, height, data },
    cellprob: { width, height, data: new Float32Array(n).fill(1) },
  };
}

describe('followFlows in closed form', () => {
  it('brings every pixel of a radial field to within a pixel of its centre', () => {
    const { dP, cellprob } = radialField(21, 17, 8, 10);
    for (const interp of [true, false]) {
      const p = followFlows(dP, cellprob, { niter: 200, interp });
      expect(p.pixels.length).toBe(21 * 17);
      for (let k = 0; k < p.pixels.length; k++) {
        expect(Math.abs(p.y[k] - 8)).toBeLessThanOrEqual(1);
        expect(Math.abs(p.x[k] - 10)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('matches plain iteration when it skips cycles, for every niter', () => {
    // Unit steps towards a pixel centre end in 2-cycles around it; niter parity decides where.
    const { dP, cellprob } = radialField(9, 9, 4, 4);
    for (let niter = 0; niter < 40; niter++) {
      for (const interp of [true, false]) {
        const p = followFlows(dP, cellprob, { niter, interp });
        const q = naive(dP, niter, interp);
        expect(Array.from(p.y)).toEqual(Array.from(q.y));
        expect(Array.from(p.x)).toEqual(Array.from(q.x));
      }
    }
  });

  it('moves only foreground pixels, and nothing with zero steps', () => {
    const { dP, cellprob } = radialField(6, 5, 2, 3);
    cellprob.data.fill(-1);
    cellprob.data[7] = 0.5;
    const p = followFlows(dP, cellprob, { niter: 0 });
    expect(Array.from(p.pixels)).toEqual([7]);
    expect([p.y[0], p.x[0]]).toEqual([1, 1]);
    const none = followFlows(dP, cellprob, { niter: 10, cellprobThreshold: 0.5 });
    expect(none.pixels.length).toBe(0);
  });

  it('validates its inputs', () => {
    const { dP, cellprob } = radialField(6, 5, 2, 3);
    expect(() => followFlows(dP, cellprob, { niter: -1 })).toThrow(InvalidArgumentError);
    expect(() => followFlows(dP, { ...cellprob, width: 5 }, { niter: 1 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => followFlows(dP, cellprob, { niter: 1, cellprobThreshold: NaN })).toThrow(
      InvalidArgumentError,
    );
  });
});

/**
 * Cellpose's steps2D / steps_interp written out directly from the spec: every pixel, every
 * iteration, no shortcuts.
 */
function naive(
  dP: FlowField,
  niter: number,
  interp: boolean,
): { y: Float32Array; x: Float32Array } {
  const { width, height, data } = dP;
  const n = width * height;
  const f = Math.fround;
  const field = Float32Array.from(data, (v) => v / 5);
  const at = (c: number, y: number, x: number): number => field[c * n + y * width + x];
  const y = new Float32Array(n);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = Math.floor(i / width);
    x[i] = i % width;
  }
  const step = new Float32Array(2);
  for (let t = 0; t < niter; t++) {
    for (let i = 0; i < n; i++) {
      const y0 = Math.trunc(y[i]);
      const x0 = Math.trunc(x[i]);
      for (let c = 0; c < 2; c++) {
        if (!interp) {
          step[c] = at(c, y0, x0);
          continue;
        }
        const fy = y[i] - y0;
        const fx = x[i] - x0;
        const y1 = Math.min(y0 + 1, height - 1);
        const x1 = Math.min(x0 + 1, width - 1);
        const t1 = at(c, y0, x0) * (1 - fy) * (1 - fx);
        const t2 = at(c, y0, x1) * (1 - fy) * fx;
        const t3 = f(at(c, y1, x0) * fy) * (1 - fx);
        const t4 = f(f(at(c, y1, x1) * fy) * fx);
        step[c] = t1 + t2 + t3 + t4;
      }
      y[i] = Math.min(height - 1, Math.max(0, f(y[i] + step[0])));
      x[i] = Math.min(width - 1, Math.max(0, f(x[i] + step[1])));
    }
  }
  return { y, x };
}
