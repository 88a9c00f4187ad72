// Unit tests of the SSRF guard (shared/callback: the URL rule, public-address.ts, destination.ts) and the
// Standard Webhooks message (shared/callback/message.ts).
// Signatures are checked with the standardwebhooks package's own verifier, never with project code.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import { resultMessage, webhookHeaders, webhookId, webhookPayload } from '../../shared/callback/message.ts';
import type { JobResult } from '../../shared/result/index.ts';
import { isPublicAddress } from '../../shared/callback/public-address.ts';
import { CHECK_LOOKUP_MS } from '../../shared/callback/destination.ts';
import { reportToUrl, type Resolve, checkCallbackDestination, type CallbackUrl } from '../../shared/callback/index.ts';
import { silentLogger, deadlineIn } from '../../shared/runtime/index.ts';
import { checkCallbackText } from '../support/callback-check.ts';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const PROJECT = '0123456789abcdef0123456789abcdef';
const INSTANCE = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';

const accepted: JobResult = {
  status: 'accepted',
  project_id: PROJECT,
  instance_id: INSTANCE,
  job_id: 'job-1',
  connector_id: 'conn-1',
  source: 'queue',
  retryable: false,
  upstream_status: 200,
};

/** What WHATWG URL makes of a host, without brackets: how a callback URL's host reaches the guard. */
const viaUrl = (host: string) => new URL(`https://${host}/`).hostname.replace(/^\[(.*)\]$/, '$1');

describe('isPublicAddress (global unicast only)', () => {
  it.each([
    ['169.254.169.254', '169.254.169.254'],
    ['127.0.0.1', '127.0.0.1'],
    ['127.1 via URL', viaUrl('127.1')],
    ['0x7f000001 via URL', viaUrl('0x7f000001')],
    ['2130706433 via URL', viaUrl('2130706433')],
    ['[::1] via URL', viaUrl('[::1]')],
    ['[::ffff:127.0.0.1] via URL', viaUrl('[::ffff:127.0.0.1]')],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1'],
    ['::ffff:7f00:1', '::ffff:7f00:1'],
    ['::ffff:169.254.169.254', '::ffff:169.254.169.254'],
    ['::ffff:8.8.8.8 (IPv4-mapped, even of a public address)', '::ffff:8.8.8.8'],
    ['::ffff:0:a9fe:a9fe (IPv4-translated 169.254.169.254)', '::ffff:0:a9fe:a9fe'],
    ['::ffff:0:7f00:1 (IPv4-translated 127.0.0.1)', '::ffff:0:7f00:1'],
    ['::7f00:1 (IPv4-compatible)', '::7f00:1'],
    ['::1:2:3:4', '::1:2:3:4'],
    ['4000::1', '4000::1'],
    ['5f00::1 (SRv6)', '5f00::1'],
    ['100::1 (discard)', '100::1'],
    ['::', '::'],
    ['0.0.0.0', '0.0.0.0'],
    ['10.1.2.3', '10.1.2.3'],
    ['172.16.0.1', '172.16.0.1'],
    ['172.31.255.255', '172.31.255.255'],
    ['192.168.1.1', '192.168.1.1'],
    ['192.0.0.9', '192.0.0.9'],
    ['192.31.196.1 (AS112)', '192.31.196.1'],
    ['198.19.255.255 (benchmarking)', '198.19.255.255'],
    ['fd00::1', 'fd00::1'],
    ['fe80::1', 'fe80::1'],
    ['fec0::1 (site-local)', 'fec0::1'],
    ['fe80::1%eth0 (zone id)', 'fe80::1%eth0'],
    ['2001:4860::1%1 (zone id on a global address)', '2001:4860::1%1'],
    ['100.64.0.1', '100.64.0.1'],
    ['64:ff9b::7f00:1 (NAT64 of 127.0.0.1)', '64:ff9b::7f00:1'],
    ['64:ff9b::a9fe:a9fe (NAT64 of the metadata address)', '64:ff9b::a9fe:a9fe'],
    ['64:ff9b::808:808 (NAT64, outside 2000::/3)', '64:ff9b::808:808'],
    ['64:ff9b:1::1 (local-use NAT64)', '64:ff9b:1::1'],
    ['2001::1 (Teredo)', '2001::1'],
    ['2001:20::1 (ORCHIDv2)', '2001:20::1'],
    ['2001:db8::1 (documentation)', '2001:db8::1'],
    ['3fff::1 (documentation)', '3fff::1'],
    ['2002:a00:1:: (6to4 of 10.0.0.1)', '2002:a00:1::'],
    ['2002:a9fe:a9fe::1 (6to4 of the metadata address)', '2002:a9fe:a9fe::1'],
    ['224.0.0.1 (multicast)', '224.0.0.1'],
    ['255.255.255.255', '255.255.255.255'],
    ['ff02::1 (multicast)', 'ff02::1'],
    ['not an address', 'example.com'],
    ['octal, as a resolver will never write it', '0177.0.0.1'],
    ['empty', ''],
  ])('refuses %s', (_name, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['172.32.0.1'],
    ['100.128.0.1'],
    ['198.20.0.1'],
    ['223.255.255.255'],
    ['2606:4700::1111'],
    ['[2606:4700::1111]'],
    ['2001:4860:4860::8888'],
    ['2a00:1450:4001::1'],
    ['2002:808:808::1 (6to4 of a public address)'],
  ])('allows %s', (address) => {
    expect(isPublicAddress(address.split(' ')[0] ?? '')).toBe(true);
  });
});

