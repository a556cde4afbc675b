import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { cohensD } from '../cohens-d.js';
import { describeSample } from '../describe.js';
import { gaussianKde } from '../gaussian-kde.js';
import { hedgesG } from '../hedges-g.js';
import { linearRegression } from '../linear-regression.js';
import { mannWhitneyU } from '../mann-whitney-u.js';
import { pearson } from '../pearson.js';
import { rankBiserial } from '../rank-biserial.js';
import { regressionBand } from '../regression-band.js';
import { normalSf } from '../special.js';
import { spearman } from '../spearman.js';
import { welchT } from '../welch-t.js';

function expectRelative(actual: number, expected: number, tolerance = 1e-12): void {
  if (actual === expected) return;
  expect(Math.abs(actual - expected), `got ${actual}, want ${expected}`).toBeLessThanOrEqual(
    Math.max(tolerance * Math.abs(expected), 1e-15),
  );
}

/** Two-sided p of Student's t with 3 degrees of freedom, closed form: 1 − (2/π)(atan u + u/(1 + u²)), u = t/√3. */
function twoSidedT3(t: number): number {
  const u = Math.abs(t) / Math.sqrt(3);
  return 1 - (2 / Math.PI) * (Math.atan(u) + u / (1 + u * u));
}

/** Two-sided p of Student's t with 4 degrees of freedom, closed form. */
function twoSidedT4(t: number): number {
  const u = 1 + (t * t) / 4;
  const a = Math.abs(t);
  return 1 - (3 / 4) * (a / Math.sqrt(u)) * (1 - (t * t) / (12 * u));
}

describe('describeSample', () => {
  it('summarizes 1…10 with a NaN, as numpy.nan* functions', () => {
    const d = describeSample([7, 3, NaN, 10, 1, 5, 9, 2, 8, 4, 6]);
    expect(d).toEqual({
      n: 10,
      nMissing: 1,
      mean: 5.5,
      sd: Math.sqrt(55 / 6),
      median: 5.5,
      q1: 3.25, // position 0.25·9 = 2.25 between 3 and 4
      q3: 7.75,
      min: 1,
      max: 10,
    });
  });

  it('takes the middle value for odd n and gives NaN sd for one value', () => {
    const d = describeSample(Float32Array.of(8, 2, 4));
    expect([d.median, d.q1, d.q3]).toEqual([4, 3, 6]);
    expectRelative(d.sd, Math.sqrt(28 / 3), 1e-15); // squared deviations 56/3 over 2
    expect(describeSample([42]).sd).toBeNaN();
  });

  it('needs a value', () => {
    expect(() => describeSample([NaN, NaN])).toThrow(InvalidArgumentError);
    expect(() => describeSample([])).toThrow(/at least 1/);
  });
});

describe('pearson, spearman, linearRegression on a hand-computed sample', () => {
  // Sxx = 10, Syy = 6, Sxy = 6: slope 0.6, intercept 2.2, r = √0.6, t = √4.5 with 3 df.
  const x = [1, 2, 3, 4, 5];
  const y = [2, 4, 5, 4, 5];
  const r = Math.sqrt(0.6);
  const p = twoSidedT3(Math.sqrt(4.5));

  it('pearson: r and the exact beta p-value (= the t-test p)', () => {
    const result = pearson(x, y);
    expectRelative(result.r, r, 1e-15);
    expectRelative(result.p, p);
    expect(result.n).toBe(5);
  });

  it('linearRegression: all six outputs', () => {
    const result = linearRegression(x, y);
    expectRelative(result.slope, 0.6, 1e-15);
    expectRelative(result.intercept, 2.2, 1e-15);
    expectRelative(result.r, r, 1e-15);
    expectRelative(result.p, p);
    // stderr = √((1 − r²)·Syy/Sxx/3) = √0.08; interceptStderr = stderr·√(Sxx/n + x̄²) = √0.88.
    expectRelative(result.stderr, Math.sqrt(0.08), 1e-14);
    expectRelative(result.interceptStderr, Math.sqrt(0.88), 1e-14);
  });

  it('spearman: average ranks for ties', () => {
    // y = [5, 6, 7, 8, 7] ranks [1, 2, 3.5, 5, 3.5]: Sxy = 8, Sxx = 10, Syy = 9.5.
    const result = spearman(x, [5, 6, 7, 8, 7]);
    const rho = 8 / Math.sqrt(95);
    expectRelative(result.rho, rho, 1e-15);
    expectRelative(result.p, twoSidedT3(rho * Math.sqrt(3 / (1 - rho * rho))));
  });

  it('drops pairs with NaN and reports n', () => {
    const withGaps = pearson([1, NaN, 2, 3, 4, 5, 6], [2, 1, 4, 5, 4, NaN, 5]);
    const clean = pearson([1, 2, 3, 4, 6], [2, 4, 5, 4, 5]);
    expect(withGaps).toEqual(clean);
    expect(spearman([NaN, 1, 2, 3], [0, 3, 1, 2]).n).toBe(3);
    expect(linearRegression([1, 2, 3, NaN], [1, 2, 4, 5]).n).toBe(3);
  });

  it('follows SciPy at the edges', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toEqual({ r: NaN, p: NaN, n: 3 });
    expect(spearman([1, 2, 3], [4, 4, 4])).toEqual({ rho: NaN, p: NaN, n: 3 });
    expect(pearson([1, 2], [5, 3])).toEqual({ r: -1, p: 1, n: 2 });
    const line = linearRegression([0, 1, 2, 3], [1, 3, 5, 7]);
    expect([line.slope, line.intercept, line.r, line.stderr]).toEqual([2, 1, 1, 0]);
    expect(line.p).toBeLessThan(1e-20);
    expect(linearRegression([0, 1], [3, 3])).toMatchObject({ p: 1, stderr: 0, interceptStderr: 0 });
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 16])).toMatchObject({ rho: 1, p: 0 });
  });

  it('rejects bad input', () => {
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(/same length/);
    expect(() => spearman([1, NaN], [1, 2])).toThrow(/at least 2 .* after dropping 1/);
    expect(() => linearRegression([2, 2, 2], [1, 2, 3])).toThrow(InvalidArgumentError);
  });
});

