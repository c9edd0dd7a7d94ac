/**
 * The shim's routes without a framework: eight fixed paths, no parameters, no middleware. Hono (even
 * `hono/tiny`) was about 5 KB gzip of the Worker's 40 KB budget for this (docs/decisions.md "Worker
 * bundles"). What it did for the shim, this keeps:
 * - a path matches with or without one trailing slash, compared percent-decoded (decodeURI);
 * - HEAD runs the GET route and answers its status and headers without a body;
 * - no route for the path and method: 404 `404 Not Found` (text/plain);
 * - a handler that throws (or rejects) is answered by `onError`.
 */

/** The part of a Workers ExecutionContext the shim uses. */
export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

/** One incoming request, as a route sees it. */
export interface RouteCall {
  request: Request;
  /** The path as sent, percent-decoded (a trailing slash kept: only matching ignores it). */
  path: string;
  /** The Worker's context; undefined on Node. */
  ctx: ExecutionContextLike | undefined;
}

export type RouteHandler = (call: RouteCall) => Response | Promise<Response>;

/** GET, POST, or ALL: every method, HEAD included. */
export type RouteMethod = 'GET' | 'POST' | 'ALL';

export interface Router {
  on(method: RouteMethod, path: string, handler: RouteHandler): void;
  fetch(request: Request, ctx?: ExecutionContextLike): Promise<Response>;
}

export function createRouter(onError: (error: unknown, call: RouteCall) => Response): Router {
  const routes = new Map<string, Partial<Record<RouteMethod, RouteHandler>>>();
  return {
    on(method, path, handler) {
      routes.set(path, { ...routes.get(path), [method]: handler });
    },
    async fetch(request, ctx) {
      const call: RouteCall = { request, path: decodedPath(request.url), ctx };
      const methods = routes.get(call.path.length > 1 && call.path.endsWith('/') ? call.path.slice(0, -1) : call.path);
      const handler = methods?.[request.method === 'HEAD' ? 'GET' : (request.method as RouteMethod)] ?? methods?.ALL;
      let response: Response;
      try {
        response = handler ? await handler(call) : new Response('404 Not Found', { status: 404, headers: { 'content-type': 'text/plain; charset=UTF-8' } });
      } catch (error) {
        response = onError(error, call);
      }
      return request.method === 'HEAD' ? new Response(null, response) : response;
    },
  };
}

function decodedPath(url: string): string {
  const path = new URL(url).pathname;
  try {
    return decodeURI(path);
  } catch {
    return path; // a malformed escape: compared as sent (and so matches no route)
  }
}