describe('the callback URL rule, then checkCallbackDestination', () => {
  const resolver = (table: Record<string, string[]>) => async (hostname: string) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses;
  };
  const resolve = resolver({
    'public.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'internal.example': ['10.0.0.7'],
    'mixed.example': ['93.184.216.34', '127.0.0.1'],
    'translated.example': ['::ffff:0:a9fe:a9fe'],
    'compatible.example': ['::1:2:3:4'],
    'unassigned.example': ['4000::1', '5f00::1'],
  });
  const check = (url: string, allowedHosts: readonly string[] = [], resolveName: Resolve = resolve, deadline = deadlineIn(5_000)) =>
    checkCallbackText(url, { allowedHosts, deadline, resolve: resolveName });
  const never: Resolve = () => Promise.reject(new Error('must not resolve'));

  it('accepts https to a name whose every address is public, into a destination', async () => {
    const result = await check('https://public.example/hook?token=t');
    expect(result).toEqual({
      kind: 'passed',
      destination: {
        url: new URL('https://public.example/hook?token=t'),
        host: 'public.example',
        allowListed: false,
        addresses: ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
      },
    });
  });

  it('refuses a name resolving to a private address, without naming the address', async () => {
    const result = await check('https://internal.example/hook');
    expect(result).toMatchObject({ kind: 'refused' });
    if (result.kind !== 'passed') {
      expect(result.reason).toContain('internal.example');
      expect(result.reason).not.toContain('10.0.0.7');
    }
  });

  it.each(['mixed.example', 'translated.example', 'compatible.example', 'unassigned.example'])(
    'refuses %s (an address outside global unicast among its answers)',
    async (name) => {
      expect(await check(`https://${name}/`)).toMatchObject({ kind: 'refused' });
    },
  );

  it('refuses a name that does not resolve, for good', async () => {
    expect(await check('https://nowhere.example/')).toMatchObject({ kind: 'refused' });
  });

  it('refuses a name whose name server says try again (EAI_AGAIN), as transient', async () => {
    const again: Resolve = () => Promise.reject(Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }));
    expect(await check('https://flaky.example/', [], again)).toMatchObject({ kind: 'lookup_failed' });
  });

  it("says a result's callback whose host did not resolve in time is CALLBACK_LOOKUP_FAILED (retryable), not a refused URL", async () => {
    const again: Resolve = () => Promise.reject(Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }));
    const report = (url: string, resolveName: Resolve) =>
      reportToUrl(url as CallbackUrl, accepted, { deadline: deadlineIn(5_000), dedupeKey: 'k', logger: silentLogger, allowedHosts: [], resolve: resolveName });
    expect(await report('https://flaky.example/', again)).toMatchObject({
      kind: 'undelivered',
      attempts: 0,
      retryable: true,
      error: { code: 'CALLBACK_LOOKUP_FAILED' },
    });
    expect(await report('https://internal.example/', resolve)).toMatchObject({
      kind: 'undelivered',
      attempts: 0,
      retryable: false,
      error: { code: 'CALLBACK_URL_REFUSED' },
    });
  });

  it('gives up on a lookup when the deadline has passed, as transient', async () => {
    expect(await check('https://public.example/', [], () => new Promise(() => {}), deadlineIn(0))).toMatchObject({
      kind: 'lookup_failed',
      reason: expect.stringContaining('public.example'),
    });
  });

  it('gives up on a lookup after a few seconds even when the deadline is far', async () => {
    vi.useFakeTimers();
    try {
      const pending = check('https://public.example/', [], () => new Promise(() => {}), deadlineIn(60_000));
      await vi.advanceTimersByTimeAsync(CHECK_LOOKUP_MS);
      expect(await pending).toMatchObject({ kind: 'lookup_failed' });
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    'https://169.254.169.254/latest/meta-data',
    'https://127.1/',
    'https://0x7f000001/',
    'https://2130706433/',
    'https://[::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:0:a9fe:a9fe]/',
    'https://[::ffff:0:7f00:1]/',
    'https://[::1:2:3:4]/',
    'https://[4000::1]/',
    'https://[5f00::1]/',
    'https://10.0.0.1/',
  ])('refuses the IP literal in %s without resolving', async (url) => {
    expect(await check(url, [], never)).toMatchObject({ kind: 'refused' });
  });

  it('accepts a public IP literal without resolving', async () => {
    expect(await check('https://8.8.8.8/', [], never)).toMatchObject({ kind: 'passed', destination: { host: '8.8.8.8', addresses: ['8.8.8.8'] } });
    expect(await check('https://[2606:4700::1111]:8443/', [], never)).toMatchObject({
      kind: 'passed',
      destination: { host: '[2606:4700::1111]:8443', addresses: ['2606:4700::1111'] },
    });
  });

  it('refuses http unless the host is allowed', async () => {
    const result = await check('http://public.example/hook');
    expect(result.kind).not.toBe('passed');
    if (result.kind !== 'passed') expect(result.reason).toMatch(/http:/);
    expect((await check('http://public.example/hook', ['public.example'])).kind).toBe('passed');
  });

  it('exempts an allowed host:port from the address checks, and only that port', async () => {
    expect(await check('http://127.0.0.1:8080/cb', ['127.0.0.1:8080'], never)).toMatchObject({
      kind: 'passed',
      destination: { allowListed: true, addresses: [] },
    });
    expect(await check('https://internal.example:8443/', ['internal.example:8443'], never)).toMatchObject({
      kind: 'passed',
      destination: { allowListed: true },
    });
    expect((await check('http://127.0.0.1:8081/cb', ['127.0.0.1:8080'])).kind).not.toBe('passed');
    expect((await check('https://127.0.0.1:8081/cb', ['127.0.0.1:8080'])).kind).not.toBe('passed');
  });

  it('exempts every port of an allowed host listed without one', async () => {
    for (const url of ['http://127.0.0.1:8081/cb', 'http://localhost:1/', 'http://[::1]:65535/', 'https://internal.example/']) {
      expect(await check(url, ['127.0.0.1', 'localhost', '[::1]', 'internal.example'], never), url).toMatchObject({
        kind: 'passed',
        destination: { allowListed: true },
      });
    }
    expect((await check('http://127.0.0.2:8081/cb', ['127.0.0.1'])).kind).not.toBe('passed');
  });

  it('refuses plain http to a host no longer allowed, for a URL checked under another allow-list (sealed before a redeploy)', async () => {
    const checkedBefore = 'http://hooks.internal/cb' as CallbackUrl;
    const options = (allowedHosts: readonly string[]) => ({ allowedHosts, deadline: deadlineIn(5_000), resolve: async () => ['93.184.216.34'] });
    expect(await checkCallbackDestination(checkedBefore, options([]))).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/plain http/) });
    expect(await checkCallbackDestination(checkedBefore, options(['hooks.internal']))).toMatchObject({ kind: 'passed', destination: { allowListed: true } });
  });

  it('refuses other schemes even for allowed hosts', async () => {
    expect((await check('ftp://127.0.0.1:8080/', ['127.0.0.1:8080'])).kind).not.toBe('passed');
  });

  it('refuses credentials in the URL without repeating them', async () => {
    const result = await check('https://alice:s3cr3t-pass@public.example/');
    expect(result.kind).not.toBe('passed');
    if (result.kind !== 'passed') {
      expect(result.reason).toMatch(/credentials/);
      expect(result.reason).not.toContain('s3cr3t-pass');
      expect(result.reason).not.toContain('alice');
    }
    expect((await check('http://bob@127.0.0.1:8080/', ['127.0.0.1:8080'])).kind).not.toBe('passed');
  });

  it('quotes a long host in its reason, and refuses a URL over 2,048 characters outright', async () => {
    const long = `${'h'.repeat(1_900)}.example`;
    const refused = await check(`https://${long}/`, [], async () => ['10.0.0.1']);
    expect(refused).toMatchObject({ kind: 'refused', reason: expect.stringContaining('hhhh') });
    if (refused.kind !== 'passed') expect(refused.reason.length).toBeLessThan(300);
    const huge = await check(`https://${'h'.repeat(3_000_000)}.example/`, [], never);
    expect(huge).toMatchObject({ kind: 'refused' });
    if (huge.kind !== 'passed') expect(huge.reason.length).toBeLessThan(300);
  });
});

