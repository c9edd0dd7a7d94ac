// The ./node entry: serving an app on Node's http server. Never loaded by a Worker.
export { serveOnNode, type CloseOptions, type FetchApp, type HttpBindings, type NodeServer, type ServeOnNodeOptions } from './node/serve.js';
export { listenAddress } from './node/listen-address.js';
export { stopOnSignals, type StopOnSignalsOptions } from './node/stop-on-signals.js';
