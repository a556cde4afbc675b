import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { randomCellposeWeights } from '../../../../test/cellpose-weights.js';
import { ModelFormatError } from '../../../errors.js';
import { loadCellposeModel } from '../../model.js';
import { cellposeArchitecture, checkCpnetLayout } from '../../network/architecture.js';
import { unpickle } from '../pickle.js';
import { decodeStateDict, type StateDict } from '../state-dict.js';
import { encodeStateDict } from '../encode-state-dict.js';
import { patchZipEntry, pthZip, tensorPickle, type CraftTensor } from './craft-pth.js';

// Weight files from issue 15 that asked for gigabytes or crashed: each is refused with a
// ModelFormatError before anything large is allocated, or read correctly.

const floats = (...values: number[]): Uint8Array =>
  new Uint8Array(Float32Array.from(values).buffer);

function failure(read: () => unknown): Error {
  try {
    read();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

const tensor = (over: Partial<CraftTensor> = {}): CraftTensor => ({
  name: 'w',
  key: '0',
  numel: 4,
  shape: [2, 2],
  stride: [2, 1],
  ...over,
});

describe('decodeStateDict bounds every allocation', () => {
  it('reads a plain tensor and a transposed view of the same storage', () => {
    const pickle = tensorPickle([tensor(), tensor({ name: 't', stride: [1, 2] })]);
    const weights = decodeStateDict(pthZip(pickle, { '0': floats(1, 2, 3, 4) }));
    expect(Array.from(weights.get('w')!.data as Float32Array)).toEqual([1, 2, 3, 4]);
    expect(Array.from(weights.get('t')!.data as Float32Array)).toEqual([1, 3, 2, 4]);
  });

  it('refuses a (32768, 32768) tensor with strides (0, 0) over one float (a 435-byte bomb)', () => {
    const pickle = tensorPickle([tensor({ numel: 1, shape: [32768, 32768], stride: [0, 0] })]);
    const file = pthZip(pickle, { '0': floats(1) });
    expect(file.length).toBeLessThan(1000);
    const error = failure(() => decodeStateDict(file));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.message).toBe(
      'tensor w of shape [32768, 32768] (strides [0, 0]) has 1073741824 values but its storage ' +
        'holds only 1: an expanded or stride-0 tensor, refused',
    );
  });

  it('refuses an expanded tensor (torch.save of x.expand) whose values outnumber its storage', () => {
    const pickle = tensorPickle([tensor({ numel: 4096, shape: [65536, 4096], stride: [0, 1] })]);
    const error = failure(() => decodeStateDict(pthZip(pickle, { '0': new Uint8Array(16384) })));
    expect(error.message).toMatch(/has 268435456 values but its storage holds only 4096/);
  });

  it('never decompresses zip entries the pickle does not name', () => {
    // An unused entry that claims 1 GiB and is not even valid deflate data.
    const zip = pthZip(tensorPickle([tensor()]), {
      '0': floats(1, 2, 3, 4),
      unused: new Uint8Array(4096).fill(0xff),
    });
    const bomb = patchZipEntry(zip, 'archive/data/unused', { size: 2 ** 30, deflated: true });
    expect(Array.from(decodeStateDict(bomb).get('w')!.data as Float32Array)).toEqual([1, 2, 3, 4]);
  });

  it('refuses a storage entry whose zip size exceeds what the pickle declares', () => {
    const zip = pthZip(tensorPickle([tensor()]), { '0': floats(1, 2, 3, 4) });
    const bomb = patchZipEntry(zip, 'archive/data/0', { size: 2 ** 30, deflated: true });
    expect(failure(() => decodeStateDict(bomb)).message).toBe(
      'storage data/0 holds 1073741824 bytes, more than the 16 its 4 elements need',
    );
  });

  it('refuses tensors beyond the memory budget before reading them', () => {
    const pickle = tensorPickle([tensor({ numel: 2 ** 28, shape: [2 ** 28], stride: [1] })]);
    const zip = pthZip(pickle, { '0': floats(1) });
    expect(failure(() => decodeStateDict(zip)).message).toBe(
      'the tensors need 2147483648 bytes of memory, more than the 1073741824-byte limit',
    );
  });

  it('refuses a negative storage offset with a clear error', () => {
    const pickle = tensorPickle([tensor({ offset: -8 })]);
    const error = failure(() => decodeStateDict(pthZip(pickle, { '0': floats(1, 2, 3, 4) })));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.message).toBe('malformed tensor record in the pickle');
  });

  it('refuses a tensor that reaches past its storage', () => {
    const pickle = tensorPickle([tensor({ offset: 1 })]);
    expect(
      failure(() => decodeStateDict(pthZip(pickle, { '0': floats(1, 2, 3, 4) }))).message,
    ).toBe('tensor w reaches past its storage (file truncated?)');
  });

  it('runs validate on the shapes before any storage is decompressed', () => {
    const zip = pthZip(tensorPickle([tensor()]), { '0': new Uint8Array(16).fill(0xff) });
    const corrupt = patchZipEntry(zip, 'archive/data/0', { deflated: true });
    const seen: string[] = [];
    const error = failure(() =>
      decodeStateDict(corrupt, {
        validate: (tensors) => {
          for (const [name, info] of tensors) seen.push(`${name} ${info.dtype} ${info.shape}`);
          throw new ModelFormatError('wrong architecture');
        },
      }),
    );
    expect(seen).toEqual(['w float32 2,2']);
    expect(error.message).toBe('wrong architecture');
  });
});

