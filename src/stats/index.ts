/**
 * Statistics for per-object tables, as SciPy computes them: `describeSample`, Pearson and
 * Spearman correlation, linear regression with its confidence band, Gaussian KDE, Mann–Whitney U,
 * Welch's t, effect sizes, and the normal and Student t distributions.
 *
 * @packageDocumentation
 */
export { describeSample } from './describe.js';
export type { Description } from './describe.js';
export { pearson } from './pearson.js';
export type { PearsonResult } from './pearson.js';
export { spearman } from './spearman.js';
export type { SpearmanResult } from './spearman.js';
export { linearRegression } from './linear-regression.js';
export type { LinearRegressionResult } from './linear-regression.js';
export { regressionBand } from './regression-band.js';
export type { RegressionBand, RegressionBandOptions } from './regression-band.js';
export { gaussianKde } from './gaussian-kde.js';
export type { GaussianKde, GaussianKdeOptions } from './gaussian-kde.js';
export { mannWhitneyU } from './mann-whitney-u.js';
export type { Alternative, MannWhitneyUOptions, MannWhitneyUResult } from './mann-whitney-u.js';
export { welchT } from './welch-t.js';
export type { WelchTOptions, WelchTResult } from './welch-t.js';
export { cohensD } from './cohens-d.js';
export { hedgesG } from './hedges-g.js';
export { rankBiserial } from './rank-biserial.js';
// The distributions behind the tests; the special functions that compute them stay internal.
export {
  erf,
  erfc,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalSf,
  studentTCdf,
  studentTQuantile,
  studentTSf,
} from './special.js';