describe('webhookId', () => {
  it('is stable for the same result and delivery key', () => {
    const id = webhookId(accepted, 'sqs-message-1');
    expect(id).toMatch(/^msg_[A-Za-z0-9_-]{20,}$/);
    expect(webhookId({ ...accepted }, 'sqs-message-1')).toBe(id);
  });

  it('follows the job id when there is one, not the delivery key', () => {
    expect(webhookId(accepted, 'sqs-message-2')).toBe(webhookId(accepted, 'sqs-message-1'));
  });

  it('follows the delivery key when there is no job id', () => {
    const rejected: JobResult = { status: 'rejected', project_id: PROJECT, instance_id: INSTANCE, source: 'http' };
    expect(webhookId(rejected, 'req-1')).toBe(webhookId(rejected, 'req-1'));
    expect(webhookId(rejected, 'req-1')).not.toBe(webhookId(rejected, 'req-2'));
  });

  it('differs for another type, project, instance or job', () => {
    const id = webhookId(accepted, 'k');
    expect(webhookId({ ...accepted, status: 'succeeded' }, 'k')).not.toBe(id);
    expect(webhookId({ ...accepted, project_id: 'f'.repeat(32) }, 'k')).not.toBe(id);
    expect(webhookId({ ...accepted, instance_id: '00000000-0000-4000-8000-000000000000' }, 'k')).not.toBe(id);
    expect(webhookId({ ...accepted, job_id: 'job-2' }, 'k')).not.toBe(id);
  });

  it("gives a job's end one id, succeeded or failed, so a receiver keeps the first", () => {
    const succeeded: JobResult = { ...accepted, status: 'succeeded', instance_status: 'RUNNING' };
    const failed: JobResult = { ...accepted, status: 'failed', error: { code: 'DMS.00404022', message: 'The instance does not exist.' } };
    expect(webhookId(failed, 'a-later-copy')).toBe(webhookId(succeeded, 'k'));
    // A tracking message for a job found running knows its connector only: the same end, the same id.
    expect(webhookId({ ...failed, job_id: undefined }, 'k')).toBe(webhookId(succeeded, 'k'));
    expect(webhookId(succeeded, 'k')).not.toBe(webhookId(accepted, 'k'));
    expect(webhookId({ ...failed, connector_id: 'another-connector' }, 'k')).not.toBe(webhookId(succeeded, 'k'));
  });
});

