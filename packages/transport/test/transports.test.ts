import { createFetchTransport } from '../src/fetch-transport.js';
import { createKeepAliveTransport } from '../src/keep-alive-transport.js';
import { createNodeHttpTransport } from '../src/node-http-transport.js';
import { createOfetchTransport } from '../src/ofetch-transport.js';
import { createSocketTransport } from '../src/socket-transport.js';
import { describeTransportContract } from '../src/testing.js';
import { startContractServer } from '../src/testing/node.js';
import { nodeSocketConnect } from './node-socket.js';

// The contract as a user of @cloudagent-phone/transport/testing runs it: each suite starts its own
// contract server.
const server = startContractServer;

describeTransportContract({ name: 'fetch', transport: () => createFetchTransport(), capabilities: { getWithBody: false }, server });
describeTransportContract({ name: 'ofetch', transport: () => createOfetchTransport(), capabilities: { getWithBody: false }, server });
describeTransportContract({ name: 'keep-alive (node:net)', transport: () => createKeepAliveTransport(), capabilities: { getWithBody: true, releasesSignal: true }, server });
describeTransportContract({ name: 'node-http', transport: () => createNodeHttpTransport(), capabilities: { getWithBody: true, releasesSignal: true }, server });
// The socket transport's own run is inside workerd (test/workerd); this one drives the same code
// over node:net, so a change to it fails here first, in seconds.
describeTransportContract({ name: 'socket (over node:net)', transport: () => createSocketTransport({ connect: nodeSocketConnect }), capabilities: { getWithBody: true }, server });
