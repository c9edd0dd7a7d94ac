import { listenAddress, startNodeEdge } from './node-runtime.js';

// `pnpm start`: the edge on Node, configured from the same variables as the Worker.
const { host, port } = listenAddress(process.env);
const edge = await startNodeEdge(process.env, { host, port });
console.log(JSON.stringify({ level: 'info', msg: 'listening', url: edge.url }));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void edge.close().then(() => process.exit(0));
  });
}
