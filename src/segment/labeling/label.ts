import { InvalidArgumentError } from '../../errors.js';
import { dtypeOf, isIntegerDtype } from '../../image/dtype.js';
import type { Labels, Plane } from '../../image/types.js';
import { checkConnectivity, runComponents, runsToLabels } from './runs.js';
import { checkImage } from '../../image/validate.js';

export interface LabelOptions {
  /**
   * 1: pixels touch through edges (4-neighbourhood); 2: also through corners (8-neighbourhood).
   * @default 2 (skimage.measure.label's default, full connectivity)
   */
  connectivity?: 1 | 2;
  /** Pixels of this value are background and get label 0. @default 0 */
  background?: number;
}

export interface LabelResult {
  labels: Labels;
  /** Number of components: labels are 1..count. */
  count: number;
}

/**
 * Connected components of a mask or integer image, as skimage.measure.label: touching pixels of
 * the same value (other than `background`) form one component, numbered 1..count in raster
 * order of each component's first pixel. A `Mask` is the integer image 0/1.
 *
 * @throws InvalidArgumentError for float planes, data of the wrong length, or a connectivity other
 * than 1 or 2.
 */
export function label(image: Plane, options: LabelOptions = {}): LabelResult {
  const connectivity = checkConnectivity(options.connectivity ?? 2);
  const background = options.background ?? 0;
  checkImage(image, 'image');
  if (!isIntegerDtype(dtypeOf(image.data))) {
    throw new InvalidArgumentError('label needs a mask or an integer image, got float pixels', {
      hint: 'threshold the image first',
    });
  }
  const runs = runComponents(image.data, image.width, image.height, connectivity, {
    kind: 'values',
    background,
  });
  return { labels: runsToLabels(runs), count: runs.count };
}
