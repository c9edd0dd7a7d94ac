import { createJsonLogger, type LogSink } from '@cloudagent-phone/server';
import type { ConfigIssue } from '@cloudagent-phone/core';
import { createBaseApp, type EdgeHono } from './app.js';
import { problem, problemResponse } from './problem.js';
import type { StaticFiles } from './static-files.js';

/**
 * What serves when the configuration is wrong: /healthz and every route say 503 and which variable
 * to fix (never its value), so a bad deploy is loud instead of half-working.
 */
export function createMisconfiguredApp(issues: readonly ConfigIssue[], options: { logSink?: LogSink; staticFiles?: StaticFiles } = {}): EdgeHono {
  const logger = createJsonLogger({ sink: options.logSink });
  logger.log('error', 'configuration is invalid', { issues });
  // The document and its page stay up: they are how the operator reads what the edge expects.
  const app = createBaseApp(logger, options.staticFiles ? { staticFiles: options.staticFiles } : {});
  const detail = `fix these settings and redeploy: ${issues.map((i) => i.message).join('; ')}`;
  const errors = issues.map(({ variable, ...rest }) => ({ field: variable, ...rest }));
  app.all('*', (c) => problemResponse(c, problem('misconfigured', detail, { errors })));
  return app;
}
