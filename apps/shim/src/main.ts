import { listenAddress, stopOnSignals } from '@cloudagent-phone/server/node';
import { dataDirFromEnv, nodeConfigFromEnv, startShim } from './node.js';

// `pnpm start`: the shim on Node at HOST:PORT, v2 at CLOUDAGENT_BASE_URL. Configuration errors name
// the variable and stop the process before it accepts a single call. On SIGINT or SIGTERM it stops
// taking calls, lets those in flight finish (10 s at most) and writes their counts, then exits.
try {
  const config = nodeConfigFromEnv(process.env);
  // 8788, not 8787: the edge (and wrangler dev) default to 8787, and both often run side by side.
  const { host, port } = listenAddress(process.env, { port: 8788 });
  const dataDir = dataDirFromEnv(process.env);
  const running = await startShim({ config, host, port, dataDir });
  console.error(`[shim] v1 door at ${running.url}/CAServices/PhoneManageV2.php -> v2 ${config.v2BaseUrl} (mode ${config.mode}, rollout ${config.rolloutPercent}%, counts in ${dataDir})`);
  stopOnSignals(running, { onError: (error) => console.error(`[shim] stopping: ${error instanceof Error ? error.message : String(error)}`) });
} catch (error) {
  console.error(`[shim] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
