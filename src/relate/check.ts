import { InvalidArgumentError } from '../errors.js';
import type { Labels } from '../image/types.js';

/** Throws unless both label images are whole (width × height values) and of one size. */
export function checkSameSize(nucleusLabels: Labels, cellLabels: Labels): void {
  for (const [name, labels] of [
    ['nucleusLabels', nucleusLabels],
    ['cellLabels', cellLabels],
  ] as const) {
    if (labels.data.length !== labels.width * labels.height) {
      throw new InvalidArgumentError(
        `${name} hold ${labels.data.length} values for ${labels.width}×${labels.height} pixels`,
      );
    }
  }
  if (nucleusLabels.width !== cellLabels.width || nucleusLabels.height !== cellLabels.height) {
    throw new InvalidArgumentError(
      `nucleusLabels are ${nucleusLabels.width}×${nucleusLabels.height}, cellLabels ${cellLabels.width}×${cellLabels.height}`,
    );
  }
}
