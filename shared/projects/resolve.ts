// The one step every flow takes between its schema and its use case: a request that names its
// project_id keeps it; one that names none is for the project named after its region, asked of the
// directory (IAM once per region per container). The use cases then take a definite id.
import type { KafkaRegion } from '../huawei/index.ts';
import type { Ask, ProjectDirectory } from './directory.ts';
import type { ProjectFailure } from './errors.ts';

/** A request that may name its project, in a region. */
export interface ProjectRequest {
  readonly project_id?: string | undefined;
  readonly region: KafkaRegion;
}

export type Resolved<T extends ProjectRequest> = T & { readonly project_id: string };

export type Resolution<T extends ProjectRequest> = { readonly kind: 'found'; readonly request: Resolved<T> } | ProjectFailure;

export async function resolveProject<T extends ProjectRequest>(
  request: T,
  projects: Pick<ProjectDirectory, 'projectForRegion'>,
  ask: Ask,
): Promise<Resolution<T>> {
  const named = request.project_id;
  if (named !== undefined) return { kind: 'found', request: { ...request, project_id: named } };
  const found = await projects.projectForRegion(request.region, ask);
  return found.kind === 'found' ? { kind: 'found', request: { ...request, project_id: found.projectId } } : found;
}
