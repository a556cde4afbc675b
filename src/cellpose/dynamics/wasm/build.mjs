// Regenerates the WebAssembly kernels' .ts modules from their .wat sources:
//   npm install --prefix /tmp/wasmtools wabt@1   (outside the repository)
//   node src/cellpose/dynamics/wasm/build.mjs [/tmp/wasmtools]
/* global process, console, Buffer */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { followWat } from './follow-wat.mjs';

const here = import.meta.dirname;
const prefix = process.argv[2] ?? '/tmp/wasmtools';
const load = createRequire(join(prefix, 'node_modules', 'x.js'));
const wabt = await load('wabt')();
const version = load('wabt/package.json').version;

writeFileSync(join(here, 'follow.wat'), followWat());
for (const name of ['diffuse', 'follow']) {
  const source = readFileSync(join(here, `${name}.wat`), 'utf8');
  const parsed = wabt.parseWat(`${name}.wat`, source, { simd: true, sat_float_to_int: true });
  parsed.validate();
  const bytes = Buffer.from(parsed.toBinary({}).buffer);
  const constant = `${name.toUpperCase()}_WASM`;
  writeFileSync(
    join(here, `${name}-wasm.ts`),
    `// Generated from ${name}.wat by build.mjs (wabt ${version}); do not edit.\n` +
      `/** ${name}.wat compiled, base64 (${bytes.length} bytes). */\n` +
      `export const ${constant} =\n  '${bytes.toString('base64')}';\n`,
  );
  console.log(`${name}-wasm.ts: ${bytes.length} bytes`);
}
