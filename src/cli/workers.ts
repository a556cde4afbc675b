import { InvalidArgumentError } from '../errors.js';

/**
 * The worker threads a batch gets: no more than its images (an idle thread still costs its
 * memory) nor the machine's cores (more only contend). `note` says when the request was capped.
 */
export function capWorkers(
  requested: number,
  images: number,
  cores: number,
): { workers: number; note?: string } {
  if (!Number.isInteger(requested) || requested < 1) {
    throw new InvalidArgumentError(`--workers must be a whole number ≥ 1, got ${requested}`);
  }
  const workers = Math.max(1, Math.min(requested, images, cores));
  if (workers === requested) return { workers };
  const why = [
    `${images} image${images === 1 ? '' : 's'}`,
    `${cores} core${cores === 1 ? '' : 's'}`,
  ];
  return { workers, note: `--workers ${requested} capped at ${workers} (${why.join(', ')})` };
}
