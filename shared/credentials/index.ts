// Huawei credentials: what a header can carry, the SK's versions (environment or secret), and why
// they could not be read.
export { CredentialsError } from './errors.ts';
export { HEADER_SAFE_EXPECTED, isHeaderSafe } from './header-safe.ts';
export { secretsExtensionCredentials } from './secrets-extension.ts';
export { environmentCredentials, type VersionedCredentials } from './versioned.ts';
