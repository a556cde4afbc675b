import { checkImage, checkSameSize as checkSizesMatch } from '../image/validate.js';
import type { Labels } from '../image/types.js';

/** Throws unless both label images are whole (width × height values) and of one size. */
export function checkSameSize(nucleusLabels: Labels, cellLabels: Labels): void {
  checkImage(nucleusLabels, 'nucleusLabels');
  checkImage(cellLabels, 'cellLabels');
  checkSizesMatch(nucleusLabels, cellLabels, 'nucleusLabels and cellLabels');
}
