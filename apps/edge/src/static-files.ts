/**
 * The files the edge serves as they are (public/: the OpenAPI document and the reference page): a
 * Workers static-assets binding, or the same files read from disk on Node. Answers the file, or
 * undefined when there is none by that name.
 */
export type StaticFiles = (path: string) => Promise<StaticFile | undefined>;

export interface StaticFile {
  body: ReadableStream<Uint8Array> | ArrayBuffer | string;
  contentType: string;
}

/** A file name under /docs/ the edge will look up: plain names only, never a path or a dot file. */
export const STATIC_FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

/**
 * Workers: the `ASSETS` binding (wrangler.jsonc `assets`). The Worker runs first for every request
 * (`run_worker_first`) so these answers carry the request id and secure headers like every other.
 */
export function assetFiles(assets: { fetch(request: Request): Promise<Response> }): StaticFiles {
  return async (path) => {
    const response = await assets.fetch(new Request(new URL(path, 'https://assets.invalid')));
    if (response.status !== 200 || !response.body) {
      await response.body?.cancel();
      return undefined;
    }
    return { body: response.body, contentType: contentTypeFor(path) };
  };
}
