import type { ImageSummary } from './analyze-image.js';

/**
 * One image of a batch: its name (its output folder in `outDir`) and its file(s), one per
 * channel when there are several.
 */
export interface BatchImage {
  name: string;
  files: string[];
  /** The name the image's files gave it, and why its folder has another. */
  renamed?: { from: string; reason: string };
}

/** What a batch (or one shard of it) did: images done, skipped (resume) and failed. */
export interface BatchResult {
  done: ImageSummary[];
  skipped: string[];
  failures: { image: string; files: string; reason: string }[];
  /** With `resume`: the temp files of dead runs that were removed. */
  removedTempFiles: string[];
}
