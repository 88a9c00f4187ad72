// Unit tests of shared/huawei/credentials-gate.ts and the client in front of which it stands: one
// call at a time with a key not yet answered (per method), every call with it refused at once for
// the cool-down after Huawei refused a signature, and a retry that does not go once that happened.
// The clock and the wire are injected.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { huaweiRetryPolicy, createHuaweiClient, type HuaweiCall, createCredentialsGate, type GateTurn, HuaweiApiError } from '../../shared/huawei/index.ts';
import { deadlineIn } from '../../shared/runtime/index.ts';
import { manualClock } from '../support/clock.ts';

const go = (turn: GateTurn) => {
  if (turn.kind !== 'go') throw new Error(`expected to go, was told to ${turn.kind}`);
  return turn.pass;
};

function refusal(act: () => unknown): HuaweiApiError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(HuaweiApiError);
    return error as HuaweiApiError;
  }
  throw new Error('not refused');
}

describe('createCredentialsGate', () => {
  it('lets one call of a method go with a key not yet answered; the rest wait for its answer, then go together', async () => {
    const gate = createCredentialsGate();
    const first = go(gate.turn('AK1', 'POST'));
    const waiting = gate.turn('AK1', 'POST');
    expect(waiting.kind).toBe('wait');
    first.answered();
    await (waiting as Extract<GateTurn, { kind: 'wait' }>).until;
    expect(gate.turn('AK1', 'POST').kind).toBe('go');
    expect(gate.turn('AK1', 'POST').kind).toBe('go');
  });

  it('keeps methods apart (a signature covers the body: GETs answered do not vouch for POSTs) and keys apart', () => {
    const gate = createCredentialsGate();
    go(gate.turn('AK1', 'GET')).answered();
    go(gate.turn('AK1', 'POST'));
    expect(gate.turn('AK1', 'POST').kind).toBe('wait');
    expect(gate.turn('AK1', 'GET').kind).toBe('go');
    expect(gate.turn('AK2', 'POST').kind).toBe('go');
  });

  it('lets the next call try when the first got no answer (timeout, network)', async () => {
    const gate = createCredentialsGate();
    const first = go(gate.turn('AK1', 'GET'));
    const waiting = gate.turn('AK1', 'GET') as Extract<GateTurn, { kind: 'wait' }>;
    first.unanswered();
    await waiting.until;
    go(gate.turn('AK1', 'GET'));
    expect(gate.turn('AK1', 'GET').kind).toBe('wait');
  });

  it('after a refusal, refuses every call with the key for the cool-down, saying why and how long is left', async () => {
    const clock = manualClock();
    const gate = createCredentialsGate({ cooldownMs: 120_000, now: clock.now });
    go(gate.turn('AK1', 'GET')).answered();
    const probe = go(gate.turn('AK1', 'POST'));
    const waiting = gate.turn('AK1', 'POST') as Extract<GateTurn, { kind: 'wait' }>;

    const error = probe.refused('Huawei Cloud refused the signature (APIG.0301: Incorrect IAM authentication information)', 'req-1');
    expect(error).toMatchObject({ errorCode: 'CREDENTIALS_REJECTED', status: 0, retryable: true, ambiguous: false, retryAfterMs: 120_000, requestId: 'req-1' });
    expect(error.errorMsg).toBe(
      'Huawei Cloud refused the signature (APIG.0301: Incorrect IAM authentication information); these credentials are not used for 120 s',
    );

    // The call that waited wakes to the refusal; so do GETs, answered before, and retries about to go.
    await waiting.until;
    clock.advance(30_500);
    for (const act of [() => gate.turn('AK1', 'POST'), () => gate.turn('AK1', 'GET'), () => gate.check('AK1')]) {
      const refused = refusal(act);
      expect(refused).toMatchObject({ errorCode: 'CREDENTIALS_REJECTED', retryable: true, retryAfterMs: 89_500 });
      expect(refused.errorMsg).toMatch(/^Huawei Cloud refused the signature \(APIG\.0301: .*\); these credentials are not used for 90 s$/);
    }
    // Another key is not this one.
    expect(gate.turn('AK2', 'POST').kind).toBe('go');
    expect(() => gate.check('AK2')).not.toThrow();
  });

  it('after the cool-down, lets calls go again, one at a time until one is answered', () => {
    const clock = manualClock();
    const gate = createCredentialsGate({ cooldownMs: 60_000, now: clock.now });
    go(gate.turn('AK1', 'GET')).answered();
    go(gate.turn('AK1', 'GET')).refused('refused');
    clock.advance(59_999);
    expect(() => gate.turn('AK1', 'GET')).toThrow(HuaweiApiError);
    clock.advance(1);
    go(gate.turn('AK1', 'GET'));
    expect(gate.turn('AK1', 'GET').kind).toBe('wait');
  });

  it('cools down for 5 minutes by default', () => {
    const clock = manualClock();
    const gate = createCredentialsGate({ now: clock.now });
    expect(go(gate.turn('AK1', 'GET')).refused('refused').retryAfterMs).toBe(300_000);
  });
});

