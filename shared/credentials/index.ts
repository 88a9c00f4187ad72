// Huawei credentials: what a header can carry, and the SK's versions (environment or secret).
export { HEADER_SAFE_EXPECTED, isHeaderSafe } from './header-safe.ts';
export { secretsExtensionCredentials } from './secrets-extension.ts';
export { environmentCredentials, type VersionedCredentials } from './versioned.ts';
