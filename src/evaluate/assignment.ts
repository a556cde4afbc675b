/**
 * Minimum-cost assignment of rows to columns (Hungarian algorithm with potentials, O(n²m)),
 * for a dense `rows × cols` cost matrix with rows ≤ cols. Returns the column of each row.
 */
export function minCostAssignment(cost: Float64Array, rows: number, cols: number): Int32Array {
  if (rows > cols) throw new RangeError('minCostAssignment needs rows ≤ cols');
  // 1-based arrays as in the classic formulation; index 0 is the virtual start.
  const u = new Float64Array(rows + 1);
  const v = new Float64Array(cols + 1);
  const rowOfCol = new Int32Array(cols + 1);
  const way = new Int32Array(cols + 1);
  const minSlack = new Float64Array(cols + 1);
  const used = new Uint8Array(cols + 1);
  for (let i = 1; i <= rows; i++) {
    rowOfCol[0] = i;
    let col = 0;
    minSlack.fill(Infinity);
    used.fill(0);
    do {
      used[col] = 1;
      const row = rowOfCol[col];
      let delta = Infinity;
      let next = 0;
      for (let j = 1; j <= cols; j++) {
        if (used[j]) continue;
        const slack = cost[(row - 1) * cols + (j - 1)] - u[row] - v[j];
        if (slack < minSlack[j]) {
          minSlack[j] = slack;
          way[j] = col;
        }
        if (minSlack[j] < delta) {
          delta = minSlack[j];
          next = j;
        }
      }
      for (let j = 0; j <= cols; j++) {
        if (used[j]) {
          u[rowOfCol[j]] += delta;
          v[j] -= delta;
        } else {
          minSlack[j] -= delta;
        }
      }
      col = next;
    } while (rowOfCol[col] !== 0);
    do {
      const previous = way[col];
      rowOfCol[col] = rowOfCol[previous];
      col = previous;
    } while (col !== 0);
  }
  const assignment = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= cols; j++) if (rowOfCol[j] > 0) assignment[rowOfCol[j] - 1] = j - 1;
  return assignment;
}
