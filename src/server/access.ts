import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the view server, as Jupyter decides it: a request must name an allowed host
 * (stops DNS rebinding, where a foreign page's name resolves to 127.0.0.1), and every `/api`
 * call must carry the server's token (stops any other local page or process that guesses the
 * port, and anyone on the network when the server listens beyond loopback).
 */
export interface AccessPolicy {
  /** The secret every `/api` request must carry. */
  token: string;
  /** The port the server listens on; a Host header must name it (80 when it names none). */
  port: number;
  /**
   * Host names (or `name:port`) allowed besides `localhost`, `127.0.0.1` and `[::1]`.
   * IPv6 addresses may be given with or without brackets.
   */
  allowedHosts: readonly string[];
}

/** Why a request was refused, for the 403 answer. */
export interface AccessRefusal {
  reason: string;
  hint: string;
}

export const LOOPBACK_HOST_NAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

/** The query parameter of the URL the CLI prints; the cookie and header carry the same value. */
export const TOKEN_PARAMETER = 'token';

/** Cookies ignore ports, so two servers on one machine need their own names. */
export function tokenCookieName(port: number): string {
  return `cellscope-token-${port}`;
}

/** The `Set-Cookie` value that keeps the token for the page's later `/api` calls. */
export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** True for the addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackAddress(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return /^::ffff:127\./.test(bare);
}

/** True for `0.0.0.0` and `::`, which listen on every interface. */
export function isWildcardAddress(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return bare === '0.0.0.0' || bare === '::' || bare === '';
}

/** `Host: name:port` → lower-case name (IPv6 in brackets) and port; undefined when malformed. */
export function parseHostHeader(
  value: string | undefined,
): { name: string; port: number } | undefined {
  if (!value) return undefined;
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!match) return undefined;
  const port = match[2] === undefined ? 80 : Number(match[2]);
  if (port > 65535) return undefined;
  return { name: match[1].toLowerCase(), port };
}

/** `::1` → `[::1]`, `Name:8080` → `name:8080`: the form a Host header uses. */
export function normaliseAllowedHost(entry: string): string {
  const trimmed = entry.trim().toLowerCase();
  return isIP(trimmed) === 6 ? `[${trimmed}]` : trimmed;
}

/** Whether a `Host` header names this server: an allowed name with this port. */
export function isAllowedHost(header: string | undefined, policy: AccessPolicy): boolean {
  const host = parseHostHeader(header);
  if (!host) return false;
  const withPort = `${host.name}:${host.port}`;
  const allowed = [...LOOPBACK_HOST_NAMES, ...policy.allowedHosts.map(normaliseAllowedHost)];
  // An entry with a port must match exactly; one without takes this server's port.
  return allowed.some((entry) =>
    /:\d+$/.test(entry) ? entry === withPort : entry === host.name && host.port === policy.port,
  );
}

/** The token a request carries: `Authorization: Bearer`, then `?token=`, then the cookie. */
export function requestToken(request: IncomingMessage, port: number): string | undefined {
  const authorization = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (authorization) return authorization[1];
  const query = queryToken(request.url);
  if (query !== undefined) return query;
  const name = tokenCookieName(port);
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** The `?token=` of a request URL, if it has one. */
export function queryToken(url: string | undefined): string | undefined {
  const query = (url ?? '').split('#')[0].split('?')[1];
  if (query === undefined) return undefined;
  return new URLSearchParams(query).get(TOKEN_PARAMETER) ?? undefined;
}

/** Compares in constant time, so the answer's timing tells nothing about the token. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `/api` and below: the paths that need the token (the app's own files do not). */
export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

const OPEN_PRINTED_URL = 'open the URL that "cellscope view" printed (it ends in ?token=…)';

/**
 * Checks a request against the policy: the Host header always; for `/api` paths, a same-origin
 * `Origin` (when the browser sends one) and the token. Undefined means allowed.
 */
export function refusal(
  request: IncomingMessage,
  path: string,
  policy: AccessPolicy,
): AccessRefusal | undefined {
  const host = request.headers.host;
  if (!isAllowedHost(host, policy)) {
    return {
      reason: `host "${host ?? ''}" is not allowed`,
      hint: `use http://127.0.0.1:${policy.port}/, or start "cellscope view --allow-host <name>" to allow another name`,
    };
  }
  if (!isApiPath(path)) return undefined;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return { reason: `cross-origin request from ${origin} refused`, hint: OPEN_PRINTED_URL };
  }
  const given = requestToken(request, policy.port);
  if (!tokenMatches(given, policy.token)) {
    return {
      reason: given === undefined ? 'this request has no token' : 'wrong token',
      hint: OPEN_PRINTED_URL,
    };
  }
  return undefined;
}
