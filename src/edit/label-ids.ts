import { InvalidArgumentError } from '../errors.js';

/** The largest value a `Uint32Array` label image can hold. */
export const MAX_LABEL = 0xffffffff;

/** Checks that every id can name an object in a label image and returns them as a set. */
export function labelIdSet(ids: readonly number[], what: string): Set<number> {
  if (!Array.isArray(ids)) {
    throw new InvalidArgumentError(`${what}: label ids must be an array, got ${typeof ids}`);
  }
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id > MAX_LABEL) {
      throw new InvalidArgumentError(`${what}: label id ${String(id)} is not a label value`, {
        hint: `label ids are integers from 1 to ${MAX_LABEL}`,
      });
    }
    if (id === 0) {
      throw new InvalidArgumentError(`${what}: label id 0 is the background, not an object`, {
        hint: 'pick the objects by their label values, which are ≥ 1',
      });
    }
  }
  return new Set(ids);
}
