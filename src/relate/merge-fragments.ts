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
  /**
   * The least share of a fragment's outline (4-connected pixel sides, the image edge included)
   * that it must share with the cell it joins. A lobe cut from its cell shares much of its outline
   * with it; a whole cell whose nucleus is unseen shares about a sixth with each neighbour in a
   * packed field, and stays a cell of its own. 0 merges every touching fragment.
   * @default 0.3
   */
  minSharedOutline?: number;
  /**
   * Or: the least length of that border in units of the fragment's mean width (2 × area /
   * outline). A piece cut from a cell's body or processes meets it along a cut several widths
   * long; a whole cell meets a neighbour along one to three.
   * @default 4
   */
  minSharedWidths?: number;
  /**
   * Or: the fragment is a thin process piece, its elongation (outline² / (4π × area), outline in
   * pixel sides, so about 1.6 for a disc) at least this. Whole cells are compact (up to 3 on
   * generated scenes); neurites and filopodia cut off their cell are not.
   * @default 3.5
   */
  minProcessElongation?: number;
}

// Chosen on generated images (bench/nucleus-aware-cells.ts): README, "Nucleus-aware cells".
const DEFAULT_MIN_SHARED_OUTLINE = 0.3;
const DEFAULT_MIN_SHARED_WIDTHS = 4;
const DEFAULT_MIN_PROCESS_ELONGATION = 3.5;

export interface MergeFragmentsResult {
  /** The cells with every fragment merged; labels as given, merged and dropped ones gone. */
  labels: Labels;
  /** Each merged fragment and the cell it joined, in the order they were merged. */
  merged: { cell: number; into: number }[];
  /**
   * Nucleus-free cells left unmerged (touching no cell with a nucleus, or sharing too short a
   * border with it): dropped, or kept as they are.
   */
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
 * cell it shares most border with, ties to the smaller label, provided that border is at least
 * `minSharedOutline` of its outline or `minSharedWidths` of its mean width, or the fragment is
 * thin (`minProcessElongation`); rounds repeat until none joins.
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
  const relation = relate(nucleusLabels, cellLabels);
  const withNucleus = new Set(relation.nuclei.cell);
  withNucleus.delete(0);
  // Fragments and their areas, as relate counted them.
  const area = new Map<number, number>();
  relation.cells.label.forEach((cell, k) => {
    if (!withNucleus.has(cell)) area.set(cell, relation.cells.area[k]);
  });
  const { borders, outline } = fragmentBorders(cellLabels, area.keys());
  const minShare = options.minSharedOutline ?? DEFAULT_MIN_SHARED_OUTLINE;
  const minWidths = options.minSharedWidths ?? DEFAULT_MIN_SHARED_WIDTHS;
  const minElongation = options.minProcessElongation ?? DEFAULT_MIN_PROCESS_ELONGATION;
  const joins = (fragment: number, border: number): boolean => {
    const around = outline.get(fragment) as number;
    const size = area.get(fragment) as number;
    return (
      border >= minShare * around ||
      border >= (minWidths * 2 * size) / around ||
      around * around >= minElongation * 4 * Math.PI * size
    );
  };

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
      if (best !== 0 && joins(fragment, bestCount)) joined.push({ cell: fragment, into: best });
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

/**
 * For every fragment: the pixel pairs it shares with each neighbouring cell, and its outline
 * (pixel sides facing anything else: background, other cells or the image edge).
 */
function fragmentBorders(
  cells: Labels,
  fragments: Iterable<number>,
): { borders: Map<number, Map<number, number>>; outline: Map<number, number> } {
  const { width, height, data } = cells;
  // Every fragment gets an entry, touching or not.
  const borders = new Map([...fragments].map((f) => [f, new Map<number, number>()]));
  const outline = new Map<number, number>();
  const side = (a: number, b: number): void => {
    const of = borders.get(a);
    if (!of) return;
    outline.set(a, (outline.get(a) ?? 0) + 1);
    if (b !== 0) of.set(b, (of.get(b) ?? 0) + 1);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = data[i];
      // Left and top image edges; right and bottom ones come as the neighbour 0 below.
      if (x === 0) side(v, 0);
      if (y === 0) side(v, 0);
      const right = x + 1 < width ? data[i + 1] : 0;
      const below = y + 1 < height ? data[i + width] : 0;
      for (const w of [right, below]) {
        if (w === v) continue;
        side(v, w);
        side(w, v);
      }
    }
  }
  return { borders, outline };
}
