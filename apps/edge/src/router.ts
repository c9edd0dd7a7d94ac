import { HonoBase } from 'hono/hono-base';
import { UnsupportedPathError, type Result, type Router } from 'hono/router';
import type { BlankEnv, BlankSchema, Env, Schema } from 'hono/types';

/**
 * Hono's router for the edge: path segments compared as text, `:name` a parameter (one non-empty
 * segment), a trailing `*` anything below (and the path itself), a trailing slash optional. That is
 * all the edge's routes use, and what `hono/tiny`'s PatternRouter answers for them (a test compares
 * the two on the edge's routes and hostile paths); about 0.14 KB gzip less in the Worker, which has
 * to carry the configuration rules of core in its 40 KB. Other path syntax (`{regex}`, `?`, a `*`
 * before the end) is refused when the route is added, with Hono's own UnsupportedPathError.
 */
export class SegmentRouter<T> implements Router<T> {
  name = 'SegmentRouter';
  readonly #routes: [method: string, segments: string[], below: boolean, handler: T][] = [];

  add(method: string, path: string, handler: T): void {
    if (/[?{]|\*./.test(path)) throw new UnsupportedPathError();
    this.#routes.push([method, path.replace(/\/?\*$/, '').split('/'), path.endsWith('*'), handler]);
  }

  match(method: string, path: string): Result<T> {
    const parts = path.replace(/(.)\/$/, '$1').split('/');
    const found: [T, Record<string, string>][] = [];
    for (const [routeMethod, segments, below, handler] of this.#routes) {
      if ((routeMethod !== method && routeMethod !== 'ALL') || (below ? parts.length < segments.length : parts.length !== segments.length)) continue;
      const params: Record<string, string> = {};
      if (segments.every((s, i) => (s[0] === ':' ? (params[s.slice(1)] = parts[i]!) !== '' : s === parts[i]))) found.push([handler, params]);
    }
    return [found];
  }
}

/** Hono with the edge's router: the edge's one app class (the base app, the configured one, its sub-apps). */
export class Hono<E extends Env = BlankEnv, S extends Schema = BlankSchema, BasePath extends string = '/'> extends HonoBase<E, S, BasePath> {
  constructor() {
    super({ router: new SegmentRouter() });
  }
}
