import { ShimConfigError, configFromEnv } from './config.js';
import { dataDirFromEnv, startShim } from './node.js';

// `pnpm start`: the shim on Node at HOST:PORT, v2 at CLOUDAGENT_BASE_URL. Configuration errors name
// the variable and stop the process before it accepts a single call.
try {
  const config = configFromEnv(process.env);
  // 8788, not 8787: the edge (and wrangler dev) default to 8787, and both often run side by side.
  const port = process.env.PORT ? Number(process.env.PORT) : 8788;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ShimConfigError('PORT', `must be a port number (got "${process.env.PORT}")`);
  const dataDir = dataDirFromEnv(process.env);
  const running = await startShim({ config, host: process.env.HOST ?? '127.0.0.1', port, dataDir });
  console.error(`[shim] v1 door at ${running.url}/CAServices/PhoneManageV2.php -> v2 ${config.v2BaseUrl} (mode ${config.mode}, rollout ${config.rolloutPercent}%, counts in ${dataDir})`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(`[shim] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
