// A Lambda-like context for calling built handlers in tests: the local stack's, with a test name.
import type { Context } from 'aws-lambda';
import { lambdaContext as localLambdaContext } from '../../local/lambda-context.ts';

export function lambdaContext(timeoutMs: number, name = 'test'): Context {
  return localLambdaContext({ functionName: `smart-connect-enabler-${name}`, timeoutMs });
}
