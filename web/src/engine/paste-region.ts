// "Segment the visible region": a run on a rectangle of the image is written back into that
// rectangle only. Objects the rectangle's edge cuts are the hard part; the rule, as CellProfiler
// discards objects touching the image border, is that a cut object is never trusted:
//  - an old object wholly inside the region is replaced; one crossing its edge stays whole;
//  - a new object touching a region edge that is not the image's edge is dropped (the run saw
//    only part of it);
//  - new objects are written onto free pixels only, and one left with under half its pixels
//    (it mostly repeats an old object kept across the edge) is dropped too.
import { createLabels, nextFreeLabel, type Labels } from 'cellscope/browser';

/** A rectangle of the image in pixels: `x` the first column, `y` the first row. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PasteResult {
  labels: Labels;
  /** Old objects removed because they lay wholly inside the region. */
  replaced: number;
  /** New objects written, with labels after the old ones. */
  added: number;
  /** New objects dropped: cut by the region's edge, or mostly over a kept old object. */
  dropped: number;
}

/**
 * Writes `fresh` (the labels of a run on `region`, region-sized) into `old` by the rule above.
 * Never mutates either.
 */
export function pasteRegion(old: Labels, fresh: Labels, region: Region): PasteResult {
  const { width, height } = old;
  const { x: rx, y: ry, width: rw, height: rh } = region;
  const inRegion = (x: number, y: number) => x >= rx && y >= ry && x < rx + rw && y < ry + rh;
  // Old objects with a pixel outside the region cross its edge and stay.
  const crossing = new Set<number>();
  const inside = new Set<number>();
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = old.data[y * width + x];
      if (v) (inRegion(x, y) ? inside : crossing).add(v);
    }
  const out = new Uint32Array(old.data);
  let replaced = 0;
  for (const v of inside) if (!crossing.has(v)) replaced++;
  for (let y = ry; y < ry + rh; y++)
    for (let x = rx; x < rx + rw; x++) {
      const i = y * width + x;
      if (out[i] && !crossing.has(out[i])) out[i] = 0;
    }
  // New objects on a region edge inside the image were cut by it.
  const cut = new Set<number>();
  const edge = (x: number, y: number) => {
    const v = fresh.data[y * rw + x];
    if (v) cut.add(v);
  };
  for (let x = 0; x < rw; x++) {
    if (ry > 0) edge(x, 0);
    if (ry + rh < height) edge(x, rh - 1);
  }
  for (let y = 0; y < rh; y++) {
    if (rx > 0) edge(0, y);
    if (rx + rw < width) edge(rw - 1, y);
  }
  const area = new Map<number, number>();
  for (const v of fresh.data) if (v && !cut.has(v)) area.set(v, (area.get(v) ?? 0) + 1);
  // New labels follow the old ones, in the order of the fresh labels.
  let next = nextFreeLabel(old);
  const renamed = new Map<number, number>();
  for (const v of [...area.keys()].sort((a, b) => a - b)) renamed.set(v, next++);
  const written = new Map<number, number[]>();
  for (let y = 0; y < rh; y++)
    for (let x = 0; x < rw; x++) {
      const v = fresh.data[y * rw + x];
      const to = renamed.get(v);
      const i = (y + ry) * width + x + rx;
      if (to === undefined || out[i]) continue;
      out[i] = to;
      const list = written.get(v);
      if (list) list.push(i);
      else written.set(v, [i]);
    }
  let added = 0;
  let dropped = cut.size;
  for (const [v, total] of area) {
    const pixels = written.get(v) ?? [];
    if (2 * pixels.length >= total) {
      added++;
      continue;
    }
    dropped++;
    for (const i of pixels) out[i] = 0;
  }
  return { labels: compact(createLabels(width, height, out), old), replaced, added, dropped };
}

/** Renumbers the new labels (those above the old maximum) to close gaps left by dropped ones. */
function compact(labels: Labels, old: Labels): Labels {
  const first = nextFreeLabel(old);
  const present = new Set<number>();
  for (const v of labels.data) if (v >= first) present.add(v);
  const order = [...present].sort((a, b) => a - b);
  if (order.every((v, k) => v === first + k)) return labels;
  const map = new Map(order.map((v, k) => [v, first + k]));
  const data = labels.data.map((v) => (v >= first ? map.get(v)! : v));
  return createLabels(labels.width, labels.height, data);
}
