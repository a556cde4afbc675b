import { InvalidArgumentError } from '../../errors.js';
import type { Mask } from '../../image/types.js';
import { checkConnectivity, componentAreas, paintRuns, runComponents } from '../labeling/runs.js';
import { checkImage } from '../../image/validate.js';

export interface RemoveSmallHolesOptions {
  /** Background components with fewer pixels than this are filled. @default 64 */
  areaThreshold?: number;
  /** 1: background pixels connect through edges; 2: also through corners. @default 1 */
  connectivity?: 1 | 2;
}

/**
 * Fills small background components as skimage.morphology.remove_small_holes: every background
 * component with fewer than `areaThreshold` pixels becomes foreground, including components that
 * touch the image border (which `fillHoles` leaves alone). Nonzero input pixels are
 * foreground; the result is 0/1.
 *
 * @throws InvalidArgumentError for a NaN threshold or a connectivity other than 1 or 2.
 */
export function removeSmallHoles(mask: Mask, options: RemoveSmallHolesOptions = {}): Mask {
  checkImage(mask, 'mask');
  const areaThreshold = options.areaThreshold ?? 64;
  if (Number.isNaN(areaThreshold)) throw new InvalidArgumentError('areaThreshold is NaN');
  const connectivity = checkConnectivity(options.connectivity ?? 1);
  const { width, height } = mask;
  const runs = runComponents(mask.data, width, height, connectivity, { kind: 'zero' });
  const areas = componentAreas(runs);
  const kept = new Uint8Array(runs.count + 1);
  for (let c = 1; c <= runs.count; c++) if (areas[c] >= areaThreshold) kept[c] = 1;
  const out = new Uint8Array(width * height).fill(1);
  paintRuns(runs, kept, out, 0);
  return { width, height, data: out };
}
