// IAM's project calls, on the same server as DMS (paths under /v3 never meet DMS's under /v2), so one
// URL serves as both HUAWEICLOUD_DMS_ENDPOINT and HUAWEICLOUD_SDK_IAM_ENDPOINT, and IAM's requests
// are recorded, faulted and signature-checked exactly as DMS's are. One account holds every project;
// every credential of the simulator belongs to it. Reached only by requests whose signature verified.
import { type Answer, keystoneError, unauthorized, unknownApi } from './errors.ts';
import type { RoutedRequest } from './routes.ts';
import type { AccountSeed, ProjectSeed } from './types.ts';

/** The account when the simulator is given none: a domain without projects. */
export const DEFAULT_ACCOUNT: AccountSeed = { domainId: 'd0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0', projects: [] };

const HEX_ID = /^[0-9a-f]{32}$/;

export class Account {
  readonly domainId: string;
  readonly domainName: string;
  readonly #projects = new Map<string, Required<ProjectSeed>>();

  constructor(seed: AccountSeed = DEFAULT_ACCOUNT) {
    if (!HEX_ID.test(seed.domainId)) throw new Error(`the account's domain id must be 32 lower-case hex characters, not ${seed.domainId}`);
    this.domainId = seed.domainId;
    this.domainName = seed.domainName ?? 'simulator-account';
    for (const project of seed.projects) this.add(project);
  }

  add(seed: ProjectSeed): void {
    if (!HEX_ID.test(seed.id)) throw new Error(`a project id must be 32 lower-case hex characters, not ${seed.id}`);
    if (this.#projects.has(seed.id)) throw new Error(`project ${seed.id} already exists`);
    this.#projects.set(seed.id, { id: seed.id, name: seed.name, enabled: seed.enabled ?? true });
  }

  projects(): Required<ProjectSeed>[] {
    return [...this.#projects.values()];
  }
}

export interface IamRequest extends RoutedRequest {
  /** Lower-case names, as received. */
  readonly headers: Readonly<Record<string, string>>;
  /** The lower-case names of the headers the signature covers. */
  readonly signed: readonly string[];
}

export interface IamContext {
  readonly account: Account;
  readonly requestId: string;
  /** The simulator's URL, for the `links` IAM's answers carry. */
  readonly url: string;
}

export function routeIam(request: IamRequest, ctx: IamContext): Answer {
  // A trailing slash is tolerated, as DMS's routes tolerate one.
  const parts = request.segments.at(-1) === '' ? request.segments.slice(0, -1) : request.segments;
  const path = parts.join('/');
  if (request.method === 'GET' && path === 'v3/auth/domains') return authDomains(ctx);
  if (request.method === 'GET' && path === 'v3/projects') return projects(request, ctx);
  if (request.method === 'GET' && path === 'v3/auth/projects') return authProjects(request, ctx);
  return unknownApi(ctx.requestId);
}

// KeystoneListAuthDomains: the account of the credentials.
function authDomains({ account, url }: IamContext): Answer {
  const domain = {
    id: account.domainId,
    name: account.domainName,
    enabled: true,
    description: '',
    links: { self: `${url}/v3/auth/domains/${account.domainId}` },
  };
  return { status: 200, body: { domains: [domain], links: { self: `${url}/v3/auth/domains` } } };
}

// KeystoneListProjects: the account's projects, filtered as Keystone filters them.
function projects(request: IamRequest, ctx: IamContext): Answer {
  const filters: Record<string, (project: Required<ProjectSeed>, value: string) => boolean> = {
    name: (project, value) => project.name === value,
    enabled: (project, value) => String(project.enabled) === value,
    domain_id: (_project, value) => value === ctx.account.domainId,
    parent_id: (_project, value) => value === ctx.account.domainId,
    is_domain: (_project, value) => value === 'false',
  };
  let found = ctx.account.projects();
  for (const [key, value] of Object.entries(request.query)) {
    const filter = filters[key];
    if (!filter) continue;
    if (Array.isArray(value)) return keystoneError(400, 'Bad Request', `Invalid query: ${key} is given more than once.`);
    found = found.filter((project) => filter(project, value));
  }
  return listAnswer(found, `${ctx.url}/v3/projects`, ctx);
}

// KeystoneListAuthProjects: called as the SDK's GlobalCredentials call IAM, with the account id in a
// signed X-Domain-Id. Without it the gateway cannot place the key in an account.
function authProjects(request: IamRequest, ctx: IamContext): Answer {
  const domainId = request.headers['x-domain-id'];
  if (domainId === undefined) return unauthorized('X-Domain-Id is missing', ctx.requestId);
  if (!request.signed.includes('x-domain-id')) return unauthorized('X-Domain-Id is not signed', ctx.requestId);
  if (domainId !== ctx.account.domainId) return keystoneError(401, 'Unauthorized', 'The request you have made requires authentication.');
  return listAnswer(ctx.account.projects(), `${ctx.url}/v3/auth/projects`, ctx);
}

function listAnswer(found: readonly Required<ProjectSeed>[], self: string, { account, url }: IamContext): Answer {
  return {
    status: 200,
    body: {
      projects: found.map((project) => ({
        id: project.id,
        name: project.name,
        domain_id: account.domainId,
        enabled: project.enabled,
        is_domain: false,
        parent_id: account.domainId,
        description: '',
        links: { self: `${url}/v3/projects/${project.id}` },
      })),
      links: { self, previous: null, next: null },
    },
  };
}
