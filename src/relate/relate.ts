import type { Labels } from '../image/types.js';
import { checkSameSize } from './check.js';

/** Every cell of the cell label image, in ascending label order (struct of arrays, one row per cell). */
export interface CellsRelation {
  /** Cell labels, ascending. */
  readonly label: Uint32Array;
  /** Pixels of each cell. */
  readonly area: Uint32Array;
  /**
   * The cell's nucleus: the nucleus label with the most pixels inside the cell (background
   * excluded); on a tie the smallest label, as the notebook's `np.argmax` over `np.unique`'s
   * ascending labels. 0 when no nucleus pixel lies in the cell.
   */
  readonly nucleus: Uint32Array;
  /** Pixels the cell shares with its `nucleus` (0 when it has none). */
  readonly overlap: Uint32Array;
}

/** Every nucleus of the nucleus label image, in ascending label order. */
export interface NucleiRelation {
  /** Nucleus labels, ascending. */
  readonly label: Uint32Array;
  /** Pixels of each nucleus, those outside every cell included. */
  readonly area: Uint32Array;
  /**
   * The nucleus's cell: the cell label holding most of its pixels (pixels outside every cell do
   * not compete); on a tie the smallest label. 0 when the nucleus lies outside every cell.
   * Not necessarily a cell whose `nucleus` is this one: a cell may prefer a bigger neighbour.
   */
  readonly cell: Uint32Array;
  /** Pixels the nucleus shares with its `cell`. */
  readonly overlap: Uint32Array;
  /** Pixels of the nucleus in no cell (cell label 0). */
  readonly outside: Uint32Array;
}

/** Every (cell, nucleus) pair that shares at least one pixel, sorted by cell then nucleus label. */
export interface OverlapPairs {
  readonly cell: Uint32Array;
  readonly nucleus: Uint32Array;
  /** Shared pixels. */
  readonly overlap: Uint32Array;
}

/** What does not fit one nucleus per cell. Labels ascending throughout. */
export interface RelationConflicts {
  /** Nuclei chosen as best nucleus by more than one cell (a nucleus straddling cells), with those cells. */
  readonly sharedNuclei: { nucleus: number; cells: number[] }[];
  /**
   * Cells that share pixels with more than one nucleus, with each nucleus's overlap in pixels:
   * true multinucleate cells as well as a neighbour's nucleus poking in; filter on `overlaps`.
   */
  readonly multinucleateCells: { cell: number; nuclei: number[]; overlaps: number[] }[];
  /** Nuclei that share no pixel with any cell. */
  readonly nucleiOutsideCells: number[];
  /** Cells that share no pixel with any nucleus (their `nucleus` is 0). */
  readonly cellsWithoutNucleus: number[];
}

/** How the nuclei and cells of two label images of one field relate, as {@link relate} finds it. */
export interface Relation {
  /** Size of the label images it was computed from, in pixels. */
  readonly width: number;
  readonly height: number;
  readonly cells: CellsRelation;
  readonly nuclei: NucleiRelation;
  readonly pairs: OverlapPairs;
  readonly conflicts: RelationConflicts;
}

/**
 * Relates each cell to its nucleus by maximum overlap, as the notebook's "Match nuclei to cells":
 * for each cell, the nucleus label with the most pixels inside it (background excluded), ties to
 * the smallest label, 0 when none. Also each nucleus's cell, the overlapping pairs and the
 * conflicts (shared nuclei, multinucleate cells, nuclei outside cells, cells without nucleus).
 *
 * One pass over the pixels; storage grows with the number of objects and overlapping pairs,
 * never with the largest label (labels may be anything up to 2³²−1). Areas are pixel counts
 * whatever the pixel size.
 *
 * @param nucleusLabels nucleus label image (0 = background)
 * @param cellLabels cell label image of the same size (0 = background); numbering independent of the nuclei
 * @throws InvalidArgumentError when the two images differ in size
 */
