// Credentials from Secrets Manager, through the built bundles and a stand-in for the Parameters and
// Secrets extension on loopback: a secret that is there but unusable is a permanent configuration
// error (502 without Retry-After, the queue record parked without a callback, the schedule failing
// as non-transient), an extension that does not answer (yet) is read again within the request and
// stays transient, an unusable secret is remembered, a refused signature reads the secret again past
// every cache (a rotation is tried once, else the key cools down), and tracking messages sealed
// before a rotation still open after it (AWSPREVIOUS).
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SealedTrackingMessage } from '../../shared/tracking/index.ts';
import { enableHttpEvent, jsonSqsEvent } from '../support/events.ts';
import { KEY, PROJECT, startSimulatorFixture, TEMP, type SimulatorFixture } from '../support/fixtures.ts';
import { captureLogLines, type LogCapture } from '../support/log-lines.ts';
import { refusal, secretString, startSecretsExtension, type ExtensionAnswer, type FakeSecretsExtension } from '../support/secrets-extension.ts';
import {
  functionContext,
  loadBuiltCli,
  loadHandler,
  startCallbackReceiver,
  webhookHeaders,
  type CallbackReceiver,
  type FunctionName,
  type Handler,
  type HttpAnswer,
  type QueueSender,
} from '../../local/hosting/index.ts';

const SECRET_ID = 'smart-connect/test/huawei';
const CALLBACK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const JOB_MS = 30_000;

let clock = Date.now();
let fx: SimulatorFixture;
let receiver: CallbackReceiver;
let extension: FakeSecretsExtension;
let logs: LogCapture;
const sent: SealedTrackingMessage[] = [];
// The functions' tracking queue, handed to each bundle's createHandler as a host does.
const trackingQueue: QueueSender = {
  async send(body) {
    sent.push(JSON.parse(body) as SealedTrackingMessage);
  },
};
const withTracking = { fresh: true, host: { trackingQueue } };

beforeAll(async () => {
  [fx, receiver, extension] = await Promise.all([startSimulatorFixture({ jobMs: JOB_MS, now: () => clock }), startCallbackReceiver(), startSecretsExtension()]);
  Object.assign(process.env, fx.env({ CALLBACK_SECRET, CALLBACK_ALLOWED_HOSTS: receiver.host, LOG_LEVEL: 'ERROR' }), extension.env(SECRET_ID));
  // Only the secret holds credentials here.
  for (const name of ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'CALLBACK_URL', 'TRACKING_QUEUE_URL', 'SCHEDULE_TARGETS']) delete process.env[name];
  logs = captureLogLines();
});
afterAll(async () => {
  logs.restore();
  await Promise.all([fx.sim.close(), receiver.close(), extension.close()]);
});
afterEach(() => {
  extension.reset();
  fx.sim.clearFaults();
  fx.sim.reset();
  sent.length = 0;
  logs.clear();
});

const context = (name: FunctionName) => functionContext(name, { timeoutMs: 60_000 });
const errorLines = () => logs.entries().filter((entry) => entry.level === 'ERROR');
const callbacksTo = (path: string) => receiver.received.filter((c) => c.path === path);
const noRetryAfter = (answer: HttpAnswer) => Object.keys(answer.headers ?? {}).every((name) => name.toLowerCase() !== 'retry-after');

const BROKEN: ReadonlyArray<readonly [string, ExtensionAnswer, string]> = [
  ['missing', refusal('ResourceNotFoundException', "Secrets Manager can't find the specified secret."), 'does not exist'],
  ['not JSON', secretString(`ak=${KEY.ak} sk=${KEY.sk}`), 'not JSON'],
  ['without sk', secretString({ ak: KEY.ak }), 'check sk'],
  ['with a security token no header can carry', secretString({ ...KEY, security_token: 'token\r\nX-Injected: 1' }), 'check security_token'],
  ['a binary secret', { status: 200, body: JSON.stringify({ Name: 'x', SecretBinary: 'AAEC' }) }, 'SecretString'],
];

