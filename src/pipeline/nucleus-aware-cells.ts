import type { CellposeResult } from '../cellpose/segment-cellpose.js';
import type { Labels } from '../image/types.js';
import { dropCellsWithoutNucleus, mergeNucleusFreeFragments } from '../relate/merge-fragments.js';
import { cellsFromNucleiAndNetwork } from '../segment/cells-from-network.js';
import { relabelSequential } from '../segment/labeling/relabel-sequential.js';

/**
 * How Cellpose cells use the nuclei: `off` keeps the network's masks; `merge-fragments` merges
 * each nucleus-free mask into the touching cell it shares most border with; `hybrid` grows every
 * nucleus over the network's flows, within its foreground (`cellsFromNucleiAndNetwork`).
 */
export const NUCLEUS_AWARE_MODES = ['off', 'merge-fragments', 'hybrid'] as const;
export type NucleusAwareMode = (typeof NUCLEUS_AWARE_MODES)[number];

/**
 * The analysis default, chosen by bench/nucleus-aware-cells.ts (README, "Nucleus-aware cells"):
 * it undoes the network's fragments as well as the hybrid and never moves the network's borders.
 */
export const DEFAULT_NUCLEUS_AWARE: NucleusAwareMode = 'merge-fragments';

export interface NucleusAwareOptions {
  mode: NucleusAwareMode;
  /** Foreground threshold the network's masks used (the hybrid's foreground). */
  cellprobThreshold: number;
  /** Every cell has a nucleus: drop the cells that hold none. */
  dropCellsWithoutNucleus: boolean;
}

export interface NucleusAwareResult {
  cellLabels: Labels;
  /** For the report: what the step changed. */
  summary: string;
}

/** Applies a nucleus-aware mode to a Cellpose cell result and the image's nuclei. */
export function nucleusAwareCells(
  nucleusLabels: Labels,
  cells: Pick<CellposeResult, 'masks' | 'flows'>,
  options: NucleusAwareOptions,
): NucleusAwareResult {
  const drop = options.dropCellsWithoutNucleus;
  if (options.mode === 'hybrid') {
    const result = cellsFromNucleiAndNetwork(
      nucleusLabels,
      { ...cells.flows, masks: cells.masks },
      { cellprobThreshold: options.cellprobThreshold, dropCellsWithoutNucleus: drop },
    );
    return {
      cellLabels: result.labels,
      summary: `grown from the nuclei over the network's flows, ${result.cellsWithoutNucleus} masks without a nucleus kept`,
    };
  }
  if (options.mode === 'merge-fragments') {
    const result = mergeNucleusFreeFragments(cells.masks, nucleusLabels, {
      dropCellsWithoutNucleus: drop,
    });
    return {
      // Cellpose numbers its masks 1..N; merged labels would leave gaps.
      cellLabels: relabelSequential(result.labels).labels,
      summary:
        `${result.merged.length} nucleus-free fragments merged, ` +
        `${result.isolated.length} cells without a nucleus ${drop ? 'dropped' : 'kept'}`,
    };
  }
  if (!drop) return { cellLabels: cells.masks, summary: '' };
  return {
    cellLabels: relabelSequential(dropCellsWithoutNucleus(cells.masks, nucleusLabels)).labels,
    summary: 'cells without a nucleus dropped',
  };
}
