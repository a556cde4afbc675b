import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessAlive, removeStaleTempFiles, tempFileWriter } from '../stale-temp-files.js';

const root = mkdtempSync(join(tmpdir(), 'cellscope-stale-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The pid of a process that has exited (pids are reused only after wrapping around). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('removeStaleTempFiles', () => {
  it("removes a dead writer's temp files at every level, and keeps everything else", async () => {
    const out = join(root, 'out');
    mkdirSync(join(out, 'img0', 'plots'), { recursive: true });
    const dead = deadPid();
    expect(isProcessAlive(dead)).toBe(false);
    const stale = [
      join(out, `summary.json.tmp-${dead}-0a1b2c3d`),
      join(out, 'img0', `cells.tif.tmp-${dead}-deadbeef`),
      join(out, 'img0', 'plots', `A.png.tmp-${dead}-00000000`),
    ];
    const kept = [
      join(out, 'img0', 'cells.tif'),
      join(out, `report.html.tmp-${process.pid}-0a1b2c3d`), // this process: alive
      join(out, `report.html.tmp-${process.ppid}-0a1b2c3d`), // its parent: alive
      join(out, `notes.tmp-${dead}-xyz`), // not a name writeFileAtomic gives
      join(out, `x.tmp-${dead}-0a1b2c3d.bak`),
    ];
    for (const file of [...stale, ...kept]) writeFileSync(file, 'x');
    const removed = await removeStaleTempFiles(out);
    expect(removed.sort()).toEqual([...stale].sort());
    for (const file of stale) expect(existsSync(file), file).toBe(false);
    for (const file of kept) expect(existsSync(file), file).toBe(true);
  });

  it('neither follows nor removes symbolic links, and goes only `depth` levels down', async () => {
    const out = join(root, 'links');
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(join(out, 'a', 'b', 'c', 'd'), { recursive: true });
    mkdirSync(elsewhere, { recursive: true });
    const dead = deadPid();
    const outside = join(elsewhere, `keep.tmp-${dead}-0a1b2c3d`);
    writeFileSync(outside, 'x');
    symlinkSync(elsewhere, join(out, 'link'));
    symlinkSync(outside, join(out, `alias.tmp-${dead}-0a1b2c3d`));
    const deep = join(out, 'a', 'b', 'c', 'd', `deep.tmp-${dead}-0a1b2c3d`);
    writeFileSync(deep, 'x');
    expect(await removeStaleTempFiles(out)).toEqual([]);
    expect(existsSync(outside)).toBe(true);
    expect(existsSync(deep)).toBe(true);
    expect(await removeStaleTempFiles(out, { depth: 4 })).toEqual([deep]);
  });

  it('treats a pid as alive when asked to, and a missing folder as empty', async () => {
    const out = join(root, 'alive');
    mkdirSync(out);
    writeFileSync(join(out, 'x.tif.tmp-12345-0a1b2c3d'), 'x');
    expect(await removeStaleTempFiles(out, { isAlive: () => true })).toEqual([]);
    expect(await removeStaleTempFiles(join(root, 'missing'))).toEqual([]);
  });

  it('reads the writer from the name writeFileAtomic gives', () => {
    expect(tempFileWriter('cells.tif.tmp-4242-0a1b2c3d')).toBe(4242);
    expect(tempFileWriter('cells.tif')).toBeUndefined();
    expect(tempFileWriter('cells.tif.tmp-4242-0a1b2c3')).toBeUndefined();
  });
});
