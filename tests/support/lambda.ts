// A Lambda-like context for calling built handlers in tests.
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export function lambdaContext(timeoutMs: number, name = 'test'): Context {
  const deadline = Date.now() + timeoutMs;
  const awsRequestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: `smart-connect-enabler-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:smart-connect-enabler-${name}`,
    memoryLimitInMB: '256',
    awsRequestId,
    logGroupName: `/aws/lambda/smart-connect-enabler-${name}`,
    logStreamName: `2026/11/25/[$LATEST]${awsRequestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
