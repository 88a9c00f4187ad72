// Secrets in any field and encoding (property-based, fast-check) against the BUILT http and queue
// bundles: an upstream that echoes the credentials never gets a 24-character run of them into an
// answer, a callback or a log line. The stage and the generators: tests/support/hostile-*.ts.
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionContext, loadFunction, loadHandler, sqsRecord, type Handler, type HttpAnswer } from '../../local/hosting/index.ts';
import type { Fault } from '../../local/simulator/index.ts';
import { PROJECT, STS } from '../support/fixtures.ts';
import { buildHttpEvent } from '../support/hostile-inputs.ts';
import {
  callbacksAt,
  expectLoopbackOnly,
  expectNoCrashLogged,
  fx,
  guardMark,
  hostileStage,
  receiver,
  RUNS,
  SECRET,
  seed,
  settings,
} from '../support/hostile-stage.ts';
import { leakFinder, type NamedSecret } from '../support/leaks.ts';
import { capturing } from '../support/output.ts';

hostileStage();

// ---- secrets in any field and encoding ----------------------------------------------------------
//
// Whatever answers in Huawei's place (a gateway, a proxy, a hostile endpoint) may echo the request's
// credentials, whole or in part, plain or encoded, in any field of its answer. None of it may leave
// in an HTTP answer, a callback, a queue answer or a log line. These bundles are a second cold start
// that knows every secret: temporary credentials with a >1 KB security token, and the callback secret.