describe('mannWhitneyU', () => {
  it('is exact for perfectly separated small samples', () => {
    // All 20 arrangements of 3 + 3 equally likely; only one gives U = 0.
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6])).toEqual({
      u: 0,
      p: 2 / 20,
      n1: 3,
      n2: 3,
      method: 'exact',
    });
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6], { alternative: 'less' }).p).toBe(1 / 20);
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6], { alternative: 'greater' }).p).toBe(1);
    expect(mannWhitneyU([4, 5, 6], [1, 2, 3]).u).toBe(9);
  });

  it('counts arrangements exactly when one sample is small (n1 = 5, n2 = 12)', () => {
    // U = 7. Arrangements with U ≤ k are partitions of k into ≤ 5 parts: 1, 1, 2, 3, 5, 7, 10, 13
    // for k = 0…7, 42 in all, out of C(17, 5) = 6188.
    const a = [3.1, 0.4, 2.7, 5.9, 1.8];
    const b = [4.4, 6.2, 3.9, 7.5, 5.1, 8.0, 2.2, 6.9, 9.3, 4.8, 7.1, 10.6];
    const result = mannWhitneyU(a, b);
    expect(result.u).toBe(7);
    expect(result.method).toBe('exact');
    expectRelative(result.p, 84 / 6188, 1e-15);
    expectRelative(mannWhitneyU(a, b, { alternative: 'less' }).p, 42 / 6188, 1e-15);
    // P(U ≥ 7) = 1 − P(U ≤ 6) = 1 − 29/6188.
    expectRelative(mannWhitneyU(a, b, { alternative: 'greater' }).p, 6159 / 6188, 1e-15);
  });

  it('uses the normal approximation for larger samples', () => {
    // 1…20 against 21…40: U = 0, σ² = 20·20·41/12, z = (400 − 200 − ½)/σ.
    const a = Array.from({ length: 20 }, (_, i) => i + 1);
    const b = a.map((v) => v + 20);
    const result = mannWhitneyU(a, b);
    expect(result).toMatchObject({ u: 0, method: 'asymptotic' });
    expectRelative(result.p, 2 * normalSf(199.5 / Math.sqrt((400 * 41) / 12)), 1e-15);
  });

  it('matches SciPy 1.10.1 with ties (tie-corrected asymptotic)', () => {
    const a = [1.1, 2.2, 2.2, 3.5, 4.0, 5.1, 6.3, 7.7, 8.2, 9.9];
    const b = [2.2, 3.0, 4.0, 4.5, 5.5, 6.1, 7.0, 8.8, 10.1, 12.4, 13.0];
    // scipy.stats.mannwhitneyu(a, b) -> (37.5, 0.23050771150042793)
    const result = mannWhitneyU(a, b);
    expect(result.u).toBe(37.5);
    expectRelative(result.p, 0.23050771150042793);
    // scipy.stats.mannwhitneyu(a, b, alternative='less').pvalue -> 0.11525385575021396
    expectRelative(mannWhitneyU(a, b, { alternative: 'less' }).p, 0.11525385575021396);
  });

  it('gives p = 1 for identical samples', () => {
    expect(mannWhitneyU([1, 2, 3], [1, 2, 3])).toMatchObject({ u: 4.5, p: 1 });
  });

  it('rejects an empty sample and exact tests on ties', () => {
    expect(() => mannWhitneyU([], [1, 2])).toThrow(InvalidArgumentError);
    expect(() => mannWhitneyU([1, 2], [2, 3], { method: 'exact' })).toThrow(/ties/);
  });
});

