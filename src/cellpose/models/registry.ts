import { InvalidArgumentError } from '../../errors.js';
import { PACKAGED_MODEL_NAMES } from './packaged.js';

/** Where Cellpose 3 serves its official weights (`models._MODEL_URL` in cellpose v3.1.1.3). */
export const MODEL_BASE_URL = 'https://www.cellpose.org/models';

/**
 * The built-in Cellpose models. File names follow `models.model_path` / `size_model_path` in
 * cellpose v3.1.1.3: `cyto3` keeps its bare name, the older models are `<name>torch_0`.
 * `diamMean` is the diameter (pixels) the network was trained at: 17 for nuclei, 30 otherwise
 * (`models.Cellpose.__init__`); for built-ins it comes from the code, not the file.
 */
export const BUILT_IN_MODELS = {
  cyto3: {
    weightsFile: 'cyto3',
    sizeModelFile: 'size_cyto3.npy',
    diamMean: 30,
    description: "Cellpose 3 generalist cytoplasm model (Cellpose's default)",
  },
  nuclei: {
    weightsFile: 'nucleitorch_0',
    sizeModelFile: 'size_nucleitorch_0.npy',
    diamMean: 17,
    description: 'nucleus model, for a DNA stain such as DAPI or Hoechst',
  },
  cyto2: {
    weightsFile: 'cyto2torch_0',
    sizeModelFile: 'size_cyto2torch_0.npy',
    diamMean: 30,
    description: 'Cellpose 2 cytoplasm model (cyto trained on user-submitted images too)',
  },
  cyto: {
    weightsFile: 'cytotorch_0',
    sizeModelFile: 'size_cytotorch_0.npy',
    diamMean: 30,
    description: 'original Cellpose 1 cytoplasm model',
  },
} as const;

/** A built-in model name: `'cyto3' | 'nuclei' | 'cyto2' | 'cyto'`. */
export type BuiltInModelName = keyof typeof BUILT_IN_MODELS;

/** The built-in model names, in the order the CLI lists them. */
export const BUILT_IN_MODEL_NAMES = Object.keys(BUILT_IN_MODELS) as readonly BuiltInModelName[];

/** One built-in model with its download URLs spelled out. */
export interface BuiltInModel {
  readonly name: BuiltInModelName;
  /** File name of the PyTorch weights, in the cache and on the server. */
  readonly weightsFile: string;
  /** File name of the size model (`size_*.npy`) that estimates the diameter. */
  readonly sizeModelFile: string;
  /** `https://www.cellpose.org/models/<weightsFile>`. */
  readonly weightsUrl: string;
  /** `https://www.cellpose.org/models/<sizeModelFile>`. */
  readonly sizeModelUrl: string;
  /** Object diameter in pixels the network was trained at. */
  readonly diamMean: number;
  /** One line for people. */
  readonly description: string;
}

/** True when `name` is exactly a built-in model name (case-sensitive, as in Cellpose). */
export function isBuiltInModelName(name: string): name is BuiltInModelName {
  return Object.hasOwn(BUILT_IN_MODELS, name);
}

/**
 * Looks up a built-in model by name.
 * @throws InvalidArgumentError for any other name; the message lists the valid names.
 */
export function getBuiltInModel(name: string): BuiltInModel {
  if (!isBuiltInModelName(name)) {
    throw new InvalidArgumentError(
      `unknown model "${name}"; built-in models are ${[...PACKAGED_MODEL_NAMES, ...BUILT_IN_MODEL_NAMES].join(', ')}`,
      { hint: 'for a custom model, give the path to its weight file (e.g. ./my_model.pth)' },
    );
  }
  const entry = BUILT_IN_MODELS[name];
  return {
    name,
    weightsFile: entry.weightsFile,
    sizeModelFile: entry.sizeModelFile,
    weightsUrl: `${MODEL_BASE_URL}/${entry.weightsFile}`,
    sizeModelUrl: `${MODEL_BASE_URL}/${entry.sizeModelFile}`,
    diamMean: entry.diamMean,
    description: entry.description,
  };
}
