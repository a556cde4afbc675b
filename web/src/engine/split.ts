// Splitting objects along a drawn line (QuPath's "split by line", which napari lacks). The
// line's pixels are cut out, each cut object falls into its 4-connected pieces, and then each
// cut pixel goes back to the piece beside it, so no area is lost and the pieces touch along
// the line as neighbouring objects from a segmentation do.
import { createLabels, nextFreeLabel, type Labels } from 'cellscope/browser';

export interface SplitResult {
  labels: Labels;
  /** The labels that were cut in two or more (each keeps its label on its largest piece). */
  split: number[];
  /** The labels the other pieces got. */
  created: number[];
}

/**
 * The 8-connected pixels of a polyline through `points` (image pixels; a point names the pixel
 * it falls in, as the brush does), clipped to the image. An 8-connected line separates
 * 4-connected regions, so every object it crosses from edge to edge falls in two.
 */
export function linePixels(
  points: readonly { x: number; y: number }[],
  width: number,
  height: number,
): number[] {
  const out = new Set<number>();
  const add = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < width && y < height) out.add(y * width + x);
  };
  const cells = points.map((p) => [Math.floor(p.x), Math.floor(p.y)]);
  if (cells.length === 1) add(cells[0][0], cells[0][1]);
  for (let k = 1; k < cells.length; k++) {
    // Bresenham from one point to the next.
    let [x, y] = cells[k - 1];
    const [x1, y1] = cells[k];
    const [dx, dy] = [Math.abs(x1 - x), -Math.abs(y1 - y)];
    const [sx, sy] = [x < x1 ? 1 : -1, y < y1 ? 1 : -1];
    let error = dx + dy;
    for (;;) {
      add(x, y);
      if (x === x1 && y === y1) break;
      const e2 = 2 * error;
      if (e2 >= dy) [error, x] = [error + dy, x + sx];
      if (e2 <= dx) [error, y] = [error + dx, y + sy];
    }
  }
  return [...out];
}

/**
 * Splits every object the line cuts into two or more 4-connected pieces: the largest piece
 * keeps the label, the others get new ones. The line's pixels of a cut object then join the
 * piece most of their 4-neighbours belong to, ties to the lower label (the largest piece's),
 * repeated until every one has joined. Objects the
 * line only nicks are left as they were. Never mutates the input.
 */
export function splitAlongLine(
  labels: Labels,
  points: readonly { x: number; y: number }[],
): SplitResult {
  const { width, height, data } = labels;
  const line = linePixels(points, width, height).filter((i) => data[i] !== 0);
  const out = new Uint32Array(data);
  for (const i of line) out[i] = 0;
  const touched = [...new Set(line.map((i) => data[i]))].sort((a, b) => a - b);
  let next = nextFreeLabel(labels);
  const split: number[] = [];
  const created: number[] = [];
  /** The object each new piece was cut from. */
  const cutFrom = new Map<number, number>();
  const seen = new Uint8Array(data.length);
  for (const label of touched) {
    const pieces = piecesOf(out, width, label, seen);
    if (pieces.length < 2) continue;
    split.push(label);
    pieces.sort((a, b) => b.length - a.length);
    for (const piece of pieces.slice(1)) {
      created.push(next);
      cutFrom.set(next, label);
      for (const i of piece) out[i] = next;
      next++;
    }
  }
  // Give the line's pixels back: to a piece beside them, or their own label when not split.
  const wasSplit = new Set(split);
  let open = line.filter((i) => {
    if (wasSplit.has(data[i])) return true;
    out[i] = data[i];
    return false;
  });
  const family = (value: number, label: number) =>
    value === label || (value !== 0 && cutFrom.get(value) === label);
  while (open.length) {
    const assigned: [number, number][] = [];
    for (const i of open) {
      const label = data[i];
      const x = i % width;
      const votes = new Map<number, number>();
      for (const n of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width]) {
        if (n < 0 || n >= out.length) continue;
        const value = out[n];
        if (family(value, label)) votes.set(value, (votes.get(value) ?? 0) + 1);
      }
      let best = 0;
      let most = 0;
      for (const [value, count] of votes)
        if (count > most || (count === most && value < best)) [best, most] = [value, count];
      if (best) assigned.push([i, best]);
    }
    // Nothing beside them any more (a line pixel walled in by line pixels only): background.
    if (assigned.length === 0) break;
    for (const [i, value] of assigned) out[i] = value;
    const done = new Set(assigned.map(([i]) => i));
    open = open.filter((i) => !done.has(i));
  }
  return { labels: createLabels(width, height, out), split, created };
}

/** The 4-connected pieces of `label` in `data`, marking their pixels in `seen`. */
function piecesOf(data: Uint32Array, width: number, label: number, seen: Uint8Array): number[][] {
  const pieces: number[][] = [];
  for (let start = 0; start < data.length; start++) {
    if (data[start] !== label || seen[start]) continue;
    const piece = [start];
    seen[start] = 1;
    for (let k = 0; k < piece.length; k++) {
      const i = piece[k];
      const x = i % width;
      for (const n of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width]) {
        if (n >= 0 && n < data.length && !seen[n] && data[n] === label) {
          seen[n] = 1;
          piece.push(n);
        }
      }
    }
    pieces.push(piece);
  }
  return pieces;
}
