/**
 * Threads each of a batch's workers gives its image's Cellpose network and dynamics: an equal
 * share of `threads`, at least one, so `workers` images at once never start workers × cores
 * threads on one machine.
 */
export function threadsPerWorker(threads: number, workers: number): number {
  return Math.max(1, Math.floor(threads / workers));
}
