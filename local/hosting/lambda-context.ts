// A Lambda-like invocation context for running the bundled handlers outside Lambda (the local stack,
// the local SQS queue, tests, the benchmark, npm run invoke): what the Node.js runtime hands a
// handler, with a deadline that counts down from the function's timeout. Never bundled into a function.
import type { Context } from 'aws-lambda';
import { FUNCTION_TIMEOUT_MS, localFunctionName, type FunctionName } from './function-timeouts.ts';
import { nodeCrypto } from './node-crypto.ts';

/** The account and region local ARNs carry (LocalStack's conventions: obviously not a real account). */
export const LOCAL_AWS = { accountId: '000000000000', region: 'us-east-1' } as const;

export interface LambdaContextOptions {
  functionName: string;
  /** The function's timeout: getRemainingTimeInMillis() counts down from it. */
  timeoutMs: number;
  /** Default 256. */
  memoryLimitMb?: number;
  /** Default a fresh uuid, as Lambda gives every invocation. */
  awsRequestId?: string;
  /** Default LOCAL_AWS.region. */
  region?: string;
  /** Default LOCAL_AWS.accountId. */
  accountId?: string;
  /** Clock, default Date.now. */
  now?: () => number;
}

export function lambdaContext(options: LambdaContextOptions): Context {
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = started + options.timeoutMs;
  const region = options.region ?? LOCAL_AWS.region;
  const accountId = options.accountId ?? LOCAL_AWS.accountId;
  const awsRequestId = options.awsRequestId ?? nodeCrypto().randomUUID();
  const day = new Date(started).toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${options.functionName}`,
    memoryLimitInMB: String(options.memoryLimitMb ?? 256),
    awsRequestId,
    logGroupName: `/aws/lambda/${options.functionName}`,
    // One log stream per execution environment, named as Lambda names them.
    logStreamName: `${day}/[$LATEST]${nodeCrypto().randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** The context one of our functions gets: its local name and its serverless.yml timeout, unless overridden. */
export function functionContext(name: FunctionName, options: Partial<LambdaContextOptions> = {}): Context {
  return lambdaContext({ functionName: localFunctionName(name), timeoutMs: FUNCTION_TIMEOUT_MS[name], ...options });
}
