import type { Labels } from '../../image/types.js';

/** A label image drawn as text: one string per row, `.` = 0, other characters mapped by `values`. */
export function grid(rows: readonly string[], values: Record<string, number>): Labels {
  const height = rows.length;
  const width = rows[0].length;
  const data = new Uint32Array(width * height);
  rows.forEach((row, r) => {
    if (row.length !== width) throw new Error(`row ${r} is ${row.length} wide, not ${width}`);
    for (let c = 0; c < width; c++) {
      const ch = row[c];
      if (ch === '.') continue;
      const value = values[ch];
      if (value === undefined) throw new Error(`no value for "${ch}"`);
      data[r * width + c] = value;
    }
  });
  return { width, height, data };
}