describe('secrets in any field and encoding', () => {
  const SECRETS: readonly NamedSecret[] = [
    { name: 'the SK', value: STS.sk },
    { name: 'the security token', value: STS.securityToken },
    { name: 'the callback secret', value: SECRET },
  ];
  const findSecrets = leakFinder(SECRETS);
  let secretHttp: Handler<unknown, HttpAnswer>;
  let secretQueue: Handler<SQSEvent, SQSBatchResponse>;
  // A refused signature (401) cools the key down for its container: such a case gets one of its own.
  let refusedHandlers: () => { http: Handler<unknown, HttpAnswer>; queue: Handler<SQSEvent, SQSBatchResponse> };

  beforeAll(async () => {
    const env = { HUAWEICLOUD_SDK_AK: STS.ak, HUAWEICLOUD_SDK_SK: STS.sk, HUAWEICLOUD_SDK_SECURITY_TOKEN: STS.securityToken, LOG_LEVEL: 'INFO' };
    const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
    Object.assign(process.env, env);
    try {
      secretHttp = await loadHandler('http', { coldStart: 'all-secrets' });
      secretQueue = await loadHandler('queue', { coldStart: 'all-secrets' });
      const [httpModule, queueModule] = [
        await loadFunction<Handler<unknown, HttpAnswer>>('http', { coldStart: 'all-secrets' }),
        await loadFunction<Handler<SQSEvent, SQSBatchResponse>>('queue', { coldStart: 'all-secrets' }),
      ];
      const hostEnv = { ...process.env };
      refusedHandlers = () => ({ http: httpModule.createHandler({ env: hostEnv }), queue: queueModule.createHandler({ env: hostEnv }) });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  // The escaped forms keep stretches of plain text between escapes: the leak finder sees those.
  type Encoding = 'plain' | 'percent' | 'percent-lower' | 'percent-partial' | 'percent-twice' | 'base64' | 'base64url' | 'unicode-escaped' | 'html-entities';
  const encode = (piece: string, encoding: Encoding, skew: number): string => {
    const skewed = Buffer.concat([Buffer.from('#'.repeat(skew)), Buffer.from(piece)]);
    switch (encoding) {
      case 'plain':
        return piece;
      case 'percent':
        return encodeURIComponent(piece);
      case 'percent-lower':
        return encodeURIComponent(piece).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
      case 'percent-partial':
        return piece.replaceAll('/', '%2F').replaceAll('+', '%2b');
      case 'percent-twice':
        return encodeURIComponent(encodeURIComponent(piece));
      case 'unicode-escaped':
        return piece.replace(/[+/=-]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      case 'html-entities':
        return piece.replace(/[+/=-]/g, (c) => `&#${c.charCodeAt(0)};`);
      case 'base64':
        return skewed.toString('base64');
      case 'base64url':
        return skewed.toString('base64url');
    }
  };
  /** A run of at least 24 characters of a secret (or all of it), encoded, between other text. */
  const echo = fc
    .record({
      secret: fc.constantFrom(...SECRETS.map((secret) => secret.value)),
      start: fc.nat(),
      length: fc.integer({ min: 24, max: 2_000 }),
      encoding: fc.constantFrom<Encoding>(
        'plain',
        'percent',
        'percent-lower',
        'percent-partial',
        'percent-twice',
        'base64',
        'base64url',
        'unicode-escaped',
        'html-entities',
      ),
      skew: fc.integer({ min: 0, max: 2 }),
      before: fc.string({ maxLength: 20 }),
      after: fc.string({ maxLength: 20 }),
    })
    .map(({ secret, start, length, encoding, skew, before, after }) => {
      const from = start % (secret.length - 23);
      return `${before}${encode(secret.slice(from, from + length), encoding, skew)}${after}`;
    });
  const headerSafe = (text: string) => /^[\x21-\x7e]+$/.test(text);

  // Where the echo is: in a field of the upstream's answer, or (input-key) in the request's own
  // field name, which the refusal names.
  type Field = 'page' | 'error_msg' | 'error_code' | 'request_id' | 'nested' | 'job_id' | 'input-key';
  const faultFor = (field: Exclude<Field, 'input-key'>, status: number, text: string): Fault => {
    const code = status >= 500 ? 'DMS.00500000' : 'DMS.00400002';
    switch (field) {
      case 'page':
        return { kind: 'status', status, headers: { 'Content-Type': 'text/html' }, raw: `<html><body><pre>${text}</pre></body></html>` };
      case 'error_msg':
        return { kind: 'status', status, body: { error_code: code, error_msg: text } };
      case 'error_code':
        return { kind: 'status', status, body: { error_code: text, error_msg: 'echo' } };
      case 'request_id':
        return {
          kind: 'status',
          status,
          body: { error_code: code, error_msg: 'echo', request_id: text },
          ...(headerSafe(text) ? { headers: { 'X-Request-Id': text } } : {}),
        };
      case 'nested':
        return { kind: 'status', status, body: { error: { code, message: text } } };
      case 'job_id':
        // A 200 whose ids are the echo: they reach the answer and the callback as job_id and connector_id.
        return { kind: 'status', status: 200, body: { job_id: text, connector_id: `c-${text}` } };
    }
  };

  const secretCase = fc.record({
    trigger: fc.constantFrom('http', 'queue'),
    field: fc.constantFrom<Field>('page', 'error_msg', 'error_code', 'request_id', 'nested', 'job_id', 'input-key'),
    // One answer each: 4xx fail the request (the echo goes on to the answer); 5xx are retried and
    // the second POST succeeds (the echo is only in the logs).
    status: fc.constantFrom(400, 401, 403, 404, 409, 500, 502, 503),
    text: echo,
  });

  it('never a 24-character run of a secret in answers, callbacks or logs, whatever field carries it and however encoded', async () => {
    let redacted = 0;
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(secretCase, async (c) => {
        expect(findSecrets(c.text), 'the generated echo holds a secret run').not.toEqual([]);
        counter += 1;
        const instanceId = randomUUID();
        seed(PROJECT, instanceId);
        const extra = c.field === 'input-key' ? { [c.text]: 1 } : {};
        if (c.field !== 'input-key') fx.sim.inject({ method: 'POST', path: instanceId, fault: faultFor(c.field, c.status, c.text) });
        // Refused credentials are not the sender's failure: told by the answer alone, never a callback.
        const refused = c.status === 401 && c.field !== 'input-key' && c.field !== 'job_id';
        const handlers = refused ? refusedHandlers() : { http: secretHttp, queue: secretQueue };
        const path = `/secrets/${counter}`;
        const mark = guardMark();
        const { value: answer, lines } = await capturing(async () => {
          if (c.trigger === 'http') {
            const built = buildHttpEvent({
              valid: true,
              format: 'v2',
              method: 'POST',
              project: PROJECT,
              instance: { source: 'literal', value: instanceId, variant: 'as-is' },
              extraPath: {},
              pathShape: 'params',
              headers: [['content-type', 'application/json']],
              nullHeaders: false,
              body: { kind: 'text', text: JSON.stringify({ callback_url: receiver.url(path), ...extra }), encoding: 'plain' },
            });
            return JSON.stringify(await handlers.http(built.event, functionContext('http')));
          }
          const record = sqsRecord({
            messageId: `secrets-${counter}`,
            body: JSON.stringify({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url(path), ...extra }),
          });
          return JSON.stringify(await handlers.queue({ Records: [record] }, functionContext('queue', { timeoutMs: 60_000 })));
        });
        fx.sim.clearFaults();
        expectNoCrashLogged(lines);
        expectLoopbackOnly(mark);
        const callbacks = callbacksAt(path).map((callback) => `${JSON.stringify(callback.headers)}\n${callback.body}`);
        // An HTTP caller is told of its own invalid input by the answer alone.
        if (refused) expect(callbacks, `a callback for refused credentials ${JSON.stringify(c).slice(0, 300)}`).toEqual([]);
        else if (!(c.trigger === 'http' && c.field === 'input-key'))
          expect(callbacks.length, `no callback for ${JSON.stringify(c).slice(0, 300)}`).toBeGreaterThan(0);
        const leaks = { answer: findSecrets(answer), callbacks: callbacks.flatMap(findSecrets), logs: lines.flatMap(findSecrets) };
        expect(leaks, `${c.trigger} ${c.field} ${c.status}: ${c.text.slice(0, 120)}`).toEqual({ answer: [], callbacks: [], logs: [] });
        if ([answer, ...callbacks, ...lines].some((text) => text.includes('[redacted]'))) redacted += 1;
      }),
      settings(RUNS.secrets),
    );
    // Not vacuous: the echoes did reach what is written, and were taken out there.
    expect(redacted).toBeGreaterThan(RUNS.secrets / 2);
  });
});
