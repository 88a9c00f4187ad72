// What every trigger does with a status request (the HTTP GET, the command line): validate it with
// this deployment's default region, read the instance's detail, and say how that ended.
import type { Core } from '../core/index.ts';
import { HuaweiApiError } from '../huawei/index.ts';
import { MESSAGE_MAX, redactBounded } from '../redact/index.ts';
import type { RequestIssue } from '../request/index.ts';
import type { Deadline, Logger } from '../runtime/index.ts';
import { parseStatusRequest, statusRequestSchema, type StatusRequestSchema } from './request.ts';
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

export interface StatusContext {
  readonly core: Core;
  readonly deadline: Deadline;
  readonly logger: Logger;
}

const CODE_MAX = 64;
const schemas = new WeakMap<Core, StatusRequestSchema>();

export async function readStatus(input: unknown, ctx: StatusContext): Promise<StatusOutcome> {
  const { core } = ctx;
  let schema = schemas.get(core);
  if (!schema) schemas.set(core, (schema = statusRequestSchema({ defaultRegion: core.config.region })));
  const parsed = parseStatusRequest(schema, input);
  if (!parsed.success) return { kind: 'invalid', issues: parsed.issues };
  try {
    const status = await smartConnectStatus(parsed.request, {
      dms: core.dms,
      endpointFor: core.endpointFor,
      deadline: ctx.deadline,
    });
    ctx.logger.info('status read', { state: status.state, instance_status: status.instance_status });
    return { kind: 'found', status };
  } catch (error) {
    if (!(error instanceof HuaweiApiError)) throw error;
    ctx.logger.warn('status not read', { error: error.toJSON() });
    const secrets = core.secrets();
    return {
      kind: 'failed',
      failure: {
        code: redactBounded(error.errorCode, secrets, CODE_MAX),
        message: redactBounded(error.errorMsg, secrets, MESSAGE_MAX),
        upstreamStatus: error.status,
        retryable: error.retryable,
        retryAfterMs: error.retryAfterMs,
      },
    };
  }
}
