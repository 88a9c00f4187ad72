// deliverCallback, through the callback room's face (reportResult), against real node:http
// receivers on 127.0.0.1. Signatures are checked with the standardwebhooks package. Only loopback
// may ever be contacted: every socket connect in this file goes through a guard that refuses any
// other address, so a regression fails here instead of reaching the network (or a metadata service).
import { randomBytes } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Logger, deadlineIn, silentLogger } from '../../shared/runtime/index.ts';
import type { JobResult } from '../../shared/result/index.ts';
import { reportResult, type Resolve, type CallbackDestination, type ReportOptions } from '../../shared/callback/index.ts';
import { checkCallbackText } from '../support/callback-check.ts';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const SECRET_KEY_PART = SECRET.slice('whsec_'.length);

const result: JobResult = {
  status: 'succeeded',
  project_id: '0123456789abcdef0123456789abcdef',
  instance_id: '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b',
  job_id: 'job-42',
  connector_id: 'conn-42',
  source: 'queue',
};

// ---- loopback-only guard over every client socket -------------------------------------------

const isLoopback = (address: string) => /^127\./.test(address) || address === '::1' || /^::ffff:127\./i.test(address);

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;
const socketProto = net.Socket.prototype as unknown as { connect: Connect };
const originalConnect = socketProto.connect;
let connectCalls = 0;

function loopbackOnlyLookup(inner: LookupFunction): LookupFunction {
  return (hostname, options, callback) =>
    inner(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const addresses = typeof address === 'string' ? [address] : address.map((entry) => entry.address);
      if (!addresses.every(isLoopback)) return callback(new Error(`test guard: ${hostname} is not loopback`), '');
      return callback(null, address, family);
    });
}

beforeAll(() => {
  socketProto.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    connectCalls += 1;
    // net.connect passes its normalised [options, callback] array; tls.connect passes options.
    const first = args[0];
    const options = (Array.isArray(first) ? first[0] : first) as net.TcpNetConnectOpts | undefined;
    // node:http passes path: null for TCP; only a string path is a Unix socket, exempt here.
    if (options && typeof options === 'object' && typeof (options as { path?: unknown }).path !== 'string') {
      const host = options.host ?? 'localhost';
      if (net.isIP(host) !== 0 && !isLoopback(host)) throw new Error(`test guard: refusing to connect to ${host}`);
      options.lookup = loopbackOnlyLookup(options.lookup ?? (dnsLookup as LookupFunction));
    }
    return originalConnect.apply(this, args);
  };
});
afterAll(() => {
  socketProto.connect = originalConnect;
});

// ---- receivers ------------------------------------------------------------------------------

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

interface Receiver {
  readonly port: number;
  readonly host: string;
  readonly url: string;
  readonly received: Received[];
  connections: number;
  close(): Promise<void>;
}

const servers: Server[] = [];

