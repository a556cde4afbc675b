// After an erase, an object can fall apart. napari leaves the pieces under one label (one
// "object" in two places, which measures wrongly); here the largest piece keeps the label and
// each other piece becomes an object of its own or is dropped, as the user chose.
import { createLabels, nextFreeLabel, type Labels } from 'cellscope/browser';

export type DetachedPieces = 'keep' | 'relabel' | 'drop';

/**
 * Splits each of `touched` into its 4-connected pieces. The largest keeps its label; the others
 * get new labels (`relabel`), become background (`drop`) or stay (`keep`). Never mutates.
 */
export function resolveDetached(
  labels: Labels,
  touched: Iterable<number>,
  pieces: DetachedPieces,
): Labels {
  if (pieces === 'keep') return labels;
  const { width, height, data } = labels;
  const out = new Uint32Array(data);
  let next = nextFreeLabel(labels);
  const seen = new Uint8Array(data.length);
  for (const label of new Set(touched)) {
    if (label === 0) continue;
    const parts: number[][] = [];
    for (let start = 0; start < data.length; start++) {
      if (data[start] !== label || seen[start]) continue;
      const part = [start];
      seen[start] = 1;
      for (let k = 0; k < part.length; k++) {
        const i = part[k];
        const x = i % width;
        for (const n of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width]) {
          if (n >= 0 && n < data.length && !seen[n] && data[n] === label) {
            seen[n] = 1;
            part.push(n);
          }
        }
      }
      parts.push(part);
    }
    parts.sort((a, b) => b.length - a.length);
    for (const part of parts.slice(1)) {
      const value = pieces === 'drop' ? 0 : next++;
      for (const i of part) out[i] = value;
    }
  }
  return createLabels(width, height, out);
}
