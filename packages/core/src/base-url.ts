/**
 * The one rule for a CloudAgent base URL, for every app (edge, shim, CLI): the API key travels with
 * every request, so the URL must be https. Plain http is only for this machine (a simulator on
 * loopback) and for origins the caller names itself (the shim's in-process simulator in `pnpm dev`,
 * which no request ever leaves the isolate for). Credentials, a query or a fragment in a base URL
 * are refused: they would be sent or printed with every request. Pure.
 */
export interface BaseUrlOptions {
  /** Exact http origins allowed besides loopback, e.g. `http://simulator.invalid`. */
  allowHttpOrigins?: readonly string[];
}

export type BaseUrlCheck = { ok: true; url: string } | { ok: false; rule: 'base-url-format' | 'base-url-https' | 'base-url-bare'; message: string };

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

/** 127.0.0.0/8, ::1 and localhost: addresses that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

interface UrlParts {
  scheme: string;
  userinfo: string;
  host: string;
  port: string;
  path: string;
  rest: string;
}

// By hand rather than with URL: core's type-check has the ES library only (no URL), which keeps it
// pure. A base URL is simple enough: scheme://[userinfo@]host[:port][/path], nothing after.
const URL_SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(.*)$/s;
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)$/;

function partsOf(value: string): UrlParts | undefined {
  const match = URL_SHAPE.exec(value);
  if (!match) return undefined;
  const [, scheme, authority, path, rest] = match as unknown as [string, string, string, string, string];
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? '' : authority.slice(0, at);
  const hostPort = at === -1 ? authority : authority.slice(at + 1);
  const portMatch = /^(.*?)(?::(\d{0,5}))?$/.exec(hostPort)!;
  const host = portMatch[1]!.toLowerCase();
  const port = portMatch[2] ?? '';
  if (!HOST.test(host) || (port !== '' && Number(port) > 65_535)) return undefined;
  return { scheme: scheme.toLowerCase(), userinfo, host, port, path, rest };
}

/**
 * Checks a base URL. On success `url` is the URL without trailing slashes. Messages never quote the
 * value (it may hold credentials); they say what to fix.
 */
export function checkBaseUrl(value: string, options: BaseUrlOptions = {}): BaseUrlCheck {
  const parts = partsOf(value.trim());
  if (!parts || (parts.scheme !== 'http' && parts.scheme !== 'https') || /[\s\x00-\x1f\x7f]/.test(parts.path)) {
    return { ok: false, rule: 'base-url-format', message: 'must be an absolute https URL such as https://in1-ccaas-api.ozonetel.com' };
  }
  if (parts.userinfo !== '' || parts.rest !== '') {
    return { ok: false, rule: 'base-url-bare', message: 'must be a bare host URL, without credentials, query or fragment (e.g. https://in1-ccaas-api.ozonetel.com)' };
  }
  const origin = `${parts.scheme}://${parts.host}${parts.port !== '' ? `:${parts.port}` : ''}`;
  const allowedHttp = parts.scheme === 'http' && (isLoopbackHost(parts.host) || (options.allowHttpOrigins ?? []).includes(origin));
  if (parts.scheme !== 'https' && !allowedHttp) {
    return {
      ok: false,
      rule: 'base-url-https',
      message: 'must use https: the API key travels with every request (plain http only to 127.0.0.1 or localhost, e.g. a local simulator)',
    };
  }
  return { ok: true, url: (origin + parts.path).replace(/\/+$/, '') };
}
