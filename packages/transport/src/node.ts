export { createNodeHttpTransport, type NodeHttpTransportOptions } from './node-http-transport.js';
