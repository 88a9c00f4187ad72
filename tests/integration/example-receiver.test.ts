// The example callback receiver (examples/callback-receiver) against the built http function's real
// callbacks, on loopback: a genuine callback is taken and processed once; an altered body, a wrong
// secret and a stale (or early) timestamp are refused and never processed; a replayed webhook-id is
// acknowledged but not processed again. Cross-checked with the standardwebhooks package.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceiver, type WebhookEvent } from '../../examples/callback-receiver/receiver.ts';
import { createSeenIds, secretKey, verifyWebhook } from '../../examples/callback-receiver/webhook.ts';
import {
  connectorPath,
  functionContext,
  httpApiEvent,
  loadHandler,
  startCallbackReceiver,
  webhookHeaders,
  type CallbackReceiver,
  type Handler,
  type HttpAnswer,
  type ReceivedCallback,
} from '../../local/hosting/index.ts';
import { installLoopbackGuard, type LoopbackGuard } from '../support/loopback-guard.ts';
import { PROJECT, startSimulatorFixture, type SimulatorFixture } from '../support/fixtures.ts';
import { capturing } from '../support/output.ts';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const SECRET = newSecret();

interface Example {
  readonly url: string;
  readonly host: string;
  readonly processed: WebhookEvent[];
  readonly refused: { status: number; reason: string }[];
  close(): Promise<void>;
}