async function receiver(answer: (res: ServerResponse, index: number) => void = (res) => res.end('ok')): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      answer(res, received.length);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const r: Receiver = {
    port,
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/hooks/smart-connect?tenant=t1`,
    received,
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('connection', () => {
    r.connections += 1;
  });
  return r;
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          if (!server.listening) return resolve();
          server.close(() => resolve());
        }),
    ),
  );
});

type LogFields = Parameters<Logger['child']>[0];

function captureLogger(lines: string[], fields: LogFields = {}): Logger {
  // No redaction here, unlike createJsonLogger: a leak must show up, not be masked.
  const emit =
    (level: string) =>
    (message: string, extra: LogFields = {}) => {
      lines.push(JSON.stringify({ level, message, ...fields, ...extra }));
    };
  return { info: emit('INFO'), warn: emit('WARN'), error: emit('ERROR'), child: (more) => captureLogger(lines, { ...fields, ...more }) };
}

function options(extra: Partial<ReportOptions> = {}): ReportOptions {
  return { deadline: deadlineIn(15_000), secret: SECRET, dedupeKey: 'sqs-message-1', logger: silentLogger, allowedHosts: [], ...extra };
}

/** The destination the check makes of a URL (once per request, as the use cases do). */
async function destinationOf(url: string, allowedHosts: readonly string[], resolve?: Resolve): Promise<CallbackDestination> {
  const check = await checkCallbackText(url, { allowedHosts, deadline: deadlineIn(5_000), resolve });
  if (check.kind !== 'passed') throw new Error(`${url} was refused: ${check.reason}`);
  return check.destination;
}

/** Checks the URL, then delivers to the destination (the delivery's resolver is the socket's). */
async function deliver(url: string, allowedHosts: readonly string[], extra: Partial<ReportOptions> = {}) {
  return reportResult(await destinationOf(url, allowedHosts, extra.resolve), result, options({ allowedHosts, ...extra }));
}

function verify(r: Received) {
  return new Webhook(SECRET).verify(r.body, {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  });
}

// ---- delivery -------------------------------------------------------------------------------

describe('deliverCallback to a loopback receiver', () => {
  it('delivers a Standard Webhooks message that standardwebhooks verifies', async () => {
    const rx = await receiver((res) => res.writeHead(204).end());
    const before = connectCalls;
    const outcome = await deliver(rx.url, [rx.host]);
    expect(connectCalls).toBe(before + 1); // the loopback guard is in the path

    expect(outcome).toMatchObject({ kind: 'delivered', status: 204, attempts: 1 });
    expect(rx.received).toHaveLength(1);
    const [message] = rx.received;
    if (!message) throw new Error('nothing received');
    expect(message.headers['content-type']).toBe('application/json');
    expect(message.headers['user-agent']).toMatch(/smart-connect/);
    expect(message.headers['webhook-id']).toBe(outcome.webhookId);
    expect(Number(message.headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -1);
    expect(verify(message)).toEqual({
      type: 'smart_connect.enable.succeeded',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: {
        status: 'succeeded',
        project_id: result.project_id,
        instance_id: result.instance_id,
        job_id: 'job-42',
        connector_id: 'conn-42',
        source: 'queue',
      },
    });
  });

  it('sends the id and timestamp but no signature when no secret is configured', async () => {
    const rx = await receiver();
    const outcome = await deliver(rx.url, [rx.host], { secret: undefined });
    expect(outcome).toMatchObject({ kind: 'delivered', status: 200 });
    const headers = rx.received[0]?.headers;
    expect(headers?.['webhook-id']).toBe(outcome.webhookId);
    expect(headers?.['webhook-timestamp']).toMatch(/^\d+$/);
    expect(headers?.['webhook-signature']).toBeUndefined();
  });

  it('resolves an allowed name through the injected resolver and delivers', async () => {
    const rx = await receiver();
    const resolve = async (hostname: string) => (hostname === 'receiver.test' ? ['127.0.0.1'] : []);
    const outcome = await deliver(`http://receiver.test:${rx.port}/cb`, [`receiver.test:${rx.port}`], { resolve });
    expect(outcome).toMatchObject({ kind: 'delivered', attempts: 1 });
    expect(rx.received[0]?.headers.host).toBe(`receiver.test:${rx.port}`);
  });

  it('retries 503 twice and delivers on attempt 3 with the same id and body each time', async () => {
    const rx = await receiver((res, n) => res.writeHead(n <= 2 ? 503 : 200).end());
    const outcome = await deliver(rx.url, [rx.host]);

    expect(outcome).toMatchObject({ kind: 'delivered', status: 200, attempts: 3 });
    expect(rx.received).toHaveLength(3);
    expect(new Set(rx.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([outcome.webhookId]));
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);
    for (const message of rx.received) expect(() => verify(message)).not.toThrow();
  });

  it('waits as Retry-After says after a 429', async () => {
    const rx = await receiver((res, n) => (n === 1 ? res.writeHead(429, { 'retry-after': '1' }).end() : res.end('ok')));
    const outcome = await deliver(rx.url, [rx.host]);

    expect(outcome).toMatchObject({ kind: 'delivered', attempts: 2 });
    const [first, second] = rx.received;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('does not follow a 302, even to another allowed loopback receiver', async () => {
    const elsewhere = await receiver();
    const rx = await receiver((res) => res.writeHead(302, { location: elsewhere.url }).end());
    const outcome = await deliver(rx.url, [rx.host, elsewhere.host]);

    expect(outcome).toMatchObject({ kind: 'undelivered', attempts: 1, retryable: false, error: { code: 'CALLBACK_REDIRECT_REFUSED' } });
    expect(rx.received).toHaveLength(1);
    expect(elsewhere.connections).toBe(0);
  });

  it('does not retry other 4xx answers', async () => {
    const rx = await receiver((res) => res.writeHead(400).end());
    const outcome = await deliver(rx.url, [rx.host]);
    expect(outcome).toMatchObject({ kind: 'undelivered', attempts: 1, retryable: false, error: { code: 'CALLBACK_REFUSED' } });
    expect(outcome.kind === 'delivered' || outcome.error.message).toMatch(/400/);
  });

  it('reports a receiver that is down as retryable after maxAttempts', async () => {
    const rx = await receiver();
    await rx.close();
    const outcome = await deliver(rx.url, [rx.host], { maxAttempts: 3 });
    expect(outcome).toMatchObject({ kind: 'undelivered', attempts: 3, retryable: true, error: { code: 'CALLBACK_FAILED' } });
    expect(outcome.kind === 'delivered' || outcome.error.message).toMatch(/ECONNREFUSED/);
  });

  it('reports the last status when retries run out', async () => {
    const rx = await receiver((res) => res.writeHead(502).end());
    const outcome = await deliver(rx.url, [rx.host], { maxAttempts: 2 });
    expect(outcome).toMatchObject({ kind: 'undelivered', attempts: 2, retryable: true });
    expect(outcome.kind === 'delivered' || outcome.error.message).toMatch(/502/);
  });

  it('returns by the deadline when the receiver is slower than it', async () => {
    const rx = await receiver((res) => setTimeout(() => res.end('late'), 3_000).unref());
    const started = Date.now();
    const outcome = await deliver(rx.url, [rx.host], { deadline: deadlineIn(400) });
    const elapsed = Date.now() - started;

    expect(outcome).toMatchObject({ kind: 'undelivered', retryable: true, error: { code: 'CALLBACK_FAILED' } });
    expect(elapsed).toBeLessThan(400 + 250);
  });

  it('keeps the callback secret out of log lines and outcomes', async () => {
    const lines: string[] = [];
    const logger = captureLogger(lines);
    const failing = await receiver((res) => res.writeHead(503).end());
    const ok = await receiver();
    const outcomes = [
      await deliver(failing.url, [failing.host], { logger, maxAttempts: 2 }),
      await deliver(ok.url, [ok.host], { logger }),
      await checkCallbackText('https://10.0.0.1/', { allowedHosts: [], deadline: deadlineIn(1_000) }),
      await checkCallbackText('http://127.0.0.1:1/', { allowedHosts: [], deadline: deadlineIn(1_000) }),
    ];

    expect(lines.length).toBeGreaterThan(0);
    const everything = [...lines, JSON.stringify(outcomes), ...ok.received.map((r) => r.body)].join('\n');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(SECRET_KEY_PART);
    expect(everything).not.toMatch(/whsec_/);
    // Only the host is logged: the path and query string may carry the receiver's own token.
    expect(everything).not.toContain('tenant=t1');
  });
});