describe('the Huawei client behind the gate', () => {
  const KEY = { ak: 'UNITAK0000000001', sk: 'unit-sk-0001' };
  const call = (method: 'GET' | 'POST'): HuaweiCall<v.GenericSchema> => ({
    method,
    endpoint: 'http://127.0.0.1:9',
    path: ['v2', 'p', 'instances'],
    projectId: 'p',
    response: v.object({}),
    deadline: deadlineIn(10_000),
    retry: method === 'GET' ? 'idempotent' : 'never',
  });
  const refused = () => new Response(JSON.stringify({ error_code: 'APIG.0301', error_msg: 'Incorrect IAM authentication information' }), { status: 401 });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error as HuaweiApiError,
    );

  it('sends one of 10 concurrent calls with a key not yet answered; its refusal answers them all', async () => {
    let sent = 0;
    const client = createHuaweiClient({
      credentials: () => KEY,
      fetch: async () => {
        sent += 1;
        return refused();
      },
    });
    const errors = await Promise.all(Array.from({ length: 10 }, () => failure(client.call(call('POST')))));
    expect(sent).toBe(1);
    for (const error of errors) expect(error).toMatchObject({ errorCode: 'CREDENTIALS_REJECTED', retryable: true });
    expect(errors[0]?.errorMsg).toMatch(/APIG\.0301: Incorrect IAM authentication information/);
  });

  it('does not send a retry once another call with the key was refused meanwhile', async () => {
    let release!: () => void;
    const refusedNow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sent: string[] = [];
    const client = createHuaweiClient({
      credentials: () => KEY,
      retry: huaweiRetryPolicy({ backoff: { baseMs: 1, capMs: 1 } }),
      fetch: async (input) => {
        const { method } = input as Request;
        sent.push(method);
        if (method === 'POST') return refused();
        // The GET is answered 503 (the key passed), and retried only after the POST was refused.
        await refusedNow;
        return new Response('{}', { status: 503 });
      },
    });
    // The GET goes first and is answered for its method; the POST is refused while it waits to retry.
    const get = failure(client.call(call('GET')));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const post = await failure(client.call(call('POST')));
    release();
    expect(post).toMatchObject({ errorCode: 'CREDENTIALS_REJECTED' });
    expect(await get).toMatchObject({ errorCode: 'CREDENTIALS_REJECTED' });
    expect(sent).toEqual(['GET', 'POST']);
  });

  it('reads the credentials again past any cache after a refusal, and sends once more only with a rotated key', async () => {
    const reads: Array<boolean | undefined> = [];
    let current = { ak: KEY.ak, sk: 'the-old-sk' };
    const sent: string[] = [];
    const client = createHuaweiClient({
      credentials: (read) => {
        reads.push(read?.fresh);
        if (read?.fresh) current = KEY;
        return current;
      },
      fetch: async () => {
        const signedWith = current.sk;
        sent.push(signedWith);
        return signedWith === KEY.sk ? new Response('{}', { status: 200 }) : refused();
      },
    });
    await expect(client.call(call('POST'))).resolves.toMatchObject({ data: {} });
    expect(sent).toEqual(['the-old-sk', KEY.sk]);
    // The retry is signed with what the fresh read found, not what a cache may still hold.
    expect(reads).toEqual([undefined, true]);
  });

  it('closes a refused AK replaced by another one, so nothing is sent with it again; a refused rotated key is not read again', async () => {
    const OLD = { ak: 'UNITOLDAK0000001', sk: 'unit-old-sk' };
    const gate = createCredentialsGate();
    let fresh = 0;
    let sent = 0;
    const client = createHuaweiClient({
      credentials: (read) => {
        if (read?.fresh) fresh += 1;
        return read?.fresh ? KEY : OLD;
      },
      gate,
      fetch: async () => {
        sent += 1;
        return refused();
      },
    });
    expect(await failure(client.call(call('GET')))).toMatchObject({ errorCode: 'CREDENTIALS_REJECTED' });
    // The old key, then the rotated one: both refused, both closed; one fresh read.
    expect([sent, fresh]).toEqual([2, 1]);
    expect(() => gate.check(OLD.ak)).toThrow(HuaweiApiError);
    expect(() => gate.check(KEY.ak)).toThrow(HuaweiApiError);
  });
});
