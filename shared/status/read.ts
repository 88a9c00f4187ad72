// What every trigger does with a status request (the HTTP GET, the command line): validate it with
// this deployment's default region, find its project when it names none (the one named after its
// region), read the instance's detail, and say how that ended.
import { CallError, type KafkaRegion, type RegionalDms } from '../huawei/index.ts';
import { resolveProject, type ProjectDirectory } from '../projects/index.ts';
import { MESSAGE_MAX, redactBounded } from '../redact/index.ts';
import type { RequestIssue } from '../request/index.ts';
import type { Deadline, Logger } from '../runtime/index.ts';
import { parseStatusRequest, type StatusRequestSchema } from './request.ts';
import { smartConnectStatus, type SmartConnectStatus } from './status.ts';

/** A failure to read the status: what Huawei said (its 404 for an unknown instance), or ours. */
export interface StatusFailure {
  readonly code: string;
  /** Redacted and bounded: it leaves in answers and output. */
  readonly message: string;
  /** The HTTP status Huawei answered with (0: no answer). */
  readonly upstreamStatus: number;
  readonly retryable: boolean;
  /** How long to wait before asking again, when that is known (a cool-down's end). */
  readonly retryAfterMs?: number | undefined;
}

export type StatusOutcome =
  | { readonly kind: 'invalid'; readonly issues: readonly RequestIssue[] }
  | { readonly kind: 'found'; readonly status: SmartConnectStatus }
  | { readonly kind: 'failed'; readonly failure: StatusFailure };

/** What reading a status needs of the deployment (shared/deployment: built once per process). */
export interface StatusDeployment {
  /** The status request's schema, with this deployment's default region. */
  readonly schemas: { readonly status: StatusRequestSchema };
  /** The project of a request that names none. */
  readonly projects: Pick<ProjectDirectory, 'projectForRegion'>;
  dmsIn(region: KafkaRegion): RegionalDms;
  /** Secret values known now, for redaction. */
  secrets(): string[];
}

export interface StatusContext {
  readonly deployment: StatusDeployment;
  readonly deadline: Deadline;
  readonly logger: Logger;
}

const CODE_MAX = 64;

export async function readStatus(input: unknown, ctx: StatusContext): Promise<StatusOutcome> {
  const { deployment } = ctx;
  const parsed = parseStatusRequest(deployment.schemas.status, input);
  if (parsed.kind === 'invalid') return { kind: 'invalid', issues: parsed.issues };
  const found = await resolveProject(parsed.request, deployment.projects, ctx);
  if (found.kind === 'failed') return failed(deployment, { ...found.error, upstreamStatus: 0, retryable: found.retryable });
  try {
    const status = await smartConnectStatus(found.request, {
      dms: deployment.dmsIn(found.request.region),
      deadline: ctx.deadline,
    });
    ctx.logger.info('status read', { state: status.state, instance_status: status.instance_status });
    return { kind: 'found', status };
  } catch (error) {
    if (!(error instanceof CallError)) throw error;
    ctx.logger.warn('status not read', { error: error.toJSON() });
    const { errorCode: code, errorMsg: message, status: upstreamStatus, retryable, retryAfterMs } = error;
    return failed(deployment, { code, message, upstreamStatus, retryable, retryAfterMs });
  }
}

// The failure as it leaves in answers and output: its code and message redacted, then bounded.
function failed(deployment: StatusDeployment, failure: StatusFailure): StatusOutcome {
  const secrets = deployment.secrets();
  return {
    kind: 'failed',
    failure: { ...failure, code: redactBounded(failure.code, secrets, CODE_MAX), message: redactBounded(failure.message, secrets, MESSAGE_MAX) },
  };
}
