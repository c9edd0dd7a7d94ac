import { createFetchTransport } from '../src/fetch-transport.js';
import { createNodeHttpTransport } from '../src/node-http-transport.js';
import { createOfetchTransport } from '../src/ofetch-transport.js';
import { describeTransportContract } from './transport-contract.js';

describeTransportContract('fetch', () => createFetchTransport(), { getWithBody: false });
describeTransportContract('ofetch', () => createOfetchTransport(), { getWithBody: false });
describeTransportContract('node-http', () => createNodeHttpTransport(), { getWithBody: true });
