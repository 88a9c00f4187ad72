// A stand-in for the AWS Parameters and Secrets Lambda Extension on loopback: GET
// /secretsmanager/get?secretId=...[&versionStage=...] with the X-Aws-Parameters-Secrets-Token header,
// answered from what the test sets per version stage, and every read counted.
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
  /** Reads so far, per stage. */
  reads(stage?: 'AWSCURRENT' | 'AWSPREVIOUS'): number;
  reset(): void;
  close(): Promise<void>;
}

export const SESSION_TOKEN = 'fake-session-token-for-the-extension';

/** The extension's answer for a secret whose SecretString is `secret` (JSON-encoded unless a string). */
export function secretString(secret: unknown): ExtensionAnswer {
  const value = typeof secret === 'string' ? secret : JSON.stringify(secret);
  return { status: 200, body: JSON.stringify({ ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:test', Name: 'test', SecretString: value, VersionId: 'v1' }) };
}

/** How the extension passes on a Secrets Manager error. */
export function refusal(name: string, message: string, status = 400): ExtensionAnswer {
  return { status, body: `${name}: ${message}` };
}

export async function startSecretsExtension(): Promise<FakeSecretsExtension> {
  const answers = new Map<string, ExtensionAnswer>();
  const counted = new Map<string, number>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/secretsmanager/get' || req.headers['x-aws-parameters-secrets-token'] !== SESSION_TOKEN) {
      res.writeHead(400).end('bad request to the extension');
      return;
    }
    const stage = url.searchParams.get('versionStage') ?? 'AWSCURRENT';
    counted.set(stage, (counted.get(stage) ?? 0) + 1);
    const answer = answers.get(stage) ?? refusal('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: " + stage);
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
    reads: (stage) => (stage ? (counted.get(stage) ?? 0) : [...counted.values()].reduce((a, b) => a + b, 0)),
    reset: () => {
      answers.clear();
      counted.clear();
    },
    close: () => Promise.all([new Promise<void>((done) => server.close(() => done())), new Promise<void>((done) => (v6.listening ? v6.close(() => done()) : done()))]).then(() => {}),
  };
}
