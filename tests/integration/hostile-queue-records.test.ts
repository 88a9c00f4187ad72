// Hostile queue records (property-based, fast-check) against the BUILT queue bundle: invalid records,
// bare or in SNS / EventBridge envelopes, alone or among valid ones: the handler never throws, lists
// only ids of its batch, tells of every invalid record, and Huawei hears only of the valid ones. The
// stage and the generators: tests/support/hostile-*.ts.
import { randomBytes } from 'node:crypto';
import type { SQSBatchResponse } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { functionContext, sqsRecord } from '../../local/hosting/index.ts';
import { invalidRecord, materialise, validRecord, wrapText, type RecordSpec } from '../support/hostile-inputs.ts';
import {
  callbacksAt,
  expectLoopbackOnly,
  expectNoCrashLogged,
  fx,
  guardMark,
  hostileStage,
  queue,
  RUNS,
  settings,
  verifiedType,
} from '../support/hostile-stage.ts';
import { capturing } from '../support/output.ts';

hostileStage();

let batchCounter = 0;
async function runBatch(specs: readonly RecordSpec[]) {
  batchCounter += 1;
  const items = specs.map((spec, index) => {
    const messageId = `b${batchCounter}-r${index}-${randomBytes(3).toString('hex')}`;
    const built = materialise(wrapText(spec.text, spec.wrap), `/queue/${messageId}`);
    return { spec, messageId, built, record: sqsRecord({ messageId, body: built.text }) };
  });
  fx.sim.reset();
  const mark = guardMark();
  let thrown: unknown;
  let answer: SQSBatchResponse | undefined;
  const { lines } = await capturing(async () => {
    try {
      answer = await queue({ Records: items.map((i) => i.record) }, functionContext('queue'));
    } catch (error) {
      thrown = error;
    }
  });
  expect(thrown, 'the queue handler threw').toBeUndefined();
  expectNoCrashLogged(lines);
  expectLoopbackOnly(mark);
  if (!answer) throw new Error('no answer');
  expect(Array.isArray(answer.batchItemFailures)).toBe(true);
  const listed = answer.batchItemFailures.map((f) => f.itemIdentifier);
  const ids = new Set(items.map((i) => i.messageId));
  for (const id of listed) expect(ids.has(id), `listed ${id}, which is not in the batch`).toBe(true);
  expect(new Set(listed).size).toBe(listed.length);
  // Nothing is lost: an invalid record that is not listed must have told someone (a rejected callback),
  // except a forged tracking message, dropped on purpose with one error line and told to nobody.
  const refused = lines.filter((line) => line.includes('"message":"tracking message refused"'));
  for (const item of items.filter((i) => !i.spec.valid && !listed.includes(i.messageId))) {
    if (refused.some((line) => line.includes(`"message_id":"${item.messageId}"`))) {
      expect(item.record.body, `a record refused as a tracking message: ${item.record.body.slice(0, 300)}`).toContain('smart_connect.tracking');
      expect(callbacksAt(item.built.callbackPath)).toEqual([]);
      continue;
    }
    expect(verifiedType(item.built.callbackPath), `invalid record ${item.messageId} vanished: ${item.record.body.slice(0, 300)}`).toBe(
      'smart_connect.enable.rejected',
    );
  }
  return { items, listed };
}

describe('hostile queue records', () => {
  it('invalid-only batches: never throws, lists only ids of the batch, sends nothing to Huawei', async () => {
    let reported = 0;
    let listedCount = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(invalidRecord, { minLength: 1, maxLength: 8 }), async (specs) => {
        const { items, listed } = await runBatch(specs);
        expect(fx.sim.requests, `Huawei was called for an invalid record: ${JSON.stringify(fx.sim.requests.map((r) => r.path))}`).toHaveLength(0);
        listedCount += listed.length;
        reported += items.length - listed.length;
      }),
      settings(RUNS.queueInvalid),
    );
    // Both ends of an invalid record's fate were exercised: parked, and told by a rejected callback.
    expect(listedCount).toBeGreaterThan(50);
    expect(reported).toBeGreaterThan(20);
  });

  it('mixed batches: valid records are enabled once each and not listed; Huawei hears only of them', async () => {
    let validSeen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(validRecord, invalidRecord), { minLength: 1, maxLength: 8 }), async (specs) => {
        const { items, listed } = await runBatch(specs);
        const valid = items.filter((i) => i.spec.valid);
        const validIds = new Set(valid.flatMap((i) => i.built.fresh));
        for (const item of valid) {
          validSeen += 1;
          expect(listed, `valid record ${item.messageId} came back: ${item.record.body}`).not.toContain(item.messageId);
          for (const id of item.built.fresh) expect(fx.sim.acceptedEnableCalls(id), `instance ${id}`).toBe(1);
          if (item.record.body.includes('/queue/')) expect(verifiedType(item.built.callbackPath)).toBe('smart_connect.enable.accepted');
        }
        for (const request of fx.sim.requests) {
          const instance = request.path.split('/')[4] ?? '';
          expect(validIds.has(decodeURIComponent(instance)), `Huawei was called for ${request.method} ${request.path}, not a valid record's instance`).toBe(
            true,
          );
        }
      }),
      settings(RUNS.queueMixed),
    );
    expect(validSeen).toBeGreaterThan(50);
  });
});