export function relate(nucleusLabels: Labels, cellLabels: Labels): Relation {
  checkSameSize(nucleusLabels, cellLabels);
  const { width, height } = cellLabels;
  const cellData = cellLabels.data;
  const nucleusData = nucleusLabels.data;

  // Dense indices in order of first appearance; plain arrays grow as objects turn up.
  const cellIndex = new Map<number, number>();
  const cellLabel: number[] = [];
  const cellArea: number[] = [];
  const nucleusIndex = new Map<number, number>();
  const nucleusLabel: number[] = [];
  const nucleusArea: number[] = [];
  // Per cell index: nucleus index → pair index.
  const pairsOfCell: Map<number, number>[] = [];
  const pairCell: number[] = [];
  const pairNucleus: number[] = [];
  const pairCount: number[] = [];

  // Labels come in runs, so the lookups happen only where the (cell, nucleus) pair changes.
  let lastCell = 0;
  let lastNucleus = 0;
  let ck = -1;
  let nk = -1;
  let pk = -1;
  for (let i = 0; i < cellData.length; i++) {
    const c = cellData[i];
    const n = nucleusData[i];
    if (c !== lastCell || n !== lastNucleus) {
      lastCell = c;
      lastNucleus = n;
      ck = -1;
      nk = -1;
      pk = -1;
      if (c !== 0) {
        const found = cellIndex.get(c);
        if (found === undefined) {
          ck = cellLabel.length;
          cellIndex.set(c, ck);
          cellLabel.push(c);
          cellArea.push(0);
          pairsOfCell.push(new Map());
        } else ck = found;
      }
      if (n !== 0) {
        const found = nucleusIndex.get(n);
        if (found === undefined) {
          nk = nucleusLabel.length;
          nucleusIndex.set(n, nk);
          nucleusLabel.push(n);
          nucleusArea.push(0);
        } else nk = found;
      }
      if (ck >= 0 && nk >= 0) {
        const pairs = pairsOfCell[ck];
        const found = pairs.get(nk);
        if (found === undefined) {
          pk = pairCount.length;
          pairs.set(nk, pk);
          pairCell.push(ck);
          pairNucleus.push(nk);
          pairCount.push(0);
        } else pk = found;
      }
    }
    if (ck >= 0) cellArea[ck]++;
    if (nk >= 0) nucleusArea[nk]++;
    if (pk >= 0) pairCount[pk]++;
  }

  return relationFromCounts(width, height, {
    cellLabel,
    cellArea,
    nucleusLabel,
    nucleusArea,
    pairCell,
    pairNucleus,
    pairCount,
  });
}

/**
 * Per-object pixel counts and per-pair shared pixels, as one pass over two label images (or
 * blocks of them) gathers them; objects indexed in any order.
 */
export interface OverlapCounts {
  cellLabel: readonly number[];
  cellArea: readonly number[];
  nucleusLabel: readonly number[];
  nucleusArea: readonly number[];
  /** Per pair: index into the cell arrays. */
  pairCell: readonly number[];
  /** Per pair: index into the nucleus arrays. */
  pairNucleus: readonly number[];
  /** Per pair: shared pixels (> 0). */
  pairCount: readonly number[];
}

/**
 * The {@link relate} result from counts already gathered: what block-wise runs build from each
 * block's final pixels, giving the same relation as `relate` on the whole label images.
 */
