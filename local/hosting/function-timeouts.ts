// How long each function may run: the timeouts serverless.yml gives them (custom.timeouts, in
// seconds there), for every host that runs the built functions outside Lambda. A test holds the two
// equal (tests/integration/serverless.test.ts).

export type FunctionName = 'http' | 'queue' | 'schedule';

export const FUNCTION_NAMES: readonly FunctionName[] = ['http', 'queue', 'schedule'];

export const FUNCTION_TIMEOUT_MS: Readonly<Record<FunctionName, number>> = {
  // API Gateway HTTP APIs give up after 30 s.
  http: 29_000,
  queue: 120_000,
  schedule: 300_000,
};

/** What local hosts call a function (its Lambda context, log group and ARN carry the name). */
export function localFunctionName(name: FunctionName): string {
  return `smart-connect-enabler-local-${name}`;
}
