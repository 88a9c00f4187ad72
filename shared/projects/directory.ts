// Projects as Huawei's SDK finds them (HUAWEI-DMS.md, "IAM: finding projects"): a region's project is
// the one named after it, asked of IAM once per access key and region for the container; the
// account id (X-Domain-Id) is configured or asked once; the account's projects are asked afresh on
// every run, so a project created since is covered. Nothing here ever creates a project. Every
// failure comes back as an outcome; what IAM said is kept whole (redact it where it leaves).
import { DOMAIN_NOT_FOUND, PROJECT_AMBIGUOUS, PROJECT_NOT_FOUND } from '../errors/index.ts';
import { CallError, type IamApi, type KafkaRegion } from '../huawei/index.ts';
import type { Deadline, Logger } from '../runtime/index.ts';
import { classifyProjects, PROJECT_ID, type AccountProject, type SkippedProject } from './classify.ts';
import type { ProjectFailure } from './errors.ts';
import { singleFlight } from './single-flight.ts';

/** How long "no such project" is remembered: a project created meanwhile is found after this. */
export const NOT_FOUND_KEPT_MS = 5 * 60_000;

export interface ProjectDirectoryOptions {
  readonly iam: IamApi;
  /** The access key calls are signed with now: answers are kept per key, as the SDK keeps them. */
  readonly accessKey: () => string | Promise<string>;
  /** HUAWEICLOUD_REGION and HUAWEICLOUD_SDK_PROJECT_ID: a project known without asking IAM. */
  readonly home: { readonly region: KafkaRegion; readonly projectId?: string | undefined };
  /** HUAWEICLOUD_SDK_DOMAIN_ID: the account id, known without asking IAM. */
  readonly domainId?: string | undefined;
  /** Default NOT_FOUND_KEPT_MS. */
  readonly notFoundKeptMs?: number;
  readonly now?: () => number;
}

/** One ask's budget and log. An ask that joins one in flight shares the first asker's budget. */
export interface Ask {
  readonly deadline: Deadline;
  readonly logger?: Logger | undefined;
}

export type ProjectLookup = { readonly kind: 'found'; readonly projectId: string; readonly region: KafkaRegion } | ProjectFailure;
export type DomainLookup = { readonly kind: 'found'; readonly domainId: string } | ProjectFailure;
export type AccountListing =
  | { readonly kind: 'listed'; readonly projects: readonly AccountProject[]; readonly skipped: readonly SkippedProject[] }
  | ProjectFailure;

export interface ProjectDirectory {
  /** The project a request that names none is for: HUAWEICLOUD_SDK_PROJECT_ID in the home region, else IAM's. */
  projectForRegion(region: KafkaRegion, ask: Ask): Promise<ProjectLookup>;
  /** The account id IAM's account-wide calls carry as X-Domain-Id. */
  domainId(ask: Ask): Promise<DomainLookup>;
  /** Every project the credentials reach, split into those a run covers (narrowed by `regions`) and those it skips. */
  accountProjects(ask: Ask & { readonly regions?: readonly KafkaRegion[] | undefined }): Promise<AccountListing>;
}

