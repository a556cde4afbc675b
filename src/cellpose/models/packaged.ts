/**
 * cellscope's own Cellpose-architecture models, trained on generated images (training/) and
 * shipped inside the package (`models/`), so deep-learning segmentation works offline with
 * nothing to download. They load through the same `.pth` reader and graph builder as
 * official weights, each with its size model (`size_<name>.npy`, fitted by
 * training/fit-size.ts) for `diameter: 'auto'`. See models/README.md (the model cards).
 */
export const PACKAGED_MODELS = {
  'cellscope-nuclei': {
    file: 'cellscope-nuclei.pth',
    sizeModelFile: 'size_cellscope-nuclei.npy',
    diamMean: 17,
    description:
      "cellscope's nucleus model (DNA stain), trained on generated images; ships offline",
  },
  'cellscope-cells': {
    file: 'cellscope-cells.pth',
    sizeModelFile: 'size_cellscope-cells.npy',
    diamMean: 30,
    description:
      "cellscope's cell model (cytoplasm + optional nuclei), trained on generated images; ships offline",
  },
} as const;

export type PackagedModelName = keyof typeof PACKAGED_MODELS;

export const PACKAGED_MODEL_NAMES = Object.keys(PACKAGED_MODELS) as readonly PackagedModelName[];

export function isPackagedModelName(name: string): name is PackagedModelName {
  return Object.hasOwn(PACKAGED_MODELS, name);
}

/** The models `analyze`, `demo`, `segment` and the app use when none is named. */
export const DEFAULT_MODELS = {
  nuclei: 'cellscope-nuclei',
  cells: 'cellscope-cells',
} as const satisfies Record<string, PackagedModelName>;
