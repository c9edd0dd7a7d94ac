import { defineEdgeSuite, type EdgeHarness } from '../suite/edge-suite.js';
import { defineIdempotencySuite } from '../suite/idempotency-suite.js';
import { useNodeEdge } from './node-edge.js';

// On Node: the Node entry's server on a real socket, in front of the simulators (see node-edge.ts).
const { upstream, logs, edge } = useNodeEdge();

const harness: EdgeHarness = {
  runtime: 'node',
  lookupSupported: true,
  request: (path, init) => fetch(`${edge().url}${path}`, init),
  upstream,
  logs: () => [...logs],
};

defineEdgeSuite(() => harness);
defineIdempotencySuite(() => harness);
