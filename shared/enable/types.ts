// The enable room's shapes: what its flow needs of the deployment, and of the trigger running it.
import type { Resolve } from '../callback/index.ts';
import type { TrackingDeployment } from '../tracking/index.ts';
import type { HuaweiRetryPolicy } from '../huawei/index.ts';
import type { ProjectDirectory } from '../projects/index.ts';
import type { EnableRequestSchema } from '../request/index.ts';
import type { Trigger } from '../result/index.ts';
import type { Deadline, Logger } from '../runtime/index.ts';

/**
 * What the enable flow needs of the deployment: all that following needs (it starts following what
 * it started), its schema, and the project of a request that names none.
 */
export interface EnableDeployment extends TrackingDeployment {
  readonly schemas: { readonly instance: EnableRequestSchema };
  /** The one retry policy: the Huawei client retries by it, and so does the use case. */
  readonly retryPolicy: HuaweiRetryPolicy;
  readonly projects: Pick<ProjectDirectory, 'projectForRegion'>;
}

export interface EnableFlowContext {
  readonly deployment: EnableDeployment;
  readonly trigger: Trigger;
  readonly deadline: Deadline;
  /** Identifies this delivery of the request (SQS message id, API Gateway request id, ...). */
  readonly dedupeKey: string;
  readonly logger: Logger;
  /** Send a rejected callback for invalid input when a callback URL can be told (queue, schedule). */
  readonly reportRejections: boolean;
  readonly resolve?: Resolve | undefined;
  readonly now?: () => number;
}

/** One run of the use case: the deployment it runs in, for one trigger, within one deadline. */
export interface EnableRun {
  readonly deployment: EnableDeployment;
  readonly trigger: Trigger;
  readonly deadline: Deadline;
  readonly logger?: Logger | undefined;
}
