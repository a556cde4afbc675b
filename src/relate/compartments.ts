import { InvalidArgumentError } from '../errors.js';
import type { Labels } from '../image/types.js';
import { checkSameSize } from './check.js';
import { relate, type Relation } from './relate.js';

/**
 * The compartments of every cell as label images, each pixel labelled with its *cell's* label
 * (so the three images line up row for row with the cell table).
 */
export interface Compartments {
  /** Pixels of a cell that belong to its matched nucleus (the part of the nucleus inside the cell). */
  nucleus: Labels;
  /** Pixels of a cell that do not belong to its matched nucleus (the whole cell when it has none). */
  cytoplasm: Labels;
  /** The cell label image given (the same object, not a copy). */
  cell: Labels;
}

/**
 * Splits each cell into nucleus and cytoplasm: a cell pixel goes to the nucleus compartment when
 * it holds the cell's matched nucleus (`relation.cells.nucleus`), else to the cytoplasm, so
 * `nucleus + cytoplasm = cell` pixel for pixel, with no overlap. Pixels of the matched nucleus
 * outside its cell, and pixels of other nuclei inside the cell, are not nucleus of this cell:
 * the former belong to no compartment of it, the latter to its cytoplasm.
 *
 * @param relation from {@link relate} on the same images; computed when omitted
 * @throws InvalidArgumentError when the images differ in size, or the relation was made from
 *   images of another size or lacks a cell label present in `cellLabels`
 */
export function compartments(
  nucleusLabels: Labels,
  cellLabels: Labels,
  relation: Relation = relate(nucleusLabels, cellLabels),
): Compartments {
  checkSameSize(nucleusLabels, cellLabels);
  const { width, height } = cellLabels;
  if (relation.width !== width || relation.height !== height) {
    throw new InvalidArgumentError(
      `the relation is for ${relation.width}×${relation.height} images, the labels are ${width}×${height}`,
    );
  }
  const matched = new Map<number, number>();
  relation.cells.label.forEach((label, k) => matched.set(label, relation.cells.nucleus[k]));

  const cellData = cellLabels.data;
  const nucleusData = nucleusLabels.data;
  const nucleus = new Uint32Array(cellData.length);
  const cytoplasm = new Uint32Array(cellData.length);
  // Cells come in runs: look the matched nucleus up once per run.
  let lastCell = 0;
  let lastNucleus = 0;
  for (let i = 0; i < cellData.length; i++) {
    const c = cellData[i];
    if (c === 0) continue;
    if (c !== lastCell) {
      const n = matched.get(c);
      if (n === undefined) {
        throw new InvalidArgumentError(
          `cell ${c} is not in the relation; compute it from these label images`,
        );
      }
      lastCell = c;
      lastNucleus = n;
    }
    if (lastNucleus !== 0 && nucleusData[i] === lastNucleus) nucleus[i] = c;
    else cytoplasm[i] = c;
  }
  return {
    nucleus: { width, height, data: nucleus },
    cytoplasm: { width, height, data: cytoplasm },
    cell: cellLabels,
  };
}