// ---- refusals: nothing is sent, no socket is even opened -------------------------------------

describe('refusals', () => {
  it.each([
    ['the metadata URL over http', 'http://169.254.169.254/latest/meta-data'],
    ['the metadata URL over https', 'https://169.254.169.254/latest/meta-data'],
    ['a private address', 'https://10.0.0.1/'],
    ['loopback written as a number', 'https://2130706433/'],
    ['an IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/'],
    ['an IPv4-translated metadata address', 'https://[::ffff:0:a9fe:a9fe]/'],
    ['an address outside 2000::/3', 'https://[4000::1]/'],
    ['credentials in the URL', 'https://user:pass@example.com/'],
    ['not a URL', 'callback please'],
  ])('the check refuses %s without resolving anything', async (_name, url) => {
    const resolve = async () => {
      throw new Error('no name may be resolved for this URL');
    };
    const check = await checkCallbackText(url, { allowedHosts: [], deadline: deadlineIn(5_000), resolve });
    expect(check).toMatchObject({ kind: 'refused' });
  });

  it('the check refuses a name that is not allowed and resolves to 127.0.0.1, naming it', async () => {
    const check = await checkCallbackText('https://sneaky.example:8443/', {
      allowedHosts: [],
      deadline: deadlineIn(5_000),
      resolve: async () => ['127.0.0.1'],
    });
    expect(check).toMatchObject({ kind: 'refused', reason: expect.stringContaining('sneaky.example') });
  });

  it('refuses a name whose address changes to loopback between the check and the connection', async () => {
    const rx = await receiver();
    let lookups = 0;
    // First answer (the check) is public, every later one (the socket's own lookup) is loopback.
    const resolve = async () => (++lookups === 1 ? ['93.184.216.34'] : ['127.0.0.1']);
    const outcome = await deliver(`https://rebind.example:${rx.port}/`, [], { resolve });
    expect(outcome).toMatchObject({ kind: 'undelivered', attempts: 1, retryable: false, error: { code: 'CALLBACK_URL_REFUSED' } });
    expect(lookups).toBe(2);
    expect(rx.connections).toBe(0);
  });

  it('looks the name up once at check time and once per connection, not again in between', async () => {
    const rx = await receiver();
    const asked: string[] = [];
    const resolve = async (hostname: string) => {
      asked.push(hostname);
      return ['127.0.0.1'];
    };
    const outcome = await deliver(`http://receiver.test:${rx.port}/cb`, ['receiver.test'], { resolve });
    expect(outcome).toMatchObject({ kind: 'delivered', attempts: 1 });
    // Allow-listed: the check resolves nothing; the one lookup is the socket's.
    expect(asked).toEqual(['receiver.test']);
  });

  it('reports a connect-time lookup that outlives the deadline as undelivered, by the deadline', async () => {
    const destination = await destinationOf('https://slow.example/', [], async () => ['93.184.216.34']);
    const outcome = await reportResult(destination, result, options({ deadline: deadlineIn(300), resolve: () => new Promise(() => {}) }));
    expect(outcome).toMatchObject({
      kind: 'undelivered',
      retryable: true,
      error: { code: 'CALLBACK_FAILED', message: expect.stringMatching(/did not resolve within/) },
    });
  });

  it('refuses plain http to a loopback port that is not the allowed one', async () => {
    const rx = await receiver();
    const check = await checkCallbackText(rx.url, { allowedHosts: [`127.0.0.1:${rx.port + 1}`], deadline: deadlineIn(5_000) });
    expect(check).toMatchObject({ kind: 'refused' });
    expect(rx.connections).toBe(0);
  });

  it('allows plain http to any port of a host listed without one', async () => {
    const rx = await receiver();
    const outcome = await deliver(rx.url, ['127.0.0.1']);
    expect(outcome).toMatchObject({ kind: 'delivered', attempts: 1 });
  });
});
