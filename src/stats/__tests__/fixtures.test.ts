import { describe as suite, expect, it } from 'vitest';
import { countedCases, HAS_SHARED } from '../../../test/shared.js';
import {
  argument,
  loadInput,
  loadOutput,
  scalarOutput,
  skimageCases,
  type SkimageCase,
} from '../../../test/skimage-fixtures.js';
import { gaussianKde } from '../gaussian-kde.js';
import { linearRegression } from '../linear-regression.js';
import { pearson } from '../pearson.js';
import { spearman } from '../spearman.js';

/**
 * Within 1e-9 relative, or 1e-15 absolute for values near 0. P-values down to 1e-144 are thus
 * compared relatively; the floor only matters for values that are 0.
 */
const TOLERANCE = 1e-9;

function expectClose(actual: number, expected: number, what: string): void {
  const error = Math.abs(actual - expected);
  const allowed = Math.max(TOLERANCE * Math.abs(expected), 1e-15);
  expect(error, `${what}: got ${actual}, want ${expected}`).toBeLessThanOrEqual(allowed);
}

function vector(c: SkimageCase, name: string): ArrayLike<number> {
  return loadInput(c, name).data as Float32Array | Float64Array;
}

/** `np.linspace(start, stop, num)`: arange(num)·step + start, last point = stop. */
function linspace(start: number, stop: number, count: number): Float64Array {
  const step = (stop - start) / (count - 1);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = i * step + start;
  out[count - 1] = stop;
  return out;
}

const cases = countedCases(skimageCases('stats'), 17, 'stats');
const byFunction = (name: string) => cases.filter((c) => c.function === `scipy.stats.${name}`);

suite.skipIf(!HAS_SHARED)('stats fixtures (SciPy 1.10.1)', () => {
  it('has the 17 fixture cases', () => {
    expect(cases).toHaveLength(17);
    expect(
      byFunction('pearsonr').length +
        byFunction('spearmanr').length +
        byFunction('linregress').length +
        byFunction('gaussian_kde').length,
    ).toBe(17);
  });

  for (const c of byFunction('pearsonr')) {
    it(`pearson matches ${c.id}`, () => {
      const result = pearson(vector(c, 'x'), vector(c, 'y'));
      expect(result.n).toBe(loadInput(c, 'x').shape[0]);
      expectClose(result.r, scalarOutput(c, 'statistic'), 'r');
      expectClose(result.p, scalarOutput(c, 'pvalue'), 'p');
    });
  }

  for (const c of byFunction('spearmanr')) {
    it(`spearman matches ${c.id}`, () => {
      const result = spearman(vector(c, 'a'), vector(c, 'b'));
      expectClose(result.rho, scalarOutput(c, 'statistic'), 'rho');
      expectClose(result.p, scalarOutput(c, 'pvalue'), 'p');
    });
  }

  for (const c of byFunction('linregress')) {
    it(`linearRegression matches ${c.id}`, () => {
      const result = linearRegression(vector(c, 'x'), vector(c, 'y'));
      expectClose(result.slope, scalarOutput(c, 'slope'), 'slope');
      expectClose(result.intercept, scalarOutput(c, 'intercept'), 'intercept');
      expectClose(result.r, scalarOutput(c, 'rvalue'), 'r');
      expectClose(result.p, scalarOutput(c, 'pvalue'), 'p');
      expectClose(result.stderr, scalarOutput(c, 'stderr'), 'stderr');
      expectClose(result.interceptStderr, scalarOutput(c, 'intercept_stderr'), 'interceptStderr');
    });
  }

  for (const c of byFunction('gaussian_kde')) {
    it(`gaussianKde matches ${c.id} (and seaborn's kdeplot grid)`, () => {
      const data = vector(c, 'dataset');
      const kde = gaussianKde(data, { bandwidth: argument<'scott'>(c, 'bw_method') });
      expectClose(kde.bandwidth, scalarOutput(c, 'factor'), 'factor');
      expectClose(kde.kernelVariance, scalarOutput(c, 'covariance'), 'covariance');
      expectClose(kde.kernelSd, scalarOutput(c, 'bandwidth'), 'bandwidth');

      const wantGrid = loadOutput(c, 'grid').data as Float64Array;
      const lo = Math.min(...Array.from(data));
      const hi = Math.max(...Array.from(data));
      const grid = linspace(lo - 3 * kde.kernelSd, hi + 3 * kde.kernelSd, wantGrid.length);
      // Grid points near 0 are differences of O(range) numbers: compare on the grid's scale.
      const scale = Math.max(Math.abs(grid[0]), Math.abs(grid[grid.length - 1]));
      for (let i = 0; i < grid.length; i++) {
        expect(Math.abs(grid[i] - wantGrid[i])).toBeLessThanOrEqual(TOLERANCE * scale);
      }

      // The density at the reference grid itself, so that grid rounding does not enter.
      const density = kde.evaluate(wantGrid);
      const want = loadOutput(c, 'density').data as Float64Array;
      for (let i = 0; i < want.length; i++) expectClose(density[i], want[i], `density[${i}]`);
    });
  }
});
