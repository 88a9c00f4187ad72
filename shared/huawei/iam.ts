// The IAM calls the project makes to find projects, sent as Huawei's SDK sends them (HUAWEI-DMS.md,
// "IAM: finding projects"): signed with the AK/SK like any call, with no X-Project-Id, and on
// GET /v3/auth/projects a signed X-Domain-Id. Reads only: GETs, retried as idempotent.
import * as v from 'valibot';
import type { HuaweiAnswer, HuaweiClient } from './client.ts';
import type { Deadline } from '../runtime/index.ts';

// Plain objects: the fields decisions are made on are checked, the rest (links, description) dropped.
// `enabled` absent reads as Keystone's default, true. Built with the API, once per container.
function iamAnswers() {
  const project = v.object({ id: v.string(), name: v.string(), enabled: v.optional(v.boolean(), true) });
  return {
    projects: v.object({ projects: v.array(project) }),
    domains: v.object({ domains: v.array(v.object({ id: v.string() })) }),
  };
}

type IamAnswers = ReturnType<typeof iamAnswers>;
export type IamProjectsAnswer = v.InferOutput<IamAnswers['projects']>;
export type IamProject = IamProjectsAnswer['projects'][number];
export type IamDomainsAnswer = v.InferOutput<IamAnswers['domains']>;

export interface IamApi {
  /** KeystoneListProjects, `GET /v3/projects?name=NAME`: the projects of that name (a region's is named after it). */
  listProjectsByName(name: string, deadline: Deadline): Promise<HuaweiAnswer<IamProjectsAnswer>>;
  /** KeystoneListAuthProjects, `GET /v3/auth/projects` with X-Domain-Id: every project the credentials reach. */
  listAuthProjects(domainId: string, deadline: Deadline): Promise<HuaweiAnswer<IamProjectsAnswer>>;
  /** KeystoneListAuthDomains, `GET /v3/auth/domains`: the account (domain) of the credentials. */
  listAuthDomains(deadline: Deadline): Promise<HuaweiAnswer<IamDomainsAnswer>>;
}

export function createIamApi(client: HuaweiClient, endpoint: string): IamApi {
  const answers = iamAnswers();
  const get = <T extends v.GenericSchema>(
    path: string[],
    response: T,
    deadline: Deadline,
    extra: { query?: [string, string][]; signedHeaders?: Record<string, string> } = {},
  ) => client.call({ method: 'GET', endpoint, path, ...extra, response, deadline, retry: 'idempotent' });
  return {
    listProjectsByName: (name, deadline) => get(['v3', 'projects'], answers.projects, deadline, { query: [['name', name]] }),
    listAuthProjects: (domainId, deadline) => get(['v3', 'auth', 'projects'], answers.projects, deadline, { signedHeaders: { 'X-Domain-Id': domainId } }),
    listAuthDomains: (deadline) => get(['v3', 'auth', 'domains'], answers.domains, deadline),
  };
}
