import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import {
  isAllowedHost,
  isLoopbackAddress,
  parseHostHeader,
  tokenCookieName,
  type AccessPolicy,
} from '../access.js';
import { startAppServer, type AppServer, type AppServerOptions } from '../serve-app.js';

// Each attack of issue 15 §3 sent as raw HTTP, so the Host, Origin and Cookie headers are
// exactly what an attacker's page or script would send.
const root = mkdtempSync(join(tmpdir(), 'cellscope-access-'));
const appDir = join(root, 'app');
mkdirSync(appDir);
writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>cellscope</title>');
const image = join(root, 'secret.tif');
const imageBytes = randomBytes(5000);
writeFileSync(image, imageBytes);
const cacheDir = join(root, 'models');
afterAll(() => rmSync(root, { recursive: true, force: true }));

let server: AppServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<AppServerOptions> = {}): Promise<AppServer> {
  server = await startAppServer({
    appDir,
    files: [image],
    models: { cacheDir, fetch: () => Promise.reject(new Error('no test goes online')) },
    ...options,
  });
  return server;
}

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request to 127.0.0.1 with the headers given, Host included, sent as they are. */
function raw(
  port: number,
  path: string,
  headers: OutgoingHttpHeaders,
  method = 'GET',
): Promise<RawAnswer> {
  return new Promise((done, fail) => {
    // setHost false: no Host header unless the test gives one.
    const req = request(
      { host: '127.0.0.1', port, path, method, headers, setHost: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', fail);
    req.end();
  });
}

const portOf = (s: AppServer): number => Number(new URL(s.url).port);
const bearer = (s: AppServer): OutgoingHttpHeaders => ({ authorization: `Bearer ${s.token}` });

describe('the view server refuses', () => {
  it('a foreign Host header, even with the token (DNS rebinding)', async () => {
    const s = await start();
    const port = portOf(s);
    for (const host of [
      `attacker.example:${port}`,
      `localhost.attacker.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `127.0.0.2:${port}`,
      `localhost.:${port}`,
      `0.0.0.0:${port}`,
    ]) {
      for (const path of ['/api/files/0', '/api/files', '/api/models', '/']) {
        const answer = await raw(port, path, { host, ...bearer(s) });
        expect(answer.status, `${host} ${path}`).toBe(403);
        expect(answer.body.includes(imageBytes.subarray(0, 64)), host).toBe(false);
      }
    }
    const answer = await raw(port, '/api/files/0', { host: `attacker.example:${port}` });
    expect(JSON.parse(answer.body.toString())).toEqual({
      error: `host "attacker.example:${port}" is not allowed`,
      hint: `use http://127.0.0.1:${port}/, or start "cellscope view --allow-host <name>" to allow another name`,
    });
  });

  it('an allowed name with another port, or none (port 80)', async () => {
    const s = await start();
    const port = portOf(s);
    for (const host of [`localhost:${port + 1}`, 'localhost', '127.0.0.1', `[::1]:${port + 1}`]) {
      expect((await raw(port, '/api/files', { host, ...bearer(s) })).status, host).toBe(403);
    }
  });

  it('a malformed or missing Host header', async () => {
    const s = await start();
    const port = portOf(s);
    for (const host of [`127.0.0.1:${port}@attacker.example`, `127.0.0.1:${port}/x`, ' ']) {
      expect((await raw(port, '/api/files', { host, ...bearer(s) })).status, host).toBe(403);
    }
    // Node answers a request without Host 400 before the handler sees it.
    expect((await raw(port, '/api/files', bearer(s))).status).toBe(400);
  });

  it('a POST whose Host and Origin both name the attacker (a rebound download)', async () => {
    const s = await start();
    const port = portOf(s);
    const evil = `attacker.example:${port}`;
    const answer = await raw(
      port,
      '/api/models/cyto3/download',
      { host: evil, origin: `http://${evil}`, ...bearer(s) },
      'POST',
    );
    expect(answer.status).toBe(403);
  });

  it('a cross-origin call to the right host, even with the token', async () => {
    const s = await start();
    const port = portOf(s);
    for (const origin of ['http://attacker.example', `http://localhost:${port}`, 'null']) {
      const headers = { host: `127.0.0.1:${port}`, origin, ...bearer(s) };
      expect((await raw(port, '/api/files/0', headers)).status, origin).toBe(403);
      expect((await raw(port, '/api/models/cyto3/download', headers, 'POST')).status, origin).toBe(
        403,
      );
    }
  });

  it('an /api call without the token', async () => {
    const s = await start();
    const port = portOf(s);
    const host = `127.0.0.1:${port}`;
    for (const path of ['/api/files', '/api/files/0', '/api/models', '/api/models/cyto3/weights']) {
      const answer = await raw(port, path, { host });
      expect(answer.status, path).toBe(403);
      expect(JSON.parse(answer.body.toString()).error).toBe('this request has no token');
    }
    const post = await raw(port, '/api/models/cyto3/download', { host }, 'POST');
    expect(post.status).toBe(403);
  });

  it('an /api call with a wrong token, in the header, the query or the cookie', async () => {
    const s = await start();
    const port = portOf(s);
    const host = `127.0.0.1:${port}`;
    // Change the first character to one it is not (a token may itself start with 'x').
    const changedFirst = `${s.token[0] === 'x' ? 'y' : 'x'}${s.token.slice(1)}`;
    const wrong = [changedFirst, s.token.slice(0, -1), `${s.token}x`, ''];
    for (const token of wrong) {
      const attempts: [string, OutgoingHttpHeaders][] = [
        ['/api/files/0', { host, authorization: `Bearer ${token}` }],
        [`/api/files/0?token=${token}`, { host }],
        ['/api/files/0', { host, cookie: `${tokenCookieName(port)}=${token}` }],
      ];
      for (const [path, headers] of attempts) {
        const answer = await raw(port, path, headers);
        expect(answer.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
      }
    }
    // Another server's cookie (cookies ignore ports) is no key to this one.
    const other = { host, cookie: `${tokenCookieName(port + 1)}=${s.token}` };
    expect((await raw(port, '/api/files/0', other)).status).toBe(403);
  });
});

describe('the view server allows', () => {
  it('the loopback names with its port and the token, in each of its three forms', async () => {
    const s = await start();
    const port = portOf(s);
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LocalHost:${port}`,
      `[::1]:${port}`,
    ]) {
      const answer = await raw(port, '/api/files/0', { host, ...bearer(s) });
      expect(answer.status, host).toBe(200);
      expect(answer.body.equals(imageBytes)).toBe(true);
    }
    const host = `127.0.0.1:${port}`;
    const query = await raw(port, `/api/files/0?token=${s.token}`, { host });
    expect(query.status).toBe(200);
    const cookie = await raw(port, '/api/files/0', {
      host,
      cookie: `other=1; ${tokenCookieName(port)}=${s.token}`,
    });
    expect(cookie.status).toBe(200);
    const sameOrigin = await raw(port, '/api/files', {
      host,
      origin: `http://${host}`,
      ...bearer(s),
    });
    expect(sameOrigin.status).toBe(200);
  });

  it('the app page without the token, and sets the cookie when the page URL has it', async () => {
    const s = await start();
    const port = portOf(s);
    const host = `127.0.0.1:${port}`;
    const plain = await raw(port, '/', { host });
    expect(plain.status).toBe(200);
    expect(plain.headers['set-cookie']).toBeUndefined();
    expect(s.tokenUrl).toBe(`${s.url}?token=${s.token}`);
    const opened = await raw(port, `/?token=${s.token}`, { host });
    expect(opened.status).toBe(200);
    expect(opened.headers['set-cookie']).toEqual([
      `${tokenCookieName(port)}=${s.token}; Path=/; HttpOnly; SameSite=Strict`,
    ]);
    const wrong = await raw(port, `/?token=${s.token.slice(1)}`, { host });
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('a random token of 43 characters per server', async () => {
    const a = await start();
    const tokenA = a.token;
    await a.close();
    server = undefined;
    const b = await start();
    expect(tokenA).toMatch(/^[\w-]{43}$/);
    expect(b.token).toMatch(/^[\w-]{43}$/);
    expect(b.token).not.toBe(tokenA);
  });

  it('the names given in allowedHosts, with this port unless the entry names one', async () => {
    const s = await start({ allowedHosts: ['microscope.lab', 'Gateway.example:8443', '::2'] });
    const port = portOf(s);
    const allowed = [`microscope.lab:${port}`, 'gateway.example:8443', `[::2]:${port}`];
    for (const host of allowed) {
      expect((await raw(port, '/api/files', { host, ...bearer(s) })).status, host).toBe(200);
    }
    const refused = [`microscope.lab:${port + 1}`, `gateway.example:${port}`, `evil.lab:${port}`];
    for (const host of refused) {
      expect((await raw(port, '/api/files', { host, ...bearer(s) })).status, host).toBe(403);
    }
  });
});

describe('listening beyond loopback', () => {
  it('still needs the token and an allowed Host; the URL is a loopback one', async () => {
    const s = await start({ host: '0.0.0.0' });
    const port = portOf(s);
    expect(s.loopbackOnly).toBe(false);
    expect(s.url).toBe(`http://127.0.0.1:${port}/`);
    const host = `127.0.0.1:${port}`;
    expect((await raw(port, '/api/files/0', { host })).status).toBe(403);
    expect((await raw(port, '/api/files/0', { host, ...bearer(s) })).status).toBe(200);
    // Another machine's address for this one is refused until it is allowed by name.
    const lan = `192.168.1.20:${port}`;
    expect((await raw(port, '/api/files/0', { host: lan, ...bearer(s) })).status).toBe(403);
  });

  it('is reported as loopback-only on 127.0.0.1 and localhost', async () => {
    expect((await start()).loopbackOnly).toBe(true);
    await server!.close();
    server = await startAppServer({ appDir, host: 'localhost' });
    expect(server.loopbackOnly).toBe(true);
  });
});

describe('an invalid --host', () => {
  it.each(['999.1.1.1', 'no such host!', '8.8.8.8'])(
    'is an InvalidArgumentError naming it (%s), not a getaddrinfo stack',
    async (host) => {
      const attempt = startAppServer({ appDir, host });
      await expect(attempt).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(attempt).rejects.toMatchObject({
        message: expect.stringMatching(
          new RegExp(
            `^cannot listen on --host ${host.replace(/[.!]/g, '\\$&')}: not (a valid address or known host name|an address of this machine) \\(E[A-Z_]+\\)$`,
          ),
        ),
        hint: 'leave --host out for 127.0.0.1, or give localhost or an address of this machine',
      });
    },
  );
});

describe('access rules', () => {
  const policy: AccessPolicy = { token: 't'.repeat(20), port: 8000, allowedHosts: [] };

  it('parses Host headers into a lower-case name and a port', () => {
    expect(parseHostHeader('LocalHost:8000')).toEqual({ name: 'localhost', port: 8000 });
    expect(parseHostHeader('[::1]:8000')).toEqual({ name: '[::1]', port: 8000 });
    expect(parseHostHeader('example.org')).toEqual({ name: 'example.org', port: 80 });
    for (const bad of [undefined, '', 'a b:80', 'x:99999', 'user@x:80', '::1:8000']) {
      expect(parseHostHeader(bad), String(bad)).toBeUndefined();
    }
  });

  it('allows the loopback names with the port only', () => {
    expect(isAllowedHost('localhost:8000', policy)).toBe(true);
    expect(isAllowedHost('[::1]:8000', policy)).toBe(true);
    expect(isAllowedHost('localhost:8001', policy)).toBe(false);
    expect(isAllowedHost('localhost', { ...policy, port: 80 })).toBe(true);
  });

  it('tells loopback addresses from the others', () => {
    for (const a of ['127.0.0.1', '127.3.2.1', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(a), a).toBe(true);
    }
    for (const a of ['0.0.0.0', '::', '192.168.1.2', '10.0.0.1', 'example.org', '128.0.0.1']) {
      expect(isLoopbackAddress(a), a).toBe(false);
    }
  });
});
