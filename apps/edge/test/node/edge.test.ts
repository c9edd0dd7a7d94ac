import { checkedAgainstContract, COVERED_BY_EDGE_SUITE, COVERED_BY_IDEMPOTENCY_SUITE } from '../suite/contract.js';
import { defineEdgeSuite, type EdgeHarness } from '../suite/edge-suite.js';
import { defineIdempotencySuite } from '../suite/idempotency-suite.js';
import { localUpstreamView } from '../suite/upstream.js';
import { useNodeEdge } from './node-edge.js';

// On Node: the Node entry's server on a real socket, in front of the simulators (see node-edge.ts).
const { upstream, logs, edge } = useNodeEdge();

const harness: EdgeHarness = {
  runtime: 'node',
  request: (path, init) => fetch(`${edge().url}${path}`, init),
  upstream: localUpstreamView(upstream),
  logs: () => [...logs],
};

// Every answer of the suites below is checked against the OpenAPI document (the last test says).
const checked = checkedAgainstContract(() => harness);
defineEdgeSuite(checked.harness);
defineIdempotencySuite(checked.harness);
checked.defineContractTest([...COVERED_BY_EDGE_SUITE, ...COVERED_BY_IDEMPOTENCY_SUITE]);
