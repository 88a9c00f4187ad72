// Projects from IAM: the project a region names (as Huawei's SDK finds it), the account id, and the
// account's projects an account-wide run covers or skips.
export { classifyProjects, regionPartOf, type AccountProject, type ProjectSplit, type SkippedProject, type SkipReason } from './classify.ts';
export { createProjectDirectory } from './directory.ts';
export type { AccountListing, Ask, DomainLookup, ProjectDirectory, ProjectDirectoryOptions, ProjectLookup } from './directory.ts';
export type { ProjectError, ProjectFailure } from './errors.ts';
export { resolveProject, type ProjectRequest, type Resolution, type Resolved } from './resolve.ts';