describe('a credentials secret that is there but unusable', () => {
  it.each(BROKEN)('HTTP, secret %s: 502 CREDENTIALS_INVALID naming the secret, no Retry-After, no callback, read once', async (_name, answer, problem) => {
    extension.answer('AWSCURRENT', answer);
    const http = await loadHandler<Handler<APIGatewayProxyEventV2, HttpAnswer>>('http', withTracking);
    const instanceId = fx.instance();
    const hook = `/broken/http/${instanceId}`;

    for (const attempt of [1, 2]) {
      const answer = await http(enableHttpEvent(PROJECT, instanceId, { callback_url: receiver.url(hook) }), context('http'));
      expect(answer.statusCode).toBe(502);
      expect(noRetryAfter(answer)).toBe(true);
      const body = JSON.parse(answer.body) as { error_code: string; error_msg: string };
      expect(body.error_code).toBe('CREDENTIALS_INVALID');
      expect(body.error_msg).toMatch(/^HUAWEICLOUD_CREDENTIALS_SECRET: /);
      expect(body.error_msg).toContain(problem);
      expect(answer.body).not.toContain(KEY.sk);
      expect(errorLines()).toHaveLength(attempt);
    }
    // Nothing went to Huawei, nobody was called back, and the failure was remembered: one read.
    expect(fx.sim.requests).toHaveLength(0);
    expect(callbacksTo(hook)).toHaveLength(0);
    expect(extension.reads('AWSCURRENT')).toBe(1);
    expect(logs.text()).not.toContain(KEY.sk);
  });

  it.each(BROKEN)('queue, secret %s: the record is parked (listed) with no callback and one error line', async (_name, answer, problem) => {
    extension.answer('AWSCURRENT', answer);
    const queue = await loadHandler<Handler<SQSEvent, SQSBatchResponse>>('queue', withTracking);
    const instanceId = fx.instance();
    const hook = `/broken/queue/${instanceId}`;
    const event = jsonSqsEvent({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url(hook) });

    const response = await queue(event, context('queue'));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
    expect(callbacksTo(hook)).toHaveLength(0);
    expect(fx.sim.requests).toHaveLength(0);
    const [line, ...more] = errorLines();
    expect(more).toEqual([]);
    expect(JSON.stringify(line)).toContain(problem);
    expect(extension.reads('AWSCURRENT')).toBe(1);
  });

  it('schedule: fails the invocation as ScheduleConfigurationError (not transient), with no callback', async () => {
    extension.answer('AWSCURRENT', secretString({ ak: KEY.ak }));
    const schedule = await loadHandler<Handler<unknown, unknown>>('schedule', withTracking);
    const hook = '/broken/schedule';
    const targets = [fx.instance(), fx.instance()].map((instanceId) => ({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url(hook) }));
    const failure = await schedule({ targets }, context('schedule')).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe('ScheduleConfigurationError');
    expect((failure as Error).message).toContain('CREDENTIALS_INVALID');
    expect(callbacksTo(hook)).toHaveLength(0);
    expect(fx.sim.requests).toHaveLength(0);
    expect(extension.reads('AWSCURRENT')).toBe(1);
  });
});