describe('welchT', () => {
  it('has the closed form for [1, 2, 3] vs [4, 5, 6]', () => {
    // Variances 1 and 1: t = −3/√(2/3), df = (2/3)²/(2·(1/3)²/2) = 4.
    const result = welchT([1, 2, 3], [4, 5, 6]);
    expectRelative(result.t, -3 / Math.sqrt(2 / 3), 1e-15);
    expectRelative(result.df, 4, 1e-15);
    expectRelative(result.p, twoSidedT4(result.t));
  });

  it('matches SciPy 1.10.1 with unequal variances and sizes', () => {
    const a = [4.1, 5.3, 6.2, 5.8, 4.9, 5.5];
    const b = [6.8, 7.9, 5.9, 8.4, 7.2, 9.1, 6.6, 7.7];
    // scipy.stats.ttest_ind(a, b, equal_var=False) -> (-4.54342857561232, 0.0006753322038951738)
    const result = welchT(a, b);
    expectRelative(result.t, -4.54342857561232);
    expectRelative(result.p, 0.0006753322038951738);
    // v1, v2 = np.var(a, ddof=1)/6, np.var(b, ddof=1)/8; (v1+v2)**2/(v1**2/5+v2**2/7)
    expectRelative(result.df, 11.989264176541168);
    // scipy.stats.ttest_ind(a, b, equal_var=False, alternative='less').pvalue
    expectRelative(welchT(a, b, { alternative: 'less' }).p, 0.0003376661019475869);
  });

  it('follows SciPy for constant samples and drops NaN', () => {
    expect(welchT([1, 1], [2, 2])).toMatchObject({ t: -Infinity, df: 1, p: 0 });
    expect(welchT([1, 2, 3, NaN], [4, 5, 6])).toEqual(welchT([1, 2, 3], [4, 5, 6]));
    expect(() => welchT([1], [2, 3])).toThrow(/at least 2/);
  });
});

describe('effect sizes', () => {
  it('cohensD uses the pooled SD', () => {
    expect(cohensD([1, 2, 3], [4, 5, 6])).toBe(-3);
    // a: mean 5, SS 20; b: mean 2, SS 2; pooled variance 22/5.
    expectRelative(cohensD([2, 4, 6, 8], [1, 2, 3]), 3 / Math.sqrt(22 / 5), 1e-15);
    expect(() => cohensD([1], [2])).toThrow(InvalidArgumentError);
  });

  it('hedgesG applies J(ν) = Γ(ν/2)/(√(ν/2)·Γ((ν−1)/2))', () => {
    // ν = 4: J = Γ(2)/(√2·Γ(3/2)) = √(2/π). ν = 5: J = Γ(5/2)/(√2.5·Γ(2)) = 0.75·√(π/2.5).
    expectRelative(hedgesG([1, 2, 3], [4, 5, 6]), -3 * Math.sqrt(2 / Math.PI), 1e-14);
    expectRelative(
      hedgesG([2, 4, 6, 8], [1, 2, 3]),
      (3 / Math.sqrt(22 / 5)) * 0.75 * Math.sqrt(Math.PI / 2.5),
      1e-14,
    );
    // Close to the usual approximation 1 − 3/(4ν − 1) for large ν (ν = 198 here).
    const a = Array.from({ length: 100 }, (_, i) => Math.sin(i) + 0.5);
    const b = Array.from({ length: 100 }, (_, i) => Math.cos(i));
    expectRelative(hedgesG(a, b), cohensD(a, b) * (1 - 3 / (4 * 198 - 1)), 1e-5);
    expect(() => hedgesG([1, 2], [3])).toThrow(InvalidArgumentError);
  });

  it('rankBiserial is P(a > b) − P(a < b)', () => {
    expect(rankBiserial([1, 2, 3], [4, 5, 6])).toBe(-1);
    expect(rankBiserial([4, 5, 6], [1, 2, 3])).toBe(1);
    expect(rankBiserial([1, 2, 3], [1, 2, 3])).toBe(0);
    // U = 7 of 60 pairs.
    const a = [3.1, 0.4, 2.7, 5.9, 1.8];
    const b = [4.4, 6.2, 3.9, 7.5, 5.1, 8.0, 2.2, 6.9, 9.3, 4.8, 7.1, 10.6];
    expectRelative(rankBiserial(a, b), (2 * 7) / 60 - 1, 1e-15);
  });
});

