/**
 * Open-addressing table from a float64 value to a bucket id, hashed on the value's bits: a `Map`
 * with number keys boxes every non-integer key, which costs more than the whole flood step.
 */
export class ValueIndex {
  private keys: Float64Array;
  private ids: Int32Array;
  private mask: number;
  private count = 0;
  private readonly bits = new Float64Array(1);
  private readonly words = new Int32Array(this.bits.buffer);

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.ids = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
  }

  /** The bucket of `value`, or -1. */
  get(value: number): number {
    const { keys, ids, mask } = this;
    for (let i = this.slot(value); ids[i] !== -1; i = (i + 1) & mask) {
      if (keys[i] === value) return ids[i];
    }
    return -1;
  }

  /** Adds a value that is not in the table. */
  set(value: number, id: number): void {
    if (2 * (this.count + 1) > this.ids.length) this.rehash(2 * this.ids.length);
    const { ids, mask } = this;
    let i = this.slot(value);
    while (ids[i] !== -1) i = (i + 1) & mask;
    this.keys[i] = value;
    ids[i] = id;
    this.count++;
  }

  /** Removes a value that is in the table (backward-shift deletion keeps probe runs unbroken). */
  delete(value: number): void {
    const { keys, ids, mask } = this;
    let i = this.slot(value);
    while (keys[i] !== value || ids[i] === -1) i = (i + 1) & mask;
    for (let j = (i + 1) & mask; ids[j] !== -1; j = (j + 1) & mask) {
      const home = this.slot(keys[j]);
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      keys[i] = keys[j];
      ids[i] = ids[j];
      i = j;
    }
    ids[i] = -1;
    this.count--;
  }

  private slot(value: number): number {
    // + 0 turns -0 into 0, which compare equal and must share a slot
    this.bits[0] = value + 0;
    const h = Math.imul(this.words[0] ^ Math.imul(this.words[1], 0x9e3779b1), 0x85ebca6b);
    return (h ^ (h >>> 15)) & this.mask;
  }

  private rehash(capacity: number): void {
    const { keys, ids } = this;
    this.keys = new Float64Array(capacity);
    this.ids = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < ids.length; i++) if (ids[i] !== -1) this.set(keys[i], ids[i]);
  }
}
