import type { Mask } from '../../image/types.js';
import { checkConnectivity, paintRuns, runComponents } from '../labeling/runs.js';
import { checkImage } from '../../image/validate.js';

export interface FillHolesOptions {
  /**
   * How background pixels connect when deciding what is a hole: 1 through edges only (scipy's
   * default cross structure), 2 also through corners (`structure=np.ones((3, 3))`). With 1, a hole
   * whose only way out is a diagonal step is filled; with 2 it is not.
   * @default 1
   */
  connectivity?: 1 | 2;
}

/**
 * Fills holes as scipy.ndimage.binary_fill_holes: every background component that does not touch
 * the image border becomes foreground. Nonzero input pixels are foreground; the result is 0/1.
 *
 * @throws InvalidArgumentError for a connectivity other than 1 or 2.
 */
export function fillHoles(mask: Mask, options: FillHolesOptions = {}): Mask {
  checkImage(mask, 'mask');
  const connectivity = checkConnectivity(options.connectivity ?? 1);
  const { width, height } = mask;
  const runs = runComponents(mask.data, width, height, connectivity, { kind: 'zero' });
  // scipy floods the background from outside the image (border_value=1): border components stay.
  const open = new Uint8Array(runs.count + 1);
  const { rowStart, start, end, component } = runs;
  for (let i = 0; i < runs.runCount; i++) {
    if (start[i] === 0 || end[i] === width) open[component[i]] = 1;
  }
  for (const y of [0, height - 1]) {
    for (let i = rowStart[y]; i < rowStart[y + 1]; i++) open[component[i]] = 1;
  }
  const out = new Uint8Array(width * height).fill(1);
  paintRuns(runs, open, out, 0);
  return { width, height, data: out };
}