describe('regressionBand', () => {
  it('has the closed form with 1 degree of freedom (Cauchy quantile)', () => {
    // Fit y = 1/3, residuals (−1/3, 2/3, −1/3): s² = 2/3, Sxx = 2, t(0.975, 1) = cot(0.025π).
    const band = regressionBand([0, 1, 2], [0, 1, 0], { at: [1, 0] });
    const t = 1 / Math.tan(0.025 * Math.PI);
    expect(Array.from(band.x)).toEqual([1, 0]);
    expectRelative(band.y[0], 1 / 3, 1e-15);
    expectRelative(band.upper[0], 1 / 3 + (t * Math.sqrt(2)) / 3, 1e-14);
    expectRelative(band.lower[1], 1 / 3 - (t * Math.sqrt(5)) / 3, 1e-14);
  });

  it('has the closed form with 2 degrees of freedom at level 0.9', () => {
    // Slope 1.1, intercept 1.1, residuals (−0.1, 0.8, −1.3, 0.6): s² = 2.7/2, Sxx = 5.
    // t(0.95, 2) = 0.9/√(2·0.95·0.05).
    const at = [-1, 0.5, 1.5, 4];
    const band = regressionBand([0, 1, 2, 3], [1, 3, 2, 5], { at, level: 0.9 });
    const t = 0.9 / Math.sqrt(2 * 0.95 * 0.05);
    at.forEach((x0, i) => {
      const fit = 1.1 + 1.1 * x0;
      const half = t * Math.sqrt(1.35 * (1 / 4 + (x0 - 1.5) ** 2 / 5));
      expectRelative(band.y[i], fit, 1e-14);
      expectRelative(band.lower[i], fit - half, 1e-13);
      expectRelative(band.upper[i], fit + half, 1e-13);
    });
  });

  it("defaults to seaborn's 100 points over the x range and is empty for an exact line", () => {
    const band = regressionBand([2, 0, 1, 3], [5, 1, 3, 7]);
    expect(band.x).toHaveLength(100);
    expect([band.x[0], band.x[99]]).toEqual([0, 3]);
    for (let i = 0; i < 100; i++) {
      expectRelative(band.y[i], 1 + 2 * band.x[i], 1e-14);
      expect(band.upper[i] - band.lower[i]).toBeLessThan(1e-12);
    }
  });

  it('rejects bad input', () => {
    expect(() => regressionBand([1, 2], [1, 2])).toThrow(/at least 3/);
    expect(() => regressionBand([1, 1, 1], [1, 2, 3])).toThrow(InvalidArgumentError);
    expect(() => regressionBand([1, 2, 3], [1, 2, 4], { level: 95 })).toThrow(/level/);
  });
});

describe('gaussianKde', () => {
  it('is the mean of two normal kernels for [0, 1]', () => {
    // Sample variance ½, Scott factor 2^(−1/5).
    const kde = gaussianKde([0, 1]);
    const factor = 2 ** -0.2;
    const h = Math.sqrt(0.5) * factor;
    expectRelative(kde.bandwidth, factor, 1e-15);
    expectRelative(kde.kernelVariance, 0.5 * factor * factor, 1e-15);
    const phi = (z: number) => Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
    const points = [-2, 0, 0.5, 1.7];
    const density = kde.evaluate(points);
    points.forEach((p, i) =>
      expectRelative(density[i], (phi(p / h) + phi((p - 1) / h)) / (2 * h), 1e-14),
    );
  });

  it("takes Silverman's factor or a number, drops NaN, and integrates to 1", () => {
    expectRelative(gaussianKde([1, 2, 4, NaN]).bandwidth, 3 ** -0.2, 1e-15);
    expectRelative(
      gaussianKde([1, 2, 4], { bandwidth: 'silverman' }).bandwidth,
      2.25 ** -0.2,
      1e-15,
    );
    const kde = gaussianKde([1, 2, 4, 7.5, 3], { bandwidth: 0.3 });
    expect(kde.bandwidth).toBe(0.3);
    const grid = Array.from({ length: 6001 }, (_, i) => -10 + i * 0.005);
    const density = kde.evaluate(grid);
    let integral = 0;
    for (let i = 1; i < grid.length; i++) integral += ((density[i] + density[i - 1]) / 2) * 0.005;
    expectRelative(integral, 1, 1e-9);
  });

  it('rejects too few, constant or badly smoothed data', () => {
    expect(() => gaussianKde([1])).toThrow(/at least 2/);
    expect(() => gaussianKde([3, 3, 3])).toThrow(/identical/);
    expect(() => gaussianKde([1, 2], { bandwidth: -1 })).toThrow(InvalidArgumentError);
  });
});
