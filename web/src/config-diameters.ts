// The config a run is saved as: 'auto' diameters replaced by the values the run estimated, so
// `cellscope analyze --config` (or the next session) reuses them instead of estimating again.
import type { AnalysisConfigInput } from 'cellscope/browser';
import type { UsedDiameters } from './engine/protocol.js';

const usable = (d: number | undefined): d is number =>
  d !== undefined && Number.isFinite(d) && d > 0;

/** `config` with each 'auto' (or missing) diameter set to the one used; given numbers stay. */
export function withUsedDiameters(
  config: AnalysisConfigInput,
  used: UsedDiameters,
): AnalysisConfigInput {
  const result: AnalysisConfigInput = { ...config };
  const nuclei = config.nuclei;
  if (nuclei && (nuclei.diameter ?? 'auto') === 'auto' && usable(used.nuclei))
    result.nuclei = { ...nuclei, diameter: used.nuclei };
  const cells = config.cells;
  // Cells grown from nuclei have no diameter of their own.
  if (cells?.method === 'cellpose' && (cells.diameter ?? 'auto') === 'auto' && usable(used.cells))
    result.cells = { ...cells, diameter: used.cells };
  return result;
}
