// The local SQS queue (local/sqs/) drives a handler as Lambda's SQS event source does: visibility
// timeouts, partial batch failures, redrive to a dead-letter list, delays, FIFO groups, drain().
import { createHash } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLocalQueue, type LocalQueue, type LocalQueueOptions } from '../../local/sqs/index.ts';

interface Delivery {
  readonly id: string;
  readonly body: string;
  readonly receiveCount: number;
  readonly at: number;
  readonly batch: number;
}

const queues: LocalQueue[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(queues.splice(0).map((queue) => queue.stop()));
});

/** A queue whose handler records every delivery and fails the records `fail` says should fail. */
function recordingQueue(
  fail: (record: SQSRecord, delivery: Delivery) => boolean | 'throw',
  options: Partial<LocalQueueOptions> = {},
): { queue: LocalQueue; deliveries: Delivery[]; events: SQSEvent[]; contexts: Context[] } {
  const deliveries: Delivery[] = [];
  const events: SQSEvent[] = [];
  const contexts: Context[] = [];
  const queue = createLocalQueue({
    name: 'unit-queue',
    functionTimeoutMs: 1_000,
    visibilityTimeoutMs: 1_000,
    pollIntervalMs: 10,
    ...options,
    handler: async (event, context) => {
      events.push(event);
      contexts.push(context);
      const failures: SQSBatchResponse['batchItemFailures'] = [];
      let throwIt = false;
      for (const record of event.Records) {
        const delivery = {
          id: record.messageId,
          body: record.body,
          receiveCount: Number(record.attributes.ApproximateReceiveCount),
          at: Date.now(),
          batch: events.length,
        };
        deliveries.push(delivery);
        const verdict = fail(record, delivery);
        if (verdict === 'throw') throwIt = true;
        else if (verdict) failures.push({ itemIdentifier: record.messageId });
      }
      if (throwIt) throw new Error('boom');
      return { batchItemFailures: failures };
    },
  });
  queues.push(queue);
  return { queue, deliveries, events, contexts };
}

