import type { Labels } from '../image/types.js';
import { checkSameSize } from './check.js';
import { relate } from './relate.js';

export interface MergeFragmentsOptions {
  /**
   * Every cell has a nucleus: drop the nucleus-free cells that touch no cell with a nucleus
   * (through other fragments or directly) instead of keeping them as cells.
   * @default false
   */
  dropCellsWithoutNucleus?: boolean;
}

export interface MergeFragmentsResult {
  /** The cells with every fragment merged; labels as given, merged and dropped ones gone. */
  labels: Labels;
  /** Each merged fragment and the cell it joined, in the order they were merged. */
  merged: { cell: number; into: number }[];
  /** Nucleus-free cells that touch no cell with a nucleus: dropped, or kept as they are. */
  isolated: number[];
}

/**
 * Merges every nucleus-free cell fragment into the neighbouring cell with a nucleus that it
 * shares the most border with: the consistency step for networks that cut large, flat or
 * process-rich cells into a nucleus piece plus nucleus-free cytoplasm lobes.
 *
 * A cell has a nucleus when it holds the most pixels of some nucleus (`relate`'s
 * `nuclei.cell`), so a fragment with a sliver of a neighbour's nucleus still counts as
 * nucleus-free. Border is the number of 4-connected pixel pairs the two cells share (cells apart
 * by background do not touch). Fragments merge breadth-first: in each round every fragment that
 * touches a cell with a nucleus (or a fragment merged into one in an earlier round) joins the
 * cell it shares most border with, ties to the smaller label; rounds repeat until none is left.
 *
 * @param cellLabels cell label image (0 = background)
 * @param nucleusLabels nucleus label image of the same size
 * @throws InvalidArgumentError when the two images differ in size
 */
export function mergeNucleusFreeFragments(
  cellLabels: Labels,
  nucleusLabels: Labels,
  options: MergeFragmentsOptions = {},
): MergeFragmentsResult {
  checkSameSize(nucleusLabels, cellLabels);
  const { width, height, data } = cellLabels;
  const withNucleus = new Set(relate(nucleusLabels, cellLabels).nuclei.cell);
  withNucleus.delete(0);
  const borders = fragmentBorders(cellLabels, withNucleus);

  // owner: fragment → the cell with a nucleus it has joined.
  const owner = new Map<number, number>();
  const merged: MergeFragmentsResult['merged'] = [];
  let waiting = [...borders.keys()].sort((a, b) => a - b);
  for (;;) {
    const joined: { cell: number; into: number }[] = [];
    for (const fragment of waiting) {
      const byCell = new Map<number, number>();
      for (const [neighbour, count] of borders.get(fragment) as Map<number, number>) {
        const into = withNucleus.has(neighbour) ? neighbour : owner.get(neighbour);
        if (into !== undefined) byCell.set(into, (byCell.get(into) ?? 0) + count);
      }
      let best = 0;
      let bestCount = 0;
      for (const [into, count] of byCell) {
        if (count > bestCount || (count === bestCount && into < best)) {
          best = into;
          bestCount = count;
        }
      }
      if (best !== 0) joined.push({ cell: fragment, into: best });
    }
    if (joined.length === 0) break;
    // A round's merges take effect together, so the order within a round changes nothing.
    for (const m of joined) owner.set(m.cell, m.into);
    merged.push(...joined);
    waiting = waiting.filter((f) => !owner.has(f));
  }

  const drop = options.dropCellsWithoutNucleus ?? false;
  const out = new Uint32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v === 0) continue;
    const into = owner.get(v);
    if (into !== undefined) out[i] = into;
    else if (!(drop && borders.has(v))) out[i] = v;
  }
  return { labels: { width, height, data: out }, merged, isolated: waiting };
}

/**
 * Keeps only the cells that hold the most pixels of some nucleus (`relate`'s `nuclei.cell`):
 * "every cell has a nucleus", without merging anything.
 */
export function dropCellsWithoutNucleus(cellLabels: Labels, nucleusLabels: Labels): Labels {
  checkSameSize(nucleusLabels, cellLabels);
  const withNucleus = new Set(relate(nucleusLabels, cellLabels).nuclei.cell);
  const data = cellLabels.data.map((v) => (withNucleus.has(v) ? v : 0));
  return { width: cellLabels.width, height: cellLabels.height, data };
}

/** For every cell without a nucleus: the pixel pairs it shares with each neighbouring cell. */
function fragmentBorders(
  cells: Labels,
  withNucleus: Set<number>,
): Map<number, Map<number, number>> {
  const { width, height, data } = cells;
  const borders = new Map<number, Map<number, number>>();
  const add = (a: number, b: number): void => {
    if (withNucleus.has(a)) return;
    let of = borders.get(a);
    if (!of) borders.set(a, (of = new Map()));
    if (b !== 0) of.set(b, (of.get(b) ?? 0) + 1);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = data[i];
      if (v === 0) continue;
      add(v, 0); // every fragment gets an entry, touching or not
      const right = x + 1 < width ? data[i + 1] : 0;
      const below = y + 1 < height ? data[i + width] : 0;
      for (const w of [right, below]) {
        if (w === 0 || w === v) continue;
        add(v, w);
        add(w, v);
      }
    }
  }
  return borders;
}
