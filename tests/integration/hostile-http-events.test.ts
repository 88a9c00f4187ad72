// Hostile HTTP events (property-based, fast-check) against the BUILT http bundle: whatever arrives,
// an answer in the contract's JSON shape, never a 5xx or a stack trace; a refusal sends nothing to
// Huawei; valid requests are accepted. The stage and the generators: tests/support/hostile-*.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { functionContext } from '../../local/hosting/index.ts';
import { PROJECT } from '../support/fixtures.ts';
import { buildHttpEvent, hostileHttpCase, validHttpCase } from '../support/hostile-inputs.ts';
import {
  expectLoopbackOnly,
  expectNoCrashLogged,
  fx,
  guard,
  guardMark,
  hostileStage,
  http,
  POOL,
  RUNS,
  settings,
  STACK_TRACE,
  stringsIn,
} from '../support/hostile-stage.ts';
import { capturing } from '../support/output.ts';

hostileStage();

const LOCAL_CODES = new Set(['INVALID_REQUEST', 'INVALID_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'METHOD_NOT_ALLOWED']);

describe('hostile input to the built bundles', () => {
  it('the loopback guard covers what the bundles import (no name is ever resolved)', async () => {
    const { lookup } = await import('node:dns/promises');
    await expect(lookup('example.com')).rejects.toThrow(/loopback guard/);
    guard.lookups.length = 0;
  });

  it('http: never a 5xx, always the contract JSON; a 4xx sends nothing to Huawei; valid requests are accepted', async () => {
    const stats = { total: 0, valid: 0, valid2xx: 0, hostile4xx: 0, hostile400: 0, hostile2xx: 0, otherProject404: 0 };
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 1, arbitrary: validHttpCase }, { weight: 3, arbitrary: hostileHttpCase }), async (c) => {
        const built = buildHttpEvent(c);
        const before = fx.sim.requests.length;
        const mark = guardMark();
        const { value: answer, lines } = await capturing(() => http(built.event, functionContext('http')));
        const sent = fx.sim.requests.slice(before);
        stats.total += 1;

        expect(typeof answer.statusCode).toBe('number');
        expect(answer.statusCode, `5xx for ${answer.body}`).toBeLessThan(500);
        expect(answer.headers['content-type']).toMatch(/^application\/json/);
        const body = JSON.parse(answer.body) as Record<string, unknown>;
        expect(typeof body).toBe('object');
        for (const text of stringsIn(body)) expect(text, 'a stack trace in the answer').not.toMatch(STACK_TRACE);
        expect(body.request_id).toBe(built.requestId);
        expectNoCrashLogged(lines);
        expectLoopbackOnly(mark);
        // Whatever was sent was signed right (no odd path or body breaks the signature).
        expect(
          sent.every((r) => r.authorized),
          'an upstream request failed its signature check',
        ).toBe(true);

        if (answer.statusCode >= 400) {
          expect(body).toMatchObject({ error_code: expect.any(String), error_msg: expect.any(String), request_id: expect.any(String) });
          expect(String(body.error_code)).not.toBe('');
          const upstream404 = built.otherProject && answer.statusCode === 404 && body.error_code === 'DMS.00404022';
          if (upstream404) stats.otherProject404 += 1;
          else {
            expect(sent, `a ${answer.statusCode} ${String(body.error_code)} after calling Huawei`).toHaveLength(0);
            expect(LOCAL_CODES.has(String(body.error_code)), `unexpected error_code ${String(body.error_code)}`).toBe(true);
          }
          if (answer.statusCode === 400) {
            const issues = body.issues as Array<{ field?: unknown; message?: unknown }> | undefined;
            expect(Array.isArray(issues) && issues.length > 0, `a 400 without issues: ${answer.body}`).toBe(true);
            for (const issue of issues ?? []) {
              expect(typeof issue.field === 'string' && issue.field.length > 0, `an issue without a field: ${answer.body}`).toBe(true);
              expect(typeof issue.message === 'string' && issue.message.length > 0, `an issue without a message: ${answer.body}`).toBe(true);
            }
          }
          if (c.valid) throw new Error(`a valid request was refused: ${answer.statusCode} ${answer.body}`);
          stats.hostile4xx += 1;
          codes.set(String(body.error_code), (codes.get(String(body.error_code)) ?? 0) + 1);
          if (answer.statusCode === 400) stats.hostile400 += 1;
        } else if (c.method.toUpperCase() === 'GET') {
          // The status route: it reads, never enables.
          expect(answer.statusCode).toBe(200);
          expect(['enabled', 'enabling', 'not_enabled']).toContain(body.state);
          expect(sent.length).toBeGreaterThan(0);
          expect(
            sent.every((r) => r.method === 'GET'),
            'a GET that sent something else',
          ).toBe(true);
          stats.hostile2xx += 1;
        } else {
          expect([200, 202]).toContain(answer.statusCode);
          expect(body.status).toBe(answer.statusCode === 202 ? 'accepted' : 'already_enabled');
          expect(typeof body.connector_id).toBe('string');
          expect(sent.length).toBeGreaterThan(0);
          if (c.valid) {
            stats.valid2xx += 1;
            const post = sent.find((r) => r.method === 'POST');
            if (answer.statusCode === 202) expect(post?.body).toMatch(/^\{"node_cnt":"[1-9]\d*"(,"specification":"\d+MB","spec_code":"[^"]+")?\}$/);
          } else stats.hostile2xx += 1;
        }
        if (c.valid) stats.valid += 1;
      }),
      settings(RUNS.http),
    );
    // Not vacuous: a fair share of valid requests went through, and of hostile ones were refused.
    expect(stats.valid / stats.total, JSON.stringify(stats)).toBeGreaterThanOrEqual(0.15);
    expect(stats.valid2xx).toBe(stats.valid);
    expect(stats.hostile4xx / stats.total, JSON.stringify(stats)).toBeGreaterThanOrEqual(0.4);
    expect(stats.hostile400 / stats.total, JSON.stringify(stats)).toBeGreaterThanOrEqual(0.3);
    // Every way of refusing was reached.
    for (const code of LOCAL_CODES) expect(codes.get(code) ?? 0, `${code} in ${JSON.stringify([...codes])}`).toBeGreaterThan(3);
  });

  // API Gateway always hands the body over as a string (or null), but a direct invoke (aws lambda
  // invoke, a test harness, Step Functions) may carry it already parsed: an object is taken as the
  // JSON it is, anything else is a 400 naming the body; never a 5xx.
  it.each([
    ['an object', { node_cnt: 3 }, false, 'taken'],
    ['an object, flagged base64', { node_cnt: 3 }, true, 'taken'],
    ['a number', 42, false, 'refused'],
  ])('http: a body that is %s, not a string, is never a 5xx', async (_name, value, base64, expected) => {
    const built = buildHttpEvent({
      valid: false,
      format: 'v2',
      method: 'POST',
      project: PROJECT,
      instance: { source: 'pool', value: POOL[0] ?? '', variant: 'as-is' },
      extraPath: {},
      pathShape: 'params',
      headers: [['content-type', 'application/json']],
      nullHeaders: false,
      body: { kind: 'absent' },
    });
    built.event.body = value;
    built.event.isBase64Encoded = base64;
    const before = fx.sim.requests.length;
    const { value: answer, lines } = await capturing(() => http(built.event, functionContext('http')));
    expect(answer.statusCode, answer.body).toBeLessThan(500);
    if (expected === 'taken') {
      expect([200, 202]).toContain(answer.statusCode);
    } else {
      expect(answer.statusCode).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ error_code: expect.any(String), issues: [expect.objectContaining({ field: 'body' })] });
      expect(fx.sim.requests.length).toBe(before);
    }
    expectNoCrashLogged(lines);
  });
});
