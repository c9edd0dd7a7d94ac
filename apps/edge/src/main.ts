import { listenAddress, stopOnSignals } from '@cloudagent-phone/server/node';
import { startNodeEdge } from './node-runtime.js';

// `pnpm start`: the edge on Node, configured from the same variables as the Worker. On SIGINT or
// SIGTERM it stops taking calls and lets those in flight finish (10 s at most) before exiting.
try {
  const { host, port } = listenAddress(process.env);
  const edge = await startNodeEdge(process.env, { host, port });
  console.log(JSON.stringify({ level: 'info', msg: 'listening', url: edge.url }));
  stopOnSignals(edge);
} catch (error) {
  // A PORT that is no port, or an address already taken: say so and stop.
  console.error(JSON.stringify({ level: 'error', msg: 'cannot start', error: error instanceof Error ? error.message : String(error) }));
  process.exit(1);
}