describe('webhook-signature (webhookHeaders)', () => {
  const id = 'msg_test';
  const body = JSON.stringify({ type: 'smart_connect.enable.accepted', timestamp: new Date().toISOString(), data: { a: 1 } });
  /** The signature an attempt at this time (whole seconds) carries. */
  const signedAt = (timestamp: number) => webhookHeaders(id, body, new Date(timestamp * 1000), SECRET)['webhook-signature'] ?? '';
  const headersAt = (timestamp: number, signature: string) => ({
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  });

  it('is verified by standardwebhooks', () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signedAt(timestamp);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(SECRET).verify(body, headersAt(timestamp, signature))).toEqual(JSON.parse(body));
  });

  it('matches the reference signer byte for byte', () => {
    const timestamp = 1_700_000_000;
    expect(signedAt(timestamp)).toBe(new Webhook(SECRET).sign(id, new Date(timestamp * 1000), body));
  });

  it('is refused by standardwebhooks when the body, signature, timestamp or id is changed', () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signedAt(timestamp);
    const webhook = new Webhook(SECRET);
    expect(() => webhook.verify(body.replace('accepted', 'succeeded'), headersAt(timestamp, signature))).toThrow();
    const tampered = `v1,${Buffer.from('x'.repeat(32)).toString('base64')}`;
    expect(() => webhook.verify(body, headersAt(timestamp, tampered))).toThrow();
    expect(() => webhook.verify(body, headersAt(timestamp + 1, signature))).toThrow();
    expect(() => webhook.verify(body, { ...headersAt(timestamp, signature), 'webhook-id': 'msg_other' })).toThrow();
    const otherSecret = `whsec_${randomBytes(24).toString('base64')}`;
    expect(() => new Webhook(otherSecret).verify(body, headersAt(timestamp, signature))).toThrow();
  });

  it('signs a stale timestamp that standardwebhooks then refuses as too old', () => {
    const timestamp = Math.floor(Date.now() / 1000) - 10 * 60;
    expect(() => new Webhook(SECRET).verify(body, headersAt(timestamp, signedAt(timestamp)))).toThrow(/too old/);
  });
});