describe('local SQS queue', () => {
  it('builds records and a context as Lambda does', async () => {
    const { queue, events, contexts } = recordingQueue(() => false, { name: 'shape-queue', region: 'eu-west-1', accountId: '123456789012' });
    const id = queue.send('{"hello":"world"}', { messageAttributes: { kind: { dataType: 'String', stringValue: 'greeting' } } });
    queue.start();
    await queue.drain(2_000);
    const record = events[0]?.Records[0];
    expect(record).toMatchObject({
      messageId: id,
      body: '{"hello":"world"}',
      md5OfBody: createHash('md5').update('{"hello":"world"}').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:shape-queue',
      awsRegion: 'eu-west-1',
      messageAttributes: { kind: { dataType: 'String', stringValue: 'greeting', stringListValues: [], binaryListValues: [] } },
      attributes: { ApproximateReceiveCount: '1', SenderId: expect.any(String) },
    });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(record?.receiptHandle.length).toBeGreaterThan(100);
    expect(record?.md5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(Number(record?.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(Number(record?.attributes.SentTimestamp));
    expect(record?.attributes.MessageGroupId).toBeUndefined();
    const context = contexts[0];
    expect(context?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context?.invokedFunctionArn).toMatch(/^arn:aws:lambda:eu-west-1:123456789012:function:/);
    expect(context?.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(context?.getRemainingTimeInMillis()).toBeLessThanOrEqual(1_000);
    expect(queue.deliveries).toMatchObject({ sent: 1, invocations: 1, received: 1, deleted: 1, failed: 0 });
  });

  it('redelivers the records listed in batchItemFailures after the visibility timeout, with a growing receive count', async () => {
    const { queue, deliveries } = recordingQueue((record, delivery) => record.body === 'flaky' && delivery.receiveCount < 3, {
      functionTimeoutMs: 100,
      visibilityTimeoutMs: 150,
    });
    const flaky = queue.send('flaky');
    const fine = queue.send('fine');
    queue.start();

    await vi.waitFor(() => expect(queue.inFlight().map((m) => m.messageId)).toEqual([flaky]));
    expect(queue.inFlight()[0]).toMatchObject({ state: 'in_flight', receiveCount: 1, invoking: false, lastError: 'listed in batchItemFailures' });
    expect(queue.pending()).toEqual([]);

    await queue.drain(3_000);
    const flakyDeliveries = deliveries.filter((d) => d.id === flaky);
    expect(flakyDeliveries.map((d) => d.receiveCount)).toEqual([1, 2, 3]);
    expect(deliveries.filter((d) => d.id === fine).map((d) => d.receiveCount)).toEqual([1]);
    // Invisible for the visibility timeout between receives.
    for (let i = 1; i < flakyDeliveries.length; i += 1) {
      expect(flakyDeliveries[i]!.at - flakyDeliveries[i - 1]!.at).toBeGreaterThanOrEqual(140);
    }
    expect(queue.deadLetters()).toEqual([]);
    expect(queue.deliveries).toMatchObject({ sent: 2, received: 4, deleted: 2, failed: 2 });
  });

  it('moves a message that keeps failing to the dead-letter list after maxReceiveCount receives', async () => {
    const { queue, deliveries } = recordingQueue((record) => record.body === 'poison', {
      functionTimeoutMs: 20,
      visibilityTimeoutMs: 30,
      maxReceiveCount: 3,
    });
    const poison = queue.send('poison');
    queue.send('fine');
    queue.start();
    await queue.drain(3_000);

    expect(deliveries.filter((d) => d.id === poison).map((d) => d.receiveCount)).toEqual([1, 2, 3]);
    const dead = queue.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ messageId: poison, body: 'poison', receiveCount: 3, lastError: 'listed in batchItemFailures' });
    expect(queue.pending()).toEqual([]);
    expect(queue.inFlight()).toEqual([]);
    expect(queue.deliveries).toMatchObject({ deadLettered: 1, deleted: 1 });
  });

  it('fails the whole batch when the handler throws', async () => {
    const { queue, deliveries, events } = recordingQueue((_record, delivery) => (delivery.receiveCount === 1 ? 'throw' : false), {
      functionTimeoutMs: 50,
      visibilityTimeoutMs: 80,
    });
    const ids = ['a', 'b', 'c'].map((body) => queue.send(body));
    queue.start();
    await queue.drain(3_000);

    expect(events[0]?.Records.map((r) => r.messageId)).toEqual(ids);
    expect(
      deliveries
        .filter((d) => d.receiveCount === 2)
        .map((d) => d.id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(queue.deliveries).toMatchObject({ invocations: 2, received: 6, failed: 3, deleted: 3, failedInvocations: 1 });
  });

  it('fails the whole batch on an invalid batch response or a timeout, as the event source does', async () => {
    let calls = 0;
    const seen: number[] = [];
    const queue = createLocalQueue({
      name: 'strict-queue',
      functionTimeoutMs: 50,
      visibilityTimeoutMs: 60,
      pollIntervalMs: 10,
      handler: async (event) => {
        calls += 1;
        seen.push(...event.Records.map((r) => Number(r.attributes.ApproximateReceiveCount)));
        if (calls === 1) return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
        if (calls === 2) await new Promise((resolve) => setTimeout(resolve, 200));
        return undefined;
      },
    });
    queues.push(queue);
    queue.send('x');
    queue.start();
    await queue.drain(3_000);
    expect(seen).toEqual([1, 2, 3]);
    expect(queue.deliveries).toMatchObject({ failedInvocations: 2, failed: 2, deleted: 1 });
  });

  it('keeps a delayed message invisible for delaySeconds', async () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const { queue, deliveries } = recordingQueue(() => false);
    const later = queue.send('later', { delaySeconds: 2 });
    const now = queue.send('now');
    queue.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(deliveries.map((d) => d.id)).toEqual([now]);
    expect(queue.pending()).toEqual([expect.objectContaining({ messageId: later, state: 'delayed', visibleAt: 1_800_000_002_000 })]);

    await vi.advanceTimersByTimeAsync(1_985);
    expect(deliveries.map((d) => d.id)).toEqual([now]);
    await vi.advanceTimersByTimeAsync(10);
    expect(deliveries.map((d) => d.id)).toEqual([now, later]);
    expect(deliveries[1]?.at).toBeGreaterThanOrEqual(1_800_000_002_000);
    await queue.drain(100);

    expect(() => queue.send('too late', { delaySeconds: 901 })).toThrow(RangeError);
    expect(() => queue.send('fractional', { delaySeconds: 1.5 })).toThrow(RangeError);
  });

  it('shortens every delay alike with msPerDelaySecond, keeping their order', async () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const { queue, deliveries } = recordingQueue(() => false, { msPerDelaySecond: 10 });
    const twenty = queue.send('twenty', { delaySeconds: 20 });
    const ten = queue.send('ten', { delaySeconds: 10 });
    queue.start();
    expect(queue.pending().map((m) => m.visibleAt)).toEqual([1_800_000_000_200, 1_800_000_000_100]);
    await vi.advanceTimersByTimeAsync(95);
    expect(deliveries).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    expect(deliveries.map((d) => d.id)).toEqual([ten]);
    await vi.advanceTimersByTimeAsync(100);
    expect(deliveries.map((d) => d.id)).toEqual([ten, twenty]);
    await queue.drain(100);
    expect(() => createLocalQueue({ name: 'q', handler: async () => {}, msPerDelaySecond: 0 })).toThrow(RangeError);
  });

  it('FIFO: delivers each message group in order and never from a group with a message in flight', async () => {
    const releases = new Map<string, () => void>();
    const order: string[] = [];
    const active = new Set<string>();
    let overlap = false;
    const failOnce = new Set(['A2']);
    const queue = createLocalQueue({
      name: 'orders.fifo',
      fifo: true,
      batchSize: 2,
      maxConcurrency: 4,
      functionTimeoutMs: 1_000,
      visibilityTimeoutMs: 1_000,
      pollIntervalMs: 10,
      handler: async (event) => {
        const groups = new Set(event.Records.map((r) => r.attributes.MessageGroupId ?? ''));
        for (const group of groups) {
          if (active.has(group)) overlap = true;
          active.add(group);
        }
        const failures: SQSBatchResponse['batchItemFailures'] = [];
        for (const record of event.Records) {
          // After a failure, the rest of its group in the batch comes back too, as functions/queue.ts does.
          if (failures.length) {
            failures.push({ itemIdentifier: record.messageId });
            continue;
          }
          order.push(record.body);
          if (record.body === 'A1') await new Promise<void>((resolve) => releases.set('A1', resolve));
          if (failOnce.delete(record.body)) failures.push({ itemIdentifier: record.messageId });
        }
        for (const group of groups) active.delete(group);
        return { batchItemFailures: failures };
      },
    });
    queues.push(queue);
    const sent = ['A1', 'B1', 'A2', 'B2', 'A3', 'B3', 'A4', 'B4'];
    for (const body of sent) queue.send(body, { messageGroupId: body[0]! });
    queue.start();

    // While A1 is held, group B goes on but nothing more of group A is delivered.
    await vi.waitFor(() => expect(order).toEqual(expect.arrayContaining(['A1', 'B1', 'B2', 'B3', 'B4'])));
    expect(order.filter((body) => body.startsWith('A'))).toEqual(['A1']);
    releases.get('A1')?.();

    // A2 fails once (A3 in its batch comes back with it): visible after 1 s, then A2, A3, A4 in order.
    await queue.drain(5_000);
    expect(order.filter((body) => body.startsWith('A'))).toEqual(['A1', 'A2', 'A2', 'A3', 'A4']);
    expect(order.filter((body) => body.startsWith('B'))).toEqual(['B1', 'B2', 'B3', 'B4']);
    expect(overlap).toBe(false);
  });

  it('FIFO: needs a message group, refuses per-message delays, drops content duplicates', async () => {
    const { queue, deliveries } = recordingQueue(() => false, { name: 'dedupe.fifo', fifo: true });
    expect(() => queue.send('no group')).toThrow(/messageGroupId/);
    expect(() => queue.send('delayed', { messageGroupId: 'g', delaySeconds: 5 })).toThrow(/delay/);
    const first = queue.send('same', { messageGroupId: 'g' });
    expect(queue.send('same', { messageGroupId: 'g' })).toBe(first);
    queue.start();
    await queue.drain(2_000);
    expect(deliveries.map((d) => d.id)).toEqual([first]);
    expect(queue.deliveries.duplicatesDropped).toBe(1);
    expect(() => createLocalQueue({ name: 'plain', fifo: true, handler: async () => {} })).toThrow(/\.fifo/);
  });

  it('drain() resolves once nothing is pending, delayed or in flight, and says what is left when it times out', async () => {
    const { queue } = recordingQueue(() => false);
    await expect(queue.drain(10)).resolves.toBeUndefined();
    queue.send('waiting');
    queue.send('later', { delaySeconds: 60 });
    await expect(queue.drain(50)).rejects.toThrow(/1 visible, 1 delayed, 0 in flight, 0 dead letters \(the queue is stopped\)/);
    queue.start();
    await expect(queue.drain(100)).rejects.toThrow(/0 visible, 1 delayed/);
    await queue.stop();
  });

  it('pushes many messages through with bounded concurrency', async () => {
    let running = 0;
    let peak = 0;
    const queue = createLocalQueue({
      name: 'load-queue',
      maxConcurrency: 3,
      pollIntervalMs: 10,
      functionTimeoutMs: 1_000,
      handler: async (event) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running -= 1;
        return {
          batchItemFailures: event.Records.filter((r) => r.body.endsWith('7') && r.attributes.ApproximateReceiveCount === '1').map((r) => ({
            itemIdentifier: r.messageId,
          })),
        };
      },
      visibilityTimeoutMs: 1_000,
    });
    queues.push(queue);
    queue.start();
    for (let i = 0; i < 1_000; i += 1) queue.send(String(i));
    await queue.drain(10_000);
    expect(queue.deliveries).toMatchObject({ sent: 1_000, deleted: 1_000, failed: 100, received: 1_100 });
    expect(peak).toBeLessThanOrEqual(3);
  });

  it('refuses settings Lambda would refuse', () => {
    const handler = async () => {};
    expect(() => createLocalQueue({ name: 'q', handler, functionTimeoutMs: 1_000, visibilityTimeoutMs: 500 })).toThrow(/at least functionTimeoutMs/);
    expect(() => createLocalQueue({ name: 'q', handler, batchSize: 11 })).toThrow(RangeError);
    expect(() => createLocalQueue({ name: 'bad name', handler })).toThrow(/invalid queue name/);
  });
});
