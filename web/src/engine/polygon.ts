// Polygon rasterising for the lasso/polygon tool, by skimage.draw.polygon's rule: a pixel is in
// when its centre is inside the polygon (even-odd) or on its outline (edge or vertex).

/** A vertex in image pixels with pixel centres at integers (skimage's (col, row)). */
export interface Vertex {
  x: number;
  y: number;
}

/**
 * The pixels of a closed polygon (the last vertex joins the first), clipped to a width × height
 * image, as indices y·width + x in row order. Self-crossing outlines follow the even-odd rule.
 * Fewer than three vertices give the pixels of the outline only (a point or a segment).
 */
export function polygonPixels(
  vertices: readonly Vertex[],
  width: number,
  height: number,
): number[] {
  const out: number[] = [];
  const n = vertices.length;
  if (n === 0) return out;
  let [minY, maxY] = [Infinity, -Infinity];
  for (const v of vertices) [minY, maxY] = [Math.min(minY, v.y), Math.max(maxY, v.y)];
  const y0 = Math.max(0, Math.ceil(minY));
  const y1 = Math.min(height - 1, Math.floor(maxY));
  const spans: number[] = [];
  for (let y = y0; y <= y1; y++) {
    // Crossings of the row with each edge, half-open in y so a vertex on the row counts once.
    const crossings: number[] = [];
    spans.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const a = vertices[j];
      const b = vertices[i];
      if (a.y > y !== b.y > y) crossings.push(a.x + ((y - a.y) * (b.x - a.x)) / (b.y - a.y));
      // Horizontal edges and vertices on the row are outline: inside by skimage's rule.
      if (a.y === y && b.y === y) spans.push(Math.min(a.x, b.x), Math.max(a.x, b.x));
      else if (b.y === y) spans.push(b.x, b.x);
    }
    crossings.sort((p, q) => p - q);
    for (let k = 0; k + 1 < crossings.length; k += 2) spans.push(crossings[k], crossings[k + 1]);
    // Each crossing is on the outline too (an odd leftover closes nothing but is still edge).
    if (crossings.length % 2)
      spans.push(crossings[crossings.length - 1], crossings[crossings.length - 1]);
    addSpans(out, spans, y, width);
  }
  return out;
}

/** Adds the pixels of row y whose centres lie in any closed span [from, to], each once. */
function addSpans(out: number[], spans: number[], y: number, width: number): void {
  const ranges: [number, number][] = [];
  for (let k = 0; k < spans.length; k += 2) {
    const from = Math.max(0, Math.ceil(spans[k]));
    const to = Math.min(width - 1, Math.floor(spans[k + 1]));
    if (from <= to) ranges.push([from, to]);
  }
  ranges.sort((p, q) => p[0] - q[0]);
  let next = 0;
  for (const [from, to] of ranges) {
    for (let x = Math.max(from, next); x <= to; x++) out.push(y * width + x);
    next = Math.max(next, to + 1);
  }
}
