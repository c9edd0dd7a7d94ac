export { createKeepAliveTransport, type KeepAliveTransport, type KeepAliveTransportOptions } from './keep-alive-transport.js';
export { createNodeHttpTransport, type NodeHttpTransportOptions } from './node-http-transport.js';