/** The example receiver as its main.ts runs it, on a free loopback port, keeping what it did. */
async function startExample(secret: string | readonly string[]): Promise<Example> {
  const processed: WebhookEvent[] = [];
  const refused: { status: number; reason: string }[] = [];
  const server = createServer(
    createReceiver({
      secret,
      onEvent: (event) => void processed.push(event),
      onRefused: (status, reason) => void refused.push({ status, reason }),
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/smart-connect`,
    host: `127.0.0.1:${port}`,
    processed,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let guard: LoopbackGuard;
let fx: SimulatorFixture;
let example: Example;
let capture: CallbackReceiver;
let http: Handler<unknown, HttpAnswer>;

beforeAll(async () => {
  guard = installLoopbackGuard();
  fx = await startSimulatorFixture();
  example = await startExample(SECRET);
  // Keeps genuine callbacks raw (body and headers as sent), to be replayed, altered or re-signed.
  capture = await startCallbackReceiver({ secret: SECRET });
  const env = fx.env({
    CALLBACK_SECRET: SECRET,
    CALLBACK_URL: example.url,
    CALLBACK_ALLOWED_HOSTS: `${example.host},${capture.host}`,
    LOG_LEVEL: 'SILENT',
  });
  // Importing a bundle starts its Lambda handler too, which reads process.env.
  Object.assign(process.env, env);
  http = await loadHandler('http', { fresh: true, host: { env } });
});
afterAll(async () => {
  await Promise.all([fx.sim.close(), example.close(), capture.close()]);
  guard.restore();
  expect(guard.refused).toEqual([]);
});

/** Enables a new instance over HTTP (metrics lines kept off the test's output); its 202 answer. */
async function enable(body: Record<string, unknown> = {}): Promise<{ instanceId: string; answer: Record<string, unknown> }> {
  const instanceId = fx.instance();
  const event = httpApiEvent(
    { url: connectorPath(PROJECT, instanceId), headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    { requestId: `req-${randomBytes(6).toString('hex')}` },
  );
  const { value: answer } = await capturing(() => http(event, functionContext('http')));
  expect(answer.statusCode).toBe(202);
  return { instanceId, answer: JSON.parse(answer.body) as Record<string, unknown> };
}

/** A genuine callback for a new instance, as the function sent it. */
async function genuineCallback(): Promise<{ instanceId: string; callback: ReceivedCallback }> {
  const path = `/capture/${randomBytes(6).toString('hex')}`;
  const { instanceId } = await enable({ callback_url: capture.url(path) });
  const callback = await capture.waitFor((c) => c.path === path);
  expect(callback.verified).toBe(true);
  return { instanceId, callback };
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  await response.arrayBuffer();
  return response.status;
}

async function until(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Gives a receiver time to process what it acknowledged, so "not processed" is not a race. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 50));

const processedFor = (instanceId: string) => example.processed.filter((event) => (event.data as { instance_id?: unknown }).instance_id === instanceId);

/** The same message signed by the standardwebhooks package at another time. */
function resigned(callback: ReceivedCallback, at: Date, secret = SECRET): Record<string, string> {
  const id = callback.headers['webhook-id'] ?? '';
  const signature = new Webhook(secret).sign(id, at, callback.body);
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
}

describe('the example callback receiver, fed by the real http function', () => {
  it('takes the callback the function sends to CALLBACK_URL and processes it once', async () => {
    const { instanceId, answer } = await enable();
    await until(() => processedFor(instanceId).length > 0);
    await settled();
    const [event, ...more] = processedFor(instanceId);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      id: expect.stringMatching(/^msg_/),
      type: 'smart_connect.enable.accepted',
      data: { status: 'accepted', project_id: PROJECT, instance_id: instanceId, job_id: answer.job_id, connector_id: answer.connector_id, source: 'http' },
    });
    expect(example.refused).toEqual([]);
  });

  it('takes a genuine callback replayed as it was sent, and acknowledges the same webhook-id again without processing it', async () => {
    const { instanceId, callback } = await genuineCallback();
    expect(await post(example.url, callback.body, webhookHeaders(callback))).toBe(204);
    await until(() => processedFor(instanceId).length === 1);

    // The same request again, and the sender's own redelivery (same id, fresh timestamp and signature).
    expect(await post(example.url, callback.body, webhookHeaders(callback))).toBe(204);
    expect(await post(example.url, callback.body, resigned(callback, new Date()))).toBe(204);
    await settled();
    expect(processedFor(instanceId)).toHaveLength(1);
    expect(processedFor(instanceId)[0]?.id).toBe(callback.headers['webhook-id']);
  });

  it('refuses an altered body with 401 and never processes it', async () => {
    const { instanceId, callback } = await genuineCallback();
    const altered = callback.body.replace('"status":"accepted"', '"status":"succeeded"');
    expect(altered).not.toBe(callback.body);
    const refusedBefore = example.refused.length;

    expect(await post(example.url, altered, webhookHeaders(callback))).toBe(401);
    // One byte more (whitespace a JSON parser would not notice) is another body too.
    expect(await post(example.url, `${callback.body} `, webhookHeaders(callback))).toBe(401);
    await settled();
    expect(processedFor(instanceId)).toEqual([]);
    expect(example.refused.slice(refusedBefore)).toEqual([
      { status: 401, reason: 'no matching signature' },
      { status: 401, reason: 'no matching signature' },
    ]);

    // Refusing it did not spend its webhook-id: the genuine message is still taken.
    expect(await post(example.url, callback.body, webhookHeaders(callback))).toBe(204);
    await until(() => processedFor(instanceId).length === 1);
  });

  it('refuses a genuine callback when it holds another secret, and a message signed with another secret', async () => {
    const { instanceId, callback } = await genuineCallback();
    const other = await startExample(newSecret());
    try {
      expect(await post(other.url, callback.body, webhookHeaders(callback))).toBe(401);
      await settled();
      expect(other.processed).toEqual([]);
      expect(other.refused).toEqual([{ status: 401, reason: 'no matching signature' }]);
    } finally {
      await other.close();
    }
    expect(await post(example.url, callback.body, resigned(callback, new Date(), newSecret()))).toBe(401);
    await settled();
    expect(processedFor(instanceId)).toEqual([]);
  });

  it('takes a message signed with either secret while it holds two (rotating the secret)', async () => {
    const { callback } = await genuineCallback();
    const rotating = await startExample([newSecret(), SECRET]);
    try {
      expect(await post(rotating.url, callback.body, webhookHeaders(callback))).toBe(204);
      await until(() => rotating.processed.length === 1);
      expect(rotating.refused).toEqual([]);
    } finally {
      await rotating.close();
    }
  });

  it.each([
    ['six minutes old', -6 * 60, 'webhook-timestamp is too old'],
    ['six minutes ahead', 6 * 60, 'webhook-timestamp is too far ahead'],
  ])('refuses a correctly signed callback whose timestamp is %s', async (_name, offsetSeconds, reason) => {
    const { instanceId, callback } = await genuineCallback();
    const refusedBefore = example.refused.length;
    expect(await post(example.url, callback.body, resigned(callback, new Date(Date.now() + offsetSeconds * 1000)))).toBe(401);
    await settled();
    expect(processedFor(instanceId)).toEqual([]);
    expect(example.refused.slice(refusedBefore)).toEqual([{ status: 401, reason }]);
  });

  it('refuses a callback without its headers, and anything but a POST', async () => {
    const { callback } = await genuineCallback();
    const { 'webhook-signature': _dropped, ...unsigned } = webhookHeaders(callback);
    expect(await post(example.url, callback.body, unsigned)).toBe(401);
    expect((await fetch(example.url)).status).toBe(405);
  });
});

describe('the example verifier and the standardwebhooks package agree', () => {
  const key = secretKey(SECRET);
  const body = JSON.stringify({ type: 'smart_connect.enable.succeeded', timestamp: new Date().toISOString(), data: { note: 'héllo ✓' } });
  const now = new Date();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const signed = new Webhook(SECRET).sign('msg_crosscheck', now, body);
  const headers = (signature: string) => ({ 'webhook-id': 'msg_crosscheck', 'webhook-timestamp': String(nowSeconds), 'webhook-signature': signature });

  it('verifies what the package signs (non-ASCII body included)', () => {
    expect(verifyWebhook({ key, headers: headers(signed), body: Buffer.from(body), nowSeconds })).toEqual({
      ok: true,
      id: 'msg_crosscheck',
      timestamp: nowSeconds,
    });
  });

  it('takes any one matching v1 signature of several, and no other version', () => {
    const forged = `v1,${randomBytes(32).toString('base64')}`;
    expect(verifyWebhook({ key, headers: headers(`${forged} ${signed}`), body: Buffer.from(body), nowSeconds }).ok).toBe(true);
    expect(verifyWebhook({ key, headers: headers(`${forged} v1a,${signed.slice(3)}`), body: Buffer.from(body), nowSeconds }).ok).toBe(false);
  });

  it('refuses what the package refuses: another body, another secret', () => {
    const verdicts = [
      verifyWebhook({ key, headers: headers(signed), body: Buffer.from(`${body}\n`), nowSeconds }),
      verifyWebhook({ key: secretKey(newSecret()), headers: headers(signed), body: Buffer.from(body), nowSeconds }),
    ];
    expect(verdicts).toEqual([
      { ok: false, reason: 'no matching signature' },
      { ok: false, reason: 'no matching signature' },
    ]);
    expect(() => new Webhook(SECRET).verify(`${body}\n`, headers(signed))).toThrow();
  });
});

describe('the example receiver remembers webhook-ids within bounds', () => {
  it('forgets an id after its time, and the oldest first beyond its size', () => {
    const seen = createSeenIds({ ttlMs: 1_000, maxIds: 2 });
    expect(seen.firstTime('a', 0)).toBe(true);
    expect(seen.firstTime('a', 999)).toBe(false);
    expect(seen.firstTime('a', 1_000)).toBe(true);
    expect(seen.firstTime('b', 1_100)).toBe(true);
    expect(seen.firstTime('c', 1_200)).toBe(true);
    expect(seen.size).toBe(2);
    expect(seen.firstTime('b', 1_300)).toBe(false);
    expect(seen.firstTime('a', 1_300)).toBe(true);
  });
});
