// A function's invocations: each gets a logger whose every line carries Lambda's request id and
// whether the process started for it, and the metrics it recorded are written once, when it settles.
import type { Context } from 'aws-lambda';
import type { Metrics } from '../shared/metrics/index.ts';
import { invocationFields, type Logger } from '../shared/runtime/index.ts';

export interface Invocations {
  /** A handler run as invocations: `loggerOf(context)` inside it, one flush of metrics at its end. */
  invoked<E, R>(run: (event: E, context: Context) => Promise<R>): (event: E, context: Context) => Promise<R>;
  /** The logger of the invocation a context belongs to (the function's own outside one). */
  loggerOf(context: Context): Logger;
}

export interface InvocationsOptions {
  /** The function's logger: each invocation's is a child of it. */
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Members of every metrics line besides the invocation's fields (the service). */
  readonly properties: Readonly<Record<string, unknown>>;
}

export function functionInvocations({ logger, metrics, properties }: InvocationsOptions): Invocations {
  const nextInvocation = invocationFields();
  const invocations = new WeakMap<Context, Logger>();
  return {
    invoked: (run) => async (event, context) => {
      const fields = nextInvocation(context.awsRequestId);
      invocations.set(context, logger.child(fields));
      try {
        return await run(event, context);
      } finally {
        metrics.flush({ ...properties, ...fields });
      }
    },
    loggerOf: (context) => invocations.get(context) ?? logger,
  };
}
