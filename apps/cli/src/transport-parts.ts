// The parts of the transport package the CLI uses, as one module the client factory imports
// lazily. A dynamic import of the package itself would pull in everything it exports (the fetch
// and ofetch transports too, whose set-up touches globalThis.fetch and makes Node load undici);
// named re-exports let the bundler leave the rest out.
export { createClient, createTokenManager, TransportError } from '@cloudagent-phone/transport';
export { createKeepAliveTransport } from '@cloudagent-phone/transport/node';
