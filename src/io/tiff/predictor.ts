/**
 * Undoes TIFF predictors in place on one decoded chunk of `rows` rows of `rowSamples` samples.
 * `bytes` must be a fresh, 8-byte aligned buffer in this machine's byte order (predictor 2)
 * or in file order (predictor 3, which carries its own byte order).
 */
export function undoHorizontalDifferencing(
  bytes: Uint8Array,
  bytesPerSample: number,
  samplesPerPixel: number,
  rowSamples: number,
  rows: number,
): void {
  // libtiff applies predictor 2 to the samples' unsigned integer bit patterns, floats included.
  const buffer = bytes.buffer;
  const offset = bytes.byteOffset;
  if (bytesPerSample === 8) {
    const samples = new BigUint64Array(buffer, offset, rowSamples * rows);
    for (let r = 0; r < rows; r++) {
      const start = r * rowSamples;
      for (let i = start + samplesPerPixel; i < start + rowSamples; i++) {
        samples[i] = BigInt.asUintN(64, samples[i] + samples[i - samplesPerPixel]);
      }
    }
    return;
  }
  const samples =
    bytesPerSample === 1
      ? bytes
      : bytesPerSample === 2
        ? new Uint16Array(buffer, offset, rowSamples * rows)
        : new Uint32Array(buffer, offset, rowSamples * rows);
  for (let r = 0; r < rows; r++) {
    const start = r * rowSamples;
    const end = start + rowSamples;
    // Typed-array stores wrap modulo 2^bits, which is exactly the predictor's arithmetic.
    for (let i = start + samplesPerPixel; i < end; i++) samples[i] += samples[i - samplesPerPixel];
  }
}

/**
 * Undoes the floating-point predictor (Adobe TIFF Technote 3): per row, bytes were split into
 * planes (most significant first) and byte-differenced. Output is in this machine's byte order.
 */
export function undoFloatingPointPredictor(
  bytes: Uint8Array,
  bytesPerSample: number,
  samplesPerPixel: number,
  rowSamples: number,
  rows: number,
): void {
  const rowBytes = rowSamples * bytesPerSample;
  const scratch = new Uint8Array(rowBytes);
  const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  for (let r = 0; r < rows; r++) {
    const row = bytes.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = samplesPerPixel; i < rowBytes; i++)
      row[i] = (row[i] + row[i - samplesPerPixel]) & 0xff;
    scratch.set(row);
    for (let s = 0; s < rowSamples; s++) {
      for (let b = 0; b < bytesPerSample; b++) {
        const plane = littleEndianHost ? bytesPerSample - 1 - b : b;
        row[s * bytesPerSample + b] = scratch[plane * rowSamples + s];
      }
    }
  }
}

/** Reverses the byte order of every sample in place. */
export function swapByteOrder(bytes: Uint8Array, bytesPerSample: number): void {
  if (bytesPerSample === 2) {
    for (let i = 0; i + 1 < bytes.length; i += 2) {
      const t = bytes[i];
      bytes[i] = bytes[i + 1];
      bytes[i + 1] = t;
    }
    return;
  }
  for (let i = 0; i + bytesPerSample <= bytes.length; i += bytesPerSample) {
    for (let a = i, b = i + bytesPerSample - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}