describe('unpickle', () => {
  it('appends a million items to a list without overflowing the stack', () => {
    const n = 1_000_000;
    const bytes = new Uint8Array(4 + 2 * n + 2);
    bytes.set([0x80, 0x02, 0x5d, 0x28]); // PROTO 2, EMPTY_LIST, MARK
    for (let i = 0; i < n; i++) bytes.set([0x4b, i & 0xff], 4 + 2 * i); // BININT1
    bytes.set([0x65, 0x2e], 4 + 2 * n); // APPENDS, STOP
    const list = unpickle(bytes, { callables: {} }).value as number[];
    expect(list).toHaveLength(n);
    expect(list[n - 1]).toBe((n - 1) & 0xff);
  });
});

describe('CPnet checks', () => {
  const small = (): StateDict => randomCellposeWeights({ nbase: [2, 8, 16] });

  it('refuses a tensor whose shape disagrees with the architecture before reading values', () => {
    const weights = small();
    weights.set('output.2.bias', { dtype: 'float32', shape: [4], data: new Float32Array(4) });
    const error = failure(() =>
      decodeStateDict(encodeStateDict(weights), { validate: checkCpnetLayout }),
    );
    expect(error.message).toBe(
      'not a Cellpose CPnet with nbase [2, 8, 16]: output.2.bias has shape [4], expected [3]',
    );
  });

  it('says what to do with float64 weights', () => {
    const weights = small();
    const name = 'output.2.bias';
    weights.set(name, { dtype: 'float64', shape: [3], data: new Float64Array(3) });
    const error = failure(() => checkCpnetLayout(decodeStateDict(encodeStateDict(weights))));
    expect((error as ModelFormatError).describe()).toBe(
      'output.2.bias holds float64 values; CPnet weights must be float32, float16 or bfloat16 ' +
        '(convert them in PyTorch with model.float() and save again)',
    );
  });

  it('refuses NaN weights and a NaN diam_mean instead of reporting a NaN diameter later', () => {
    const weights = small();
    (weights.get('output.2.weight')!.data as Float32Array)[5] = NaN;
    expect(failure(() => cellposeArchitecture(weights)).message).toBe(
      'output.2.weight holds NaN at index 5: the weights are corrupt (or training diverged)',
    );
    const diameters = small();
    diameters.set('diam_mean', { dtype: 'float32', shape: [1], data: Float32Array.of(NaN) });
    expect(failure(() => cellposeArchitecture(diameters)).message).toBe(
      'diam_mean is NaN; expected a positive diameter in pixels',
    );
  });

  describe('loadCellposeModel names the weight file in architecture errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cellscope-pth-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('for a NaN weight and for a wrong shape', async () => {
      const nan = small();
      (nan.get('output.2.weight')!.data as Float32Array)[0] = NaN;
      const nanPath = join(dir, 'nan.pth');
      writeFileSync(nanPath, encodeStateDict(nan));
      await expect(loadCellposeModel(nanPath)).rejects.toMatchObject({ file: nanPath });
      const wrong = small();
      wrong.delete('output.2.bias');
      const wrongPath = join(dir, 'wrong.pth');
      writeFileSync(wrongPath, encodeStateDict(wrong));
      const error = await loadCellposeModel(wrongPath).catch((e: ModelFormatError) => e);
      expect((error as ModelFormatError).describe()).toBe(
        `${wrongPath}: not a Cellpose CPnet: the weights lack output.2.bias`,
      );
    });
  });
});