describe("a result's payload (webhookPayload of its resultMessage)", () => {
  const callbackPayload = (result: JobResult, now: Date) => webhookPayload(resultMessage(result, 'k'), now);

  it('carries the type, an ISO timestamp and only the contract fields', () => {
    const now = new Date('2024-05-06T07:08:09.010Z');
    expect(callbackPayload(accepted, now)).toEqual({
      type: 'smart_connect.enable.accepted',
      timestamp: '2024-05-06T07:08:09.010Z',
      data: { status: 'accepted', project_id: PROJECT, instance_id: INSTANCE, job_id: 'job-1', connector_id: 'conn-1', source: 'queue' },
    });
  });

  it('names every status as its type and keeps the error', () => {
    const statuses: [JobResult['status'], string][] = [
      ['accepted', 'smart_connect.enable.accepted'],
      ['already_enabled', 'smart_connect.enable.already_enabled'],
      ['succeeded', 'smart_connect.enable.succeeded'],
      ['failed', 'smart_connect.enable.failed'],
      ['rejected', 'smart_connect.enable.rejected'],
    ];
    for (const [status, type] of statuses) expect(callbackPayload({ ...accepted, status }, new Date()).type).toBe(type);
    const failed = callbackPayload({ ...accepted, status: 'failed', error: { code: 'DMS.1', message: 'broken' } }, new Date());
    expect(failed.data).toEqual(expect.objectContaining({ error: { code: 'DMS.1', message: 'broken' } }));
    expect(Object.keys(failed.data)).not.toContain('retryable');
  });
});
