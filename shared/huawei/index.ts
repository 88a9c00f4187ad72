// The huawei room's face: the rest of the code imports from here.
export * from './client.ts';
export * from './credentials-gate.ts';
export * from './dms.ts';
export * from './errors.ts';
export * from './iam.ts';
export * from './node-fetch.ts';
export * from './regional-dms.ts';
export * from './regions.ts';
export * from './retry-policy.ts';
export * from './signer.ts';
