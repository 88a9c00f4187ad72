// Status: whether Smart Connect is on for one instance (the HTTP GET, the CLI's status command).
export { smartConnectStatus } from './status.ts';
export type { SmartConnectStatus, StatusDeps } from './status.ts';
export { parseStatusRequest, statusRequestSchema } from './request.ts';
export type { ParsedStatusRequest, StatusRequest, StatusRequestSchema, UnresolvedStatusRequest } from './request.ts';
export { readStatus } from './read.ts';
export type { StatusContext, StatusDeployment, StatusFailure, StatusOutcome } from './read.ts';
