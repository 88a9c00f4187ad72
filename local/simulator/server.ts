// The HTTP front: every request is recorded, then an injected fault may answer for it (like a gateway
// in trouble), then the signature is checked, then DMS routes it (IAM, for paths under /v3).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isIP } from 'node:net';
import { type Answer, DMS, defaultErrorBody, unauthorized } from './errors.ts';
import { FaultQueue } from './faults.ts';
import { Account, routeIam } from './iam.ts';
import { route } from './routes.ts';
import { InstanceStore } from './state.ts';
import type { DmsSimulator, Fault, RecordedRequest, SimulatorOptions } from './types.ts';
import { decodeLenient, parseQuery, type Verdict, verifySignature } from './verify.ts';

const DEFAULT_JOB_MS = 5_000;
const DEFAULT_MAX_CLOCK_SKEW_MS = 15 * 60_000;
// Truncated JSON: what a proxy that cut the answer short delivers.
const MALFORMED_BODY = '{"job_id":"3f1c2a9e-5b7d-4e8f-9a0b';
// What a 'cut' answer announces: more than it sends before the connection closes.
const CUT_ANSWER_BYTES = 1_000;

export async function startDmsSimulator(options: SimulatorOptions): Promise<DmsSimulator> {
  // Listening needs the bare address; '[::1]' is how people write it in URLs.
  const host = (options.host ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  if (!isLoopback(host)) throw new Error(`the DMS simulator listens on loopback only, not ${host}`);
  const now = options.now ?? Date.now;
  const credentials = [...options.credentials];
  const maxClockSkewMs = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  const store = new InstanceStore(options.jobMs ?? DEFAULT_JOB_MS);
  for (const seed of options.instances ?? []) store.add(seed, now());
  const account = new Account(options.account);
  const faults = new FaultQueue();
  const delays = new Delays();
  const requests: RecordedRequest[] = [];
  // Each request's arrival and end in the order they happened (clock ticks can tie; these cannot).
  const spans = new WeakMap<RecordedRequest, { from: number; to: number }>();
  let events = 0;
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.(`${req.method} ${req.url} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent && !res.destroyed) send(res, DMS.internal(), randomUUID());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const arrived = (events += 1);
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    const [path = '/', query = ''] = splitUrl(req.url ?? '/');
    const record: RecordedRequest = {
      method,
      path,
      query,
      headers: redactHeaders(req),
      body: body.toString('utf8'),
      status: 0,
      authorized: false,
      at: now(),
      endedAt: 0,
    };
    requests.push(record);
    const span = { from: arrived, to: Number.POSITIVE_INFINITY };
    spans.set(record, span);
    // Verified on arrival, as a gateway would, even when a fault then answers instead.
    const verdict = verifySignature(
      { method, path, query, headers: req.headers, body },
      {
        credentials,
        now: record.at,
        maxClockSkewMs,
      },
    );
    record.authorized = verdict.kind === 'authorized';

    const fault = faults.take(method, path, query);
    const answer = await answerFor(fault, verdict, record);
    if (answer === 'reset' || answer === 'gone') {
      req.socket.destroy();
    } else if (answer === 'cut') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': CUT_ANSWER_BYTES });
      res.write(MALFORMED_BODY, () => req.socket.destroy());
      record.status = 200;
    } else if (!res.destroyed) {
      send(res, answer.answer, answer.requestId);
      record.status = answer.answer.status;
    }
    record.endedAt = now();
    span.to = events += 1;
    const outcome = answer === 'reset' ? 'reset' : answer === 'gone' ? 'closed' : answer === 'cut' ? 'cut' : String(record.status);
    const faultNote = fault ? ` fault=${fault.kind}` : '';
    const auth = verdict.kind === 'authorized' ? 'auth=ok' : `auth=rejected (${verdict.reason})`;
    options.log?.(`${method} ${path} -> ${outcome} ${auth}${faultNote} ${Date.now() - started}ms`);
  }

  type Outcome = { answer: Answer; requestId: string } | 'reset' | 'gone' | 'cut';

  async function answerFor(fault: Fault | undefined, verdict: Verdict, record: RecordedRequest): Promise<Outcome> {
    const requestId = randomUUID();
    // A changed list is DMS's own answer, so the gateway lets it through only when signed.
    if (!fault || fault.kind === 'list') {
      if (verdict.kind === 'denied') return { answer: unauthorized(verdict.reason, requestId), requestId };
      const segments = record.path.split('/').slice(1).map(decodeLenient);
      const routed = { method: record.method, segments, query: parseQuery(record.query), body: record.body };
      if (segments[0] === 'v3') {
        return { answer: routeIam({ ...routed, headers: record.headers, signed: verdict.signed }, { account, requestId, url }), requestId };
      }
      return { answer: route(routed, { store, now: now(), requestId, ...(fault && { listChange: fault.change }) }), requestId };
    }
    switch (fault.kind) {
      case 'status':
        return {
          answer: {
            status: fault.status,
            body: fault.body === undefined ? defaultErrorBody(fault.status, requestId) : fault.body,
            ...(fault.raw !== undefined && { raw: fault.raw }),
            ...(fault.headers && { headers: fault.headers }),
          },
          requestId,
        };
      case 'delay':
        return (await delays.wait(fault.ms)) ? answerFor(fault.then, verdict, record) : 'gone';
      case 'reset':
        return 'reset';
      case 'malformed':
        return { answer: { status: 200, body: undefined, raw: MALFORMED_BODY }, requestId };
      case 'cut':
        return 'cut';
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    requests,
    maxInFlight: (filter = () => true) => maxOverlap(requests.filter(filter).flatMap((r) => spans.get(r) ?? [])),
    inject: (rule) => faults.inject(rule),
    clearFaults: () => faults.clear(),
    chaos: (options) => faults.chaos(options),
    chaosCounts: () => faults.chaosCounts(),
    addInstance: (seed) => store.add(seed, now()),
    addProject: (seed) => account.add(seed),
    removeInstance: (instanceId) => store.remove(instanceId),
    setNextJobOutcome: (instanceId, outcome) => store.setNextOutcome(instanceId, outcome),
    instance: (instanceId) => store.view(instanceId, now()),
    acceptedEnableCalls: (instanceId) => store.acceptedEnableCalls(instanceId),
    reset() {
      requests.length = 0;
      faults.clear();
      store.resetCounters();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        delays.cancelAll();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

// The most spans open at once (one still unanswered is open to the end).
function maxOverlap(spans: readonly { from: number; to: number }[]): number {
  const edges = spans
    .flatMap(
      (span) =>
        [
          [span.from, 1],
          [span.to, -1],
        ] as const,
    )
    .sort((a, b) => a[0] - b[0]);
  let open = 0;
  let most = 0;
  for (const [, step] of edges) {
    open += step;
    most = Math.max(most, open);
  }
  return most;
}

/** Pending fault delays, cancelled together when the simulator closes. */
class Delays {
  readonly #pending = new Map<NodeJS.Timeout, (elapsed: boolean) => void>();

  /** Resolves true after `ms`, false when cancelled first. */
  wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(timer);
        resolve(true);
      }, ms);
      this.#pending.set(timer, resolve);
    });
  }

  cancelAll(): void {
    for (const [timer, resolve] of this.#pending) {
      clearTimeout(timer);
      resolve(false);
    }
    this.#pending.clear();
  }
}

function send(res: ServerResponse, answer: Answer, requestId: string): void {
  const text = answer.raw ?? JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'X-Request-Id': requestId,
    ...answer.headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

// The record is for debugging clients: it keeps which headers were signed, never the secrets.
function redactHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'authorization') out[name] = text.replace(/Signature=\S+/, 'Signature=<redacted>');
    else if (name === 'x-security-token') out[name] = '<redacted>';
    else out[name] = text;
  }
  return out;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  const v6 = host.toLowerCase();
  return v6 === '::1' || (v6.startsWith('::ffff:127.') && isIP(v6) === 6);
}
