export { createEdgeClient, type BulkJobInput, type BulkJobOptions, type CallOptions, type EdgeClient, type EdgeClientOptions, type MutationOptions } from './client.js';
export { EdgeConnectionError } from './errors.js';
export { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
export type { BulkJob, BulkJobReportLine, BulkJobRow, CreateBody, DeleteBody, EdgeResult, EditBody, ForeignProblem, Health, LookupQuery, Outcome, Problem, ProblemType, Success } from './types.js';
export type { components, operations, paths } from './generated/edge-api.js';