describe('an extension or Secrets Manager briefly unavailable', () => {
  it.each<[string, ExtensionAnswer]>([
    ['Secrets Manager throttling', refusal('ThrottlingException', 'Rate exceeded')],
    ['the extension failing', { status: 500, body: 'internal error' }],
  ])('%s: read again a few times within the request, then HTTP 503 with Retry-After; the queue record comes back; not remembered', async (_name, answer) => {
    extension.answer('AWSCURRENT', answer);
    const [http, queue] = await Promise.all([
      loadHandler<Handler<APIGatewayProxyEventV2, HttpAnswer>>('http', withTracking),
      loadHandler<Handler<SQSEvent, SQSBatchResponse>>('queue', withTracking),
    ]);
    const answerHttp = await http(enableHttpEvent(PROJECT, fx.instance(), {}), context('http'));
    expect(answerHttp.statusCode).toBe(503);
    expect(noRetryAfter(answerHttp)).toBe(false);
    expect(JSON.parse(answerHttp.body)).toMatchObject({ error_code: 'CREDENTIALS_UNAVAILABLE' });
    // 50, 100, 200, 400, 800 ms between reads: six in all, well within the request's minute.
    expect(extension.reads('AWSCURRENT')).toBe(6);

    // The next request does not inherit the failure: it reads again.
    const event = jsonSqsEvent({ project_id: PROJECT, instance_id: fx.instance() });
    expect((await queue(event, context('queue'))).batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
    expect(extension.reads('AWSCURRENT')).toBe(12);
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('the extension starting (503 twice, then the secret): the request waits it out and enables', async () => {
    extension.answer('AWSCURRENT', secretString(KEY));
    extension.answerNext(
      'AWSCURRENT',
      { status: 503, body: 'not ready to serve traffic, please wait' },
      { status: 503, body: 'not ready to serve traffic, please wait' },
    );
    const http = await loadHandler<Handler<APIGatewayProxyEventV2, HttpAnswer>>('http', withTracking);
    const answer = await http(enableHttpEvent(PROJECT, fx.instance(), {}), context('http'));
    expect(answer.statusCode).toBe(202);
    expect(extension.reads('AWSCURRENT')).toBe(3);
    // The next request is served from the cache.
    expect((await http(enableHttpEvent(PROJECT, fx.instance(), {}), context('http'))).statusCode).toBe(202);
    expect(extension.reads('AWSCURRENT')).toBe(3);
    expect(fx.sim.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  it('the extension starting, with little time left: no read again past the deadline (503 CREDENTIALS_UNAVAILABLE in time)', async () => {
    extension.answer('AWSCURRENT', { status: 503, body: 'not ready to serve traffic, please wait' });
    const http = await loadHandler<Handler<APIGatewayProxyEventV2, HttpAnswer>>('http', withTracking);
    // 1.5 s are kept back to answer: 440 ms of budget leaves time for the reads 50 and 100 ms apart
    // only (the next, 200 ms later, would leave less than a read needs), with room for a busy machine.
    const answer = await http(enableHttpEvent(PROJECT, fx.instance(), {}), functionContext('http', { timeoutMs: 1_940 }));
    expect(answer.statusCode).toBe(503);
    expect(JSON.parse(answer.body)).toMatchObject({ error_code: 'CREDENTIALS_UNAVAILABLE' });
    expect(extension.reads('AWSCURRENT')).toBeLessThanOrEqual(3);
    expect(fx.sim.requests).toHaveLength(0);
  });
});

describe('a signature Huawei refuses, with the key in Secrets Manager', () => {
  const OLD_SK = { ak: KEY.ak, sk: 'the-sk-before-the-rotation-0001' };
  const OLD_AK = { ak: 'TESTAKBEFOREROTATION', sk: 'the-sk-before-the-rotation-0002' };

  it.each<[string, Record<string, string>, Record<string, string>]>([
    ['a new SK for the same AK', OLD_SK, KEY],
    ['a new key pair with a token', OLD_AK, { ak: TEMP.ak, sk: TEMP.sk, security_token: TEMP.securityToken }],
  ])('rotated (%s): the secret is read again past every cache, and the call goes once more with the new key', async (_name, before, after) => {
    extension.answer('AWSCURRENT', secretString(after));
    extension.answerNext('AWSCURRENT', secretString(before));
    const http = await loadHandler<Handler<APIGatewayProxyEventV2, HttpAnswer>>('http', withTracking);
    const answer = await http(enableHttpEvent(PROJECT, fx.instance(), {}), context('http'));
    expect(answer.statusCode).toBe(202);
    expect(fx.sim.requests.map((r) => [r.status, r.authorized])).toEqual([
      [401, false],
      [200, true],
    ]);
    expect(extension.reads('AWSCURRENT')).toBe(2);
    expect(extension.refreshes()).toBe(1);
    // The new key works on: no more reads, nothing refused.
    expect((await http(enableHttpEvent(PROJECT, fx.instance(), {}), context('http'))).statusCode).toBe(202);
    expect(extension.reads('AWSCURRENT')).toBe(2);
    expect(fx.sim.requests.map((r) => r.status)).toEqual([401, 200, 200]);
  });

  it('not rotated: read again once, then the key cools down (502 CREDENTIALS_REJECTED, Retry-After), nothing more sent or read', async () => {
    extension.answer('AWSCURRENT', secretString(OLD_SK));
    const http = await loadHandler<Handler<APIGatewayProxyEventV2, HttpAnswer>>('http', withTracking);
    for (const _ of [1, 2]) {
      const answer = await http(enableHttpEvent(PROJECT, fx.instance(), {}), context('http'));
      expect(answer.statusCode).toBe(502);
      expect(JSON.parse(answer.body)).toMatchObject({ error_code: 'CREDENTIALS_REJECTED' });
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(295);
    }
    expect(fx.sim.requests).toHaveLength(1);
    expect(extension.reads('AWSCURRENT')).toBe(2);
    expect(extension.refreshes()).toBe(1);
    expect(logs.text()).not.toContain(OLD_SK.sk);
  });
});

describe('tracking messages across a rotation of the secret', () => {
  /** Enables through a queue bundle holding `secret`; returns the sealed tracking message it sent. */
  async function enableWith(secret: ExtensionAnswer, hook: string, instanceId: string): Promise<SealedTrackingMessage> {
    extension.answer('AWSCURRENT', secret);
    const queue = await loadHandler<Handler<SQSEvent, SQSBatchResponse>>('queue', withTracking);
    const response = await queue(jsonSqsEvent({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url(hook) }), context('queue'));
    expect(response.batchItemFailures).toEqual([]);
    expect(sent).toHaveLength(1);
    return sent.splice(0)[0]!;
  }

  const types = (hook: string) => callbacksTo(hook).map((c) => (new Webhook(CALLBACK_SECRET).verify(c.body, webhookHeaders(c)) as { type: string }).type);

  it('opens a message sealed with the previous SK (AWSPREVIOUS) and follows the job to its end', async () => {
    const instanceId = fx.instance();
    const hook = `/rotation/${instanceId}`;
    const tracking = await enableWith(secretString(KEY), hook, instanceId);

    // Rotated: the key pair is now TEMP; KEY is AWSPREVIOUS. A cold start after the rotation checks the job.
    extension.answer('AWSCURRENT', secretString({ ak: TEMP.ak, sk: TEMP.sk, security_token: TEMP.securityToken }));
    extension.answer('AWSPREVIOUS', secretString(KEY));
    const after = await loadHandler<Handler<SQSEvent, SQSBatchResponse>>('queue', withTracking);
    clock += JOB_MS;
    expect((await after(jsonSqsEvent(tracking), context('queue'))).batchItemFailures).toEqual([]);
    expect(types(hook)).toEqual(['smart_connect.enable.accepted', 'smart_connect.enable.succeeded']);
    expect(extension.reads('AWSPREVIOUS')).toBe(1);
    expect(errorLines()).toEqual([]);
  });

  it('refuses it once the SK that sealed it is neither current nor previous (no callback, not retried)', async () => {
    const instanceId = fx.instance();
    const hook = `/rotated-away/${instanceId}`;
    const tracking = await enableWith(secretString(KEY), hook, instanceId);

    // No AWSPREVIOUS (the extension answers ResourceNotFoundException for it).
    extension.answer('AWSCURRENT', secretString({ ak: TEMP.ak, sk: TEMP.sk, security_token: TEMP.securityToken }));
    const after = await loadHandler<Handler<SQSEvent, SQSBatchResponse>>('queue', withTracking);
    clock += JOB_MS;
    const requests = fx.sim.requests.length;
    expect((await after(jsonSqsEvent(tracking), context('queue'))).batchItemFailures).toEqual([]);
    expect(types(hook)).toEqual(['smart_connect.enable.accepted']);
    expect(fx.sim.requests.length).toBe(requests);
    expect(errorLines().map((line) => line.message)).toEqual(['tracking message refused']);
  });

  it('parks a tracking message while the secret is unusable (no callback, nothing checked)', async () => {
    const instanceId = fx.instance();
    const hook = `/tracking-broken/${instanceId}`;
    const tracking = await enableWith(secretString(KEY), hook, instanceId);
    extension.answer('AWSCURRENT', secretString({ ak: KEY.ak }));
    const after = await loadHandler<Handler<SQSEvent, SQSBatchResponse>>('queue', withTracking);
    const event = jsonSqsEvent(tracking);
    const requests = fx.sim.requests.length;
    expect((await after(event, context('queue'))).batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
    expect(types(hook)).toEqual(['smart_connect.enable.accepted']);
    expect(fx.sim.requests.length).toBe(requests);
    expect(errorLines()).toHaveLength(1);
  });
});

describe('the command line', () => {
  async function run(env: Record<string, string | undefined>) {
    const out = { stdout: '', stderr: '' };
    const code = await (await loadBuiltCli())(['enable', '--project-id', PROJECT, '--instance-id', fx.instance()], {
      env,
      stdout: (text) => void (out.stdout += text),
      stderr: (text) => void (out.stderr += text),
    });
    return { code, ...out };
  }

  it('inside Lambda, exits 1 naming the unusable secret, sending nothing', async () => {
    extension.answer('AWSCURRENT', secretString({ ak: KEY.ak }));
    const result = await run({ ...process.env, AWS_LAMBDA_FUNCTION_NAME: 'smart-connect-enabler-cli' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('CREDENTIALS_INVALID: HUAWEICLOUD_CREDENTIALS_SECRET: ');
    expect(result.stderr).toContain('check sk');
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('exits 1 naming a security token no header can carry, before anything is sent', async () => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      HUAWEICLOUD_SDK_AK: KEY.ak,
      HUAWEICLOUD_SDK_SK: KEY.sk,
      HUAWEICLOUD_SDK_SECURITY_TOKEN: 'token\nX-Injected: 1',
    };
    delete env.HUAWEICLOUD_CREDENTIALS_SECRET;
    const result = await run(env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^configuration: HUAWEICLOUD_SDK_SECURITY_TOKEN is malformed: [^\n]*\n$/);
    expect(fx.sim.requests).toHaveLength(0);
  });
});

describe('credentials in the environment that no header can carry', () => {
  it.each<[string, string, string]>([
    ['a security token with a line break', 'HUAWEICLOUD_SDK_SECURITY_TOKEN', `${TEMP.securityToken}\nX-Injected: 1`],
    ['a security token with non-ASCII', 'HUAWEICLOUD_SDK_SECURITY_TOKEN', `${TEMP.securityToken}é`],
    ['an AK with a line break', 'HUAWEICLOUD_SDK_AK', `${KEY.ak}\n${KEY.ak}`],
  ])('%s: the cold start fails with one line naming %s, without the value', async (_name, variable, value) => {
    const saved = { ...process.env };
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    try {
      delete process.env.HUAWEICLOUD_CREDENTIALS_SECRET;
      Object.assign(process.env, {
        HUAWEICLOUD_SDK_AK: KEY.ak,
        HUAWEICLOUD_SDK_SK: KEY.sk,
        HUAWEICLOUD_SDK_SECURITY_TOKEN: TEMP.securityToken,
        [variable]: value,
      });
      const failure = await loadHandler('http', { fresh: true }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({ name: 'ConfigError', variable });
      expect(stderr).toEqual([expect.stringMatching(new RegExp(`^configuration error: ${variable} is malformed: [^\\n]*\\n$`))]);
      expect(stderr.join('')).not.toContain(value.slice(0, 12));
    } finally {
      spy.mockRestore();
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });
});