export function createProjectDirectory(options: ProjectDirectoryOptions): ProjectDirectory {
  const { iam, home } = options;
  const notFoundKeptMs = options.notFoundKeptMs ?? NOT_FOUND_KEPT_MS;
  // Found: for the container. No such project: for a while. Anything else (IAM failing): not kept.
  const regionProjects = singleFlight<ProjectLookup>((lookup) => (lookup.kind === 'found' ? Infinity : isPermanent(lookup) ? notFoundKeptMs : 0), options.now);
  const domains = singleFlight<DomainLookup>((lookup) => (lookup.kind === 'found' ? Infinity : 0), options.now);

  const lookUpProject = async (region: KafkaRegion, { deadline, logger }: Ask): Promise<ProjectLookup> => {
    const listed = await iam.listProjectsByName(region, deadline);
    const named = listed.data.projects.filter((project) => project.name === region);
    const enabled = named.filter((project) => project.enabled);
    const [only] = enabled;
    if (enabled.length > 1) {
      return failure(PROJECT_AMBIGUOUS, `IAM lists ${enabled.length} enabled projects named ${region}: name the project_id to use`, false);
    }
    if (!only) {
      const why = named.length > 0 ? `the project named ${region} is disabled` : `no project is named ${region}`;
      return failure(PROJECT_NOT_FOUND, `${why} in this account (IAM); name the project_id, or create the project for region ${region}`, false);
    }
    if (!PROJECT_ID.test(only.id))
      return failure(PROJECT_NOT_FOUND, `IAM names the project of region ${region} with an id that is not 32 hexadecimal characters`, false);
    logger?.info('project found', { region, project_id: only.id.toLowerCase() });
    return { kind: 'found', projectId: only.id.toLowerCase(), region };
  };

  const lookUpDomain = async ({ deadline }: Ask): Promise<DomainLookup> => {
    const listed = await iam.listAuthDomains(deadline);
    const id = listed.data.domains[0]?.id;
    if (id === undefined || !PROJECT_ID.test(id)) {
      return failure(DOMAIN_NOT_FOUND, 'IAM names no account (domain) for these credentials: set HUAWEICLOUD_SDK_DOMAIN_ID', false);
    }
    return { kind: 'found', domainId: id.toLowerCase() };
  };

  // The access key answers are kept under; reading it may fail (a secret unreadable for now).
  const withKey = async <T>(ask: Ask, then: (key: string) => Promise<T | ProjectFailure>): Promise<T | ProjectFailure> => {
    let key: string;
    try {
      key = await options.accessKey();
    } catch (error) {
      return huaweiFailure(undefined, ask, error);
    }
    return then(key);
  };

  const directory: ProjectDirectory = {
    async projectForRegion(region, ask) {
      if (region === home.region && home.projectId) return { kind: 'found', projectId: home.projectId, region };
      const what = `IAM could not look up the project of region ${region}`;
      return withKey(ask, (key) => regionProjects.get(`${key}\n${region}`, () => iamAsk(what, ask, () => lookUpProject(region, ask))));
    },

    async domainId(ask) {
      if (options.domainId) return { kind: 'found', domainId: options.domainId };
      const what = 'IAM could not name the account (GET /v3/auth/domains)';
      return withKey(ask, (key) => domains.get(key, () => iamAsk(what, ask, () => lookUpDomain(ask))));
    },

    async accountProjects(ask) {
      const domain = await directory.domainId(ask);
      if (domain.kind === 'failed') return domain;
      return iamAsk("IAM could not list the account's projects", ask, async () => {
        const listed = await iam.listAuthProjects(domain.domainId, ask.deadline);
        const split = classifyProjects(listed.data.projects, ask.regions);
        ask.logger?.info('account projects listed', { listed: listed.data.projects.length, covered: split.projects.length, skipped: split.skipped.length });
        return { kind: 'listed', ...split };
      });
    },
  };
  return directory;
}

// A call through Huawei's client, its failure (IAM's answer, no answer, the credentials) as an outcome.
async function iamAsk<T>(what: string, ask: Ask, run: () => Promise<T | ProjectFailure>): Promise<T | ProjectFailure> {
  try {
    return await run();
  } catch (error) {
    return huaweiFailure(what, ask, error);
  }
}

// What Huawei's client said, with its code, named after the call that failed when it was IAM's;
// anything else is a bug and is thrown.
function huaweiFailure(what: string | undefined, { logger }: Ask, error: unknown): ProjectFailure {
  if (!(error instanceof CallError)) throw error;
  logger?.warn('project lookup failed', { ...(what ? { what } : {}), error: error.toJSON() });
  return failure(error.errorCode, what ? `${what}: ${error.errorMsg}` : error.errorMsg, error.retryable);
}

function failure(code: string, message: string, retryable: boolean): ProjectFailure {
  return { kind: 'failed', error: { code, message }, retryable };
}

function isPermanent(lookup: ProjectFailure): boolean {
  return lookup.error.code === PROJECT_NOT_FOUND || lookup.error.code === PROJECT_AMBIGUOUS;
}
