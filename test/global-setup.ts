import { HAS_SHARED, SHARED_DIR } from './shared.js';

/**
 * Runs once per `vitest run`. Without ../shared the fidelity tests (scikit-image, Cellpose,
 * SciPy) cannot run: in CI that fails the run, elsewhere it is said once, not per file.
 */
export default function setup(): void {
  if (HAS_SHARED) return;
  const ci = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI);
  if (ci)
    throw new Error(
      `reference data not found at ${SHARED_DIR}: the fidelity tests need it in CI (CI=${process.env.CI})`,
    );
  console.warn(
    `\n  reference data not found at ${SHARED_DIR}: the scikit-image, SciPy and Cellpose\n` +
      '  fidelity tests are skipped. Put the shared data beside this clone to run them.\n',
  );
}