export function relationFromCounts(width: number, height: number, counts: OverlapCounts): Relation {
  const { cellLabel, cellArea, nucleusLabel, nucleusArea, pairCell, pairNucleus, pairCount } =
    counts;
  // Best partner on each side: most shared pixels, ties to the smaller label.
  const bestNucleus = new Array<number>(cellLabel.length).fill(0);
  const bestNucleusOverlap = new Array<number>(cellLabel.length).fill(0);
  const bestCell = new Array<number>(nucleusLabel.length).fill(0);
  const bestCellOverlap = new Array<number>(nucleusLabel.length).fill(0);
  const insideCells = new Array<number>(nucleusLabel.length).fill(0);
  for (let p = 0; p < pairCount.length; p++) {
    const c = pairCell[p];
    const n = pairNucleus[p];
    const count = pairCount[p];
    insideCells[n] += count;
    if (
      count > bestNucleusOverlap[c] ||
      (count === bestNucleusOverlap[c] && nucleusLabel[n] < bestNucleus[c])
    ) {
      bestNucleus[c] = nucleusLabel[n];
      bestNucleusOverlap[c] = count;
    }
    if (
      count > bestCellOverlap[n] ||
      (count === bestCellOverlap[n] && cellLabel[c] < bestCell[n])
    ) {
      bestCell[n] = cellLabel[c];
      bestCellOverlap[n] = count;
    }
  }

  const cellOrder = ascending(cellLabel);
  const nucleusOrder = ascending(nucleusLabel);
  const cells: CellsRelation = {
    label: Uint32Array.from(cellOrder, (k) => cellLabel[k]),
    area: Uint32Array.from(cellOrder, (k) => cellArea[k]),
    nucleus: Uint32Array.from(cellOrder, (k) => bestNucleus[k]),
    overlap: Uint32Array.from(cellOrder, (k) => bestNucleusOverlap[k]),
  };
  const nuclei: NucleiRelation = {
    label: Uint32Array.from(nucleusOrder, (k) => nucleusLabel[k]),
    area: Uint32Array.from(nucleusOrder, (k) => nucleusArea[k]),
    cell: Uint32Array.from(nucleusOrder, (k) => bestCell[k]),
    overlap: Uint32Array.from(nucleusOrder, (k) => bestCellOverlap[k]),
    outside: Uint32Array.from(nucleusOrder, (k) => nucleusArea[k] - insideCells[k]),
  };

  const pairOrder = Array.from(pairCount, (_, p) => p).sort(
    (a, b) =>
      cellLabel[pairCell[a]] - cellLabel[pairCell[b]] ||
      nucleusLabel[pairNucleus[a]] - nucleusLabel[pairNucleus[b]],
  );
  const pairs: OverlapPairs = {
    cell: Uint32Array.from(pairOrder, (p) => cellLabel[pairCell[p]]),
    nucleus: Uint32Array.from(pairOrder, (p) => nucleusLabel[pairNucleus[p]]),
    overlap: Uint32Array.from(pairOrder, (p) => pairCount[p]),
  };

  return { width, height, cells, nuclei, pairs, conflicts: findConflicts(cells, nuclei, pairs) };
}

function findConflicts(
  cells: CellsRelation,
  nuclei: NucleiRelation,
  pairs: OverlapPairs,
): RelationConflicts {
  const chosenBy = new Map<number, number[]>();
  const cellsWithoutNucleus: number[] = [];
  for (let k = 0; k < cells.label.length; k++) {
    const n = cells.nucleus[k];
    if (n === 0) {
      cellsWithoutNucleus.push(cells.label[k]);
      continue;
    }
    const list = chosenBy.get(n);
    if (list) list.push(cells.label[k]);
    else chosenBy.set(n, [cells.label[k]]);
  }
  const sharedNuclei = [...chosenBy]
    .filter(([, list]) => list.length > 1)
    .map(([nucleus, list]) => ({ nucleus, cells: list }))
    .sort((a, b) => a.nucleus - b.nucleus);

  // Pairs are sorted by cell, so each cell's nuclei form one ascending run.
  const multinucleateCells: RelationConflicts['multinucleateCells'] = [];
  for (let start = 0; start < pairs.cell.length;) {
    let end = start + 1;
    while (end < pairs.cell.length && pairs.cell[end] === pairs.cell[start]) end++;
    if (end - start > 1) {
      multinucleateCells.push({
        cell: pairs.cell[start],
        nuclei: Array.from(pairs.nucleus.subarray(start, end)),
        overlaps: Array.from(pairs.overlap.subarray(start, end)),
      });
    }
    start = end;
  }

  const nucleiOutsideCells: number[] = [];
  for (let k = 0; k < nuclei.label.length; k++) {
    if (nuclei.cell[k] === 0) nucleiOutsideCells.push(nuclei.label[k]);
  }
  return { sharedNuclei, multinucleateCells, nucleiOutsideCells, cellsWithoutNucleus };
}

function ascending(labels: readonly number[]): number[] {
  return Array.from(labels, (_, k) => k).sort((a, b) => labels[a] - labels[b]);
}
