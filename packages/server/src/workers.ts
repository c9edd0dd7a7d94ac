// Workers only: imports cloudflare:workers. The runtime-neutral parts are the package's main entry.
export { AccountTokens, durableAccountTokens } from './account-tokens-object.js';
