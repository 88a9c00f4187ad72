// A stand-in for the AWS Parameters and Secrets Lambda Extension on loopback: GET
// /secretsmanager/get?secretId=...[&versionStage=...] with the X-Aws-Parameters-Secrets-Token header,
// answered from what the test sets per version stage (a few answers first, then a standing one),
// and every read counted (those asked to bypass the extension's cache, refreshNow, apart).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ExtensionAnswer {
  readonly status: number;
  readonly body: string;
}

export interface FakeSecretsExtension {
  readonly port: number;
  /** Environment that points a bundle at this extension for `secretId`. */
  env(secretId: string): Record<string, string>;
  /** What a version stage answers from now on (AWSCURRENT when no stage is asked for). */
  answer(stage: 'AWSCURRENT' | 'AWSPREVIOUS', answer: ExtensionAnswer): void;
  /** What the next reads of a stage answer, one each, in order, before its standing answer. */
  answerNext(stage: 'AWSCURRENT' | 'AWSPREVIOUS', ...answers: ExtensionAnswer[]): void;
  /** Reads so far, per stage. */
  reads(stage?: 'AWSCURRENT' | 'AWSPREVIOUS'): number;
  /** Reads so far that asked past the extension's cache (refreshNow=true). */
  refreshes(): number;
  reset(): void;
  close(): Promise<void>;
}

export const SESSION_TOKEN = 'fake-session-token-for-the-extension';

/** The extension's answer for a secret whose SecretString is `secret` (JSON-encoded unless a string). */
export function secretString(secret: unknown): ExtensionAnswer {
  const value = typeof secret === 'string' ? secret : JSON.stringify(secret);
  return {
    status: 200,
    body: JSON.stringify({ ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:test', Name: 'test', SecretString: value, VersionId: 'v1' }),
  };
}

/** How the extension passes on a Secrets Manager error. */
export function refusal(name: string, message: string, status = 400): ExtensionAnswer {
  return { status, body: `${name}: ${message}` };
}

export async function startSecretsExtension(): Promise<FakeSecretsExtension> {
  const answers = new Map<string, ExtensionAnswer>();
  const queued = new Map<string, ExtensionAnswer[]>();
  const counted = new Map<string, number>();
  let refreshes = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/secretsmanager/get' || req.headers['x-aws-parameters-secrets-token'] !== SESSION_TOKEN) {
      res.writeHead(400).end('bad request to the extension');
      return;
    }
    const stage = url.searchParams.get('versionStage') ?? 'AWSCURRENT';
    counted.set(stage, (counted.get(stage) ?? 0) + 1);
    if (url.searchParams.get('refreshNow') === 'true') refreshes += 1;
    const answer =
      queued.get(stage)?.shift() ??
      answers.get(stage) ??
      refusal('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: " + stage);
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  // The functions ask for localhost, which may resolve to either loopback family.
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  const v6 = createServer((req, res) => server.emit('request', req, res));
  await new Promise<void>((done) => v6.once('error', () => done()).listen(port, '::1', done));
  return {
    port,
    env: (secretId) => ({ HUAWEICLOUD_CREDENTIALS_SECRET: secretId, PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port), AWS_SESSION_TOKEN: SESSION_TOKEN }),
    answer: (stage, answer) => void answers.set(stage, answer),
    answerNext: (stage, ...next) => void queued.set(stage, [...(queued.get(stage) ?? []), ...next]),
    reads: (stage) => (stage ? (counted.get(stage) ?? 0) : [...counted.values()].reduce((a, b) => a + b, 0)),
    refreshes: () => refreshes,
    reset: () => {
      answers.clear();
      queued.clear();
      counted.clear();
      refreshes = 0;
    },
    close: () =>
      Promise.all([
        new Promise<void>((done) => server.close(() => done())),
        new Promise<void>((done) => (v6.listening ? v6.close(() => done()) : done())),
      ]).then(() => {}),
  };
}
