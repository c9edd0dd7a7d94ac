// `@cloudagent-phone/transport/testing`: the contract suites of the interfaces this package lets
// you implement, to run against your own implementation in vitest (a peer dependency of this entry
// only). Runtime-neutral, like the main entry: they run on Node and inside workerd. The transport
// contract's server is in `@cloudagent-phone/transport/testing/node`.
export { describeTransportContract, type StartedContractServer, type TransportContract } from './testing/transport-contract.js';
export { contractServerAt, CONTRACT_CONTROL_PATH, type ContractServer, type Received } from './testing/contract-server.js';
export { describeTokenStoreContract, type TokenStoreContract } from './testing/token-store-contract.js';
export { describeTokenProviderContract, type TokenAccountUnderTest, type TokenProviderContract } from './testing/token-provider-contract.js';
