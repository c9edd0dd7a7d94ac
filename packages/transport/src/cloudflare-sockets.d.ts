// The one export of `cloudflare:sockets` the ./workers entry uses, declared here so the package
// type-checks (and its declarations build) without the Workers runtime types. The structural
// SocketConnect type is what the transport relies on; workerd's own Socket satisfies it.
declare module 'cloudflare:sockets' {
  export const connect: import('./socket-transport.js').SocketConnect;
}
