// The local stack behind `npm start`: the built functions (dist/http, dist/queue, dist/schedule) run
// in this process behind a local HTTP API, an in-process SQS queue and a schedule tick, talking to the
// DMS simulator (or to HUAWEICLOUD_DMS_ENDPOINT), with every callback going to a local sink that
// verifies it. Everything listens on 127.0.0.1 only. Dev tooling only; never bundled into a function.
//
// The bundles read their configuration from process.env when imported (a cold start), so the stack
// writes the functions' environment into process.env, then imports them (fresh module instances for
// every stack). One stack per process at a time.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context, SQSBatchResponse, SQSEvent, ScheduledEvent } from 'aws-lambda';
import { TRACKING_QUEUE_SLOT, type SealedTrackingMessage, type TrackingTransport } from '../shared/follow/index.ts';
import { createCallbackSink, type CallbackSink } from './callback-sink.ts';
import { createHttpGateway, matchConnectorPath, writeJson, type HttpApiHandler } from './http-gateway.ts';
import { LOCAL_AWS, lambdaContext } from './lambda-context.ts';
import { startDmsSimulator, type DmsSimulator } from './simulator/index.ts';
import { createLocalQueue, type LocalQueue } from './sqs.ts';

export const DEFAULT_PORT = 3000;
/** The ids the samples in events/ use, so their bodies work against the stack as they are. */
export const DEFAULT_PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const DEFAULT_INSTANCES = [
  '5c1f3a9e-7b2d-4e8a-9f10-2a3b4c5d6e01',
  '5c1f3a9e-7b2d-4e8a-9f10-2a3b4c5d6e02',
  '5c1f3a9e-7b2d-4e8a-9f10-2a3b4c5d6e03',
] as const;
export const DEFAULT_JOB_SECONDS = 5;
export const DEFAULT_SCHEDULE_INTERVAL_SECONDS = 60;
/** The simulator's key pair: the credentials the functions get when the stack runs the simulator. */
export const LOCAL_KEY = { ak: 'LOCALSTACKAK00000001', sk: 'local-stack-sk-not-a-real-key-000000001' } as const;
export const DEFAULT_REGION = 'cn-north-4';

const HOST = '127.0.0.1';
/** CALLBACK_ALLOWED_HOSTS unless set: every port on loopback, by any of its names. */
export const LOOPBACK_HOSTS = '127.0.0.1,localhost,[::1]';
// The functions' timeouts in serverless.yml.
const TIMEOUT_MS = { http: 29_000, queue: 120_000, schedule: 300_000 } as const;
// API Gateway's payload limit; SQS's message size limit is the queue's own.
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const QUEUE_NAME = 'smart-connect-enabler-local-enable';

export interface LocalStackOptions {
  /** Default 3000; 0 picks a free port (stack.port says which). */
  port?: number;
  /** The simulator's project, default DEFAULT_PROJECT_ID. */
  projectId?: string;
  /** The simulator's instances (pay-per-use, RUNNING, connector off), default DEFAULT_INSTANCES. */
  instances?: readonly string[];
  /** How long the simulator's enable jobs run, default 5. */
  jobSeconds?: number;
  /** The schedule tick's period when SCHEDULE_TARGETS is set, default 60. */
  scheduleIntervalSeconds?: number;
  /** The queue's visibility timeout (default 120000, at least the queue function's 120 s timeout). */
  queueVisibilityTimeoutMs?: number;
  /** Receives before a failing queue message is dead-lettered, default 5 (as serverless.yml). */
  queueMaxReceiveCount?: number;
  /** Where the built bundles are, default <repository>/dist. */
  distDir?: string;
  /** The stack's own lines (the functions' JSON logs go to stdout as they are); default stdout. */
  print?: (line: string) => void;
}

export interface LocalStack {
  readonly url: string;
  readonly port: number;
  readonly projectId: string;
  readonly instances: readonly string[];
  /** The DMS endpoint the functions call. */
  readonly dmsEndpoint: string;
  /** Undefined when HUAWEICLOUD_DMS_ENDPOINT and credentials came from the environment. */
  readonly simulator: DmsSimulator | undefined;
  readonly queue: LocalQueue;
  readonly callbacks: CallbackSink;
  readonly secret: { readonly origin: 'environment' | 'generated'; readonly value: string };
  /** The start-up text (URLs, ids, curl commands), without the ready line. */
  readonly banner: string;
  close(): Promise<void>;
}

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

let running = false;
let generation = 0;

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (running) throw new Error('a local stack is already running in this process (the functions share process.env)');
  running = true;
  const env = process.env;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const distDir = options.distDir ?? fileURLToPath(new URL('../dist/', import.meta.url));
  const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
  const instances = [...(options.instances ?? DEFAULT_INSTANCES)];
  const jobSeconds = options.jobSeconds ?? DEFAULT_JOB_SECONDS;
  const scheduleIntervalSeconds = options.scheduleIntervalSeconds ?? DEFAULT_SCHEDULE_INTERVAL_SECONDS;

  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch {
        // Closing what is left matters more than one failure to close.
      }
    }
    running = false;
  };

  try {
    for (const name of ['http', 'queue', 'schedule']) {
      const file = `${distDir}${name}/index.mjs`;
      if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
    }

    // Which DMS: the environment's endpoint with its credentials, else the simulator.
    const externalEndpoint = env.HUAWEICLOUD_DMS_ENDPOINT?.trim();
    const externalAk = (env.HUAWEICLOUD_SDK_AK ?? env.CLOUD_SDK_AK)?.trim();
    const externalSk = (env.HUAWEICLOUD_SDK_SK ?? env.CLOUD_SDK_SK)?.trim();
    const external = Boolean(externalEndpoint);
    if (external && !(externalAk && externalSk)) {
      throw new Error('HUAWEICLOUD_DMS_ENDPOINT is set but HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK are not: set both to use that endpoint, or unset it to use the DMS simulator');
    }

    // The one server, listening first: with PORT=0 the port names the callback URL and allowed hosts.
    const ready = deferred();
    const routes: { handle?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void> } = {};
    const sockets = new Set<Socket>();
    const server = createServer((req, res) => {
      void serve(req, res, ready.promise, routes, print);
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_PORT, HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        }),
    );
    const port = (server.address() as AddressInfo).port;
    const url = `http://${HOST}:${port}`;
    const sinkUrl = `${url}/callbacks`;

    let simulator: DmsSimulator | undefined;
    if (!external) {
      simulator = await startDmsSimulator({
        host: HOST,
        credentials: [{ ...LOCAL_KEY }],
        instances: instances.map((instanceId) => ({ projectId, instanceId })),
        jobMs: Math.round(jobSeconds * 1000),
      });
      const sim = simulator;
      cleanups.push(() => sim.close());
    }
    const dmsEndpoint = simulator?.url ?? externalEndpoint ?? '';

    // The functions' environment.
    const secretFromEnv = env.CALLBACK_SECRET?.trim();
    const secret = secretFromEnv
      ? { origin: 'environment' as const, value: secretFromEnv }
      : { origin: 'generated' as const, value: `whsec_${randomBytes(32).toString('base64')}` };
    env.HUAWEICLOUD_REGION = env.HUAWEICLOUD_REGION?.trim() || DEFAULT_REGION;
    if (simulator) {
      env.HUAWEICLOUD_DMS_ENDPOINT = simulator.url;
      env.HUAWEICLOUD_SDK_AK = LOCAL_KEY.ak;
      env.HUAWEICLOUD_SDK_SK = LOCAL_KEY.sk;
      for (const name of ['CLOUD_SDK_AK', 'CLOUD_SDK_SK', 'HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HUAWEICLOUD_CREDENTIALS_SECRET']) delete env[name];
    }
    const callbackUrlFromEnv = env.CALLBACK_URL?.trim();
    env.CALLBACK_URL = callbackUrlFromEnv || sinkUrl;
    env.CALLBACK_SECRET = secret.value;
    const allowedFromEnv = env.CALLBACK_ALLOWED_HOSTS?.trim();
    // Any port on loopback: a developer's own receiver runs beside the stack, on a port of its own.
    env.CALLBACK_ALLOWED_HOSTS = allowedFromEnv || LOOPBACK_HOSTS;

    // Tracking messages go to the local queue (the seam the bundles look for at their cold start),
    // sealed by the bundle that sends them, as on SQS.
    let queue: LocalQueue | undefined;
    const tracking: TrackingTransport = {
      async send(message: SealedTrackingMessage, delaySeconds: number) {
        if (!queue) throw new Error('the local queue is not running');
        queue.send(JSON.stringify(message), { delaySeconds: Math.max(0, Math.min(900, Math.round(delaySeconds))) });
      },
    };
    const slots = globalThis as Record<symbol, unknown>;
    slots[TRACKING_QUEUE_SLOT] = tracking;
    cleanups.push(() => {
      if (slots[TRACKING_QUEUE_SLOT] === tracking) delete slots[TRACKING_QUEUE_SLOT];
    });

    // A cold start each: a query string makes every stack's import a fresh module instance.
    generation += 1;
    const load = async <T>(name: string): Promise<T> =>
      ((await import(`${pathToFileURL(`${distDir}${name}/index.mjs`).href}?stack=${generation}`)) as { handler: T }).handler;
    const httpHandler = await load<HttpApiHandler>('http');
    const queueHandler = await load<Handler<SQSEvent, SQSBatchResponse>>('queue');
    const scheduleHandler = await load<Handler<unknown, unknown>>('schedule');

    const callbacks = createCallbackSink({ secret: secret.value, log: print });
    const gateway = createHttpGateway({ handler: httpHandler, functionName: 'smart-connect-enabler-local-http', timeoutMs: TIMEOUT_MS.http, log: print });
    const localQueue = createLocalQueue({
      name: QUEUE_NAME,
      handler: queueHandler,
      functionName: 'smart-connect-enabler-local-queue',
      functionTimeoutMs: TIMEOUT_MS.queue,
      visibilityTimeoutMs: options.queueVisibilityTimeoutMs ?? TIMEOUT_MS.queue,
      maxReceiveCount: options.queueMaxReceiveCount ?? 5,
      maxConcurrency: 5,
      log: print,
    });
    queue = localQueue;
    localQueue.start();
    // Invocations under way get a few seconds to end; the queue's messages go with the process.
    cleanups.push(() => Promise.race([localQueue.stop(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]).then(() => {}));

    const runSchedule = (event: unknown) =>
      scheduleHandler(event, lambdaContext({ functionName: 'smart-connect-enabler-local-schedule', timeoutMs: TIMEOUT_MS.schedule }));

    // The tick: what EventBridge sends a rule's target, without input (the function uses SCHEDULE_TARGETS).
    const scheduleTargets = env.SCHEDULE_TARGETS?.trim();
    if (scheduleTargets) {
      let ticking = false;
      const tick = setInterval(() => {
        if (ticking) return;
        ticking = true;
        runSchedule(scheduledEvent())
          .then(
            (summary) => print(`schedule tick: ${JSON.stringify(countsOf(summary))}`),
            (error: unknown) => print(`schedule tick failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`),
          )
          .finally(() => {
            ticking = false;
          });
      }, scheduleIntervalSeconds * 1000);
      cleanups.push(() => clearInterval(tick));
    }

    routes.handle = async (req, res, body) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (matchConnectorPath(path)) return gateway.handle(req, res, body);
      if (path === '/queue' && req.method === 'POST') return void sendToQueue(req, res, body, localQueue);
      if (path === '/queue' && req.method === 'GET') return void writeJson(res, 200, queueState(localQueue));
      if (path === '/schedule' && req.method === 'POST') return scheduleNow(res, body, runSchedule);
      if (path === '/callbacks' && req.method === 'POST') return void callbacks.receive(req, res, body);
      if (path === '/callbacks' && req.method === 'GET') return void callbacks.list(req, res);
      const allow = path === '/queue' || path === '/callbacks' ? 'GET, POST' : path === '/schedule' ? 'POST' : undefined;
      if (allow) return void writeJson(res, 405, { error_code: 'METHOD_NOT_ALLOWED', error_msg: `${req.method} is not allowed; use ${allow}` }, { allow });
      writeJson(res, 404, {
        error_code: 'NOT_FOUND',
        error_msg: `no route for ${req.method} ${path}; routes: POST /v2/{project_id}/instances/{instance_id}/connector, POST|GET /queue, POST /schedule, POST|GET /callbacks`,
      });
    };
    ready.resolve();

    const banner = bannerText({
      url,
      dmsEndpoint,
      simulated: Boolean(simulator),
      jobSeconds,
      region: env.HUAWEICLOUD_REGION,
      projectId,
      instances,
      secret,
      callbackUrl: env.CALLBACK_URL,
      callbackUrlFromEnv: Boolean(callbackUrlFromEnv),
      allowedHosts: env.CALLBACK_ALLOWED_HOSTS,
      allowedFromEnv: Boolean(allowedFromEnv),
      scheduleIntervalSeconds: scheduleTargets ? scheduleIntervalSeconds : undefined,
    });

    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      projectId,
      instances,
      dmsEndpoint,
      simulator,
      queue: localQueue,
      callbacks,
      secret,
      banner,
      close: () => (closing ??= cleanUp()),
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  ready: Promise<void>,
  routes: { handle?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void> },
  print: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  // Callbacks print their own line; GETs are what tests and people poll.
  if (req.method !== 'GET' && path !== '/callbacks') {
    res.once('finish', () => print(`${req.method} ${path} -> ${res.statusCode} (${Date.now() - started} ms)`));
  }
  try {
    const body = await readBody(req);
    if (body === undefined) {
      writeJson(res, 413, { error_code: 'PAYLOAD_TOO_LARGE', error_msg: `the body is larger than ${MAX_BODY_BYTES} bytes` });
      return;
    }
    await ready;
    await routes.handle?.(req, res, body);
  } catch (error) {
    print(`${req.method} ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
    if (!res.headersSent) writeJson(res, 500, { error_code: 'INTERNAL_ERROR', error_msg: 'the local stack failed to answer' });
    else res.destroy();
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendToQueue(req: IncomingMessage, res: ServerResponse, body: Buffer, queue: LocalQueue): void {
  const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
  const delay = query.get('delay_seconds');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  try {
    const messageId = queue.send(text, delay === null ? {} : { delaySeconds: Number(delay) });
    writeJson(res, 202, { message_id: messageId });
  } catch (error) {
    writeJson(res, 400, { error_code: 'INVALID_MESSAGE', error_msg: error instanceof Error ? error.message : String(error) });
  }
}

function queueState(queue: LocalQueue): unknown {
  return {
    name: queue.name,
    arn: queue.arn,
    pending: queue.pending(),
    in_flight: queue.inFlight(),
    dead_letters: queue.deadLetters(),
    deliveries: queue.deliveries,
  };
}

async function scheduleNow(res: ServerResponse, body: Buffer, run: (event: unknown) => Promise<unknown>): Promise<void> {
  let input: unknown = {};
  const text = body.toString('utf8').trim();
  if (text) {
    try {
      input = JSON.parse(text);
    } catch {
      writeJson(res, 400, { error_code: 'INVALID_JSON', error_msg: 'the body is not valid JSON (expected {"targets": [...]} or nothing)' });
      return;
    }
  }
  try {
    writeJson(res, 200, await run(input));
  } catch (error) {
    // What Lambda reports for a failed invocation: the error's type and message.
    writeJson(res, 500, {
      error_code: error instanceof Error ? error.name : 'Error',
      error_msg: error instanceof Error ? error.message : String(error),
    });
  }
}

function scheduledEvent(): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_AWS.accountId,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_AWS.region,
    resources: [`arn:aws:events:${LOCAL_AWS.region}:${LOCAL_AWS.accountId}:rule/smart-connect-enabler-local-schedule`],
    detail: {},
  };
}

function countsOf(summary: unknown): unknown {
  if (typeof summary !== 'object' || summary === null) return summary;
  const { targets, counts } = summary as { targets?: unknown; counts?: unknown };
  return { targets, counts };
}

interface BannerFacts {
  url: string;
  dmsEndpoint: string;
  simulated: boolean;
  jobSeconds: number;
  region: string;
  projectId: string;
  instances: readonly string[];
  secret: { origin: 'environment' | 'generated'; value: string };
  callbackUrl: string;
  callbackUrlFromEnv: boolean;
  allowedHosts: string;
  allowedFromEnv: boolean;
  scheduleIntervalSeconds: number | undefined;
}

function bannerText(f: BannerFacts): string {
  const project = f.simulated ? f.projectId : '<project_id>';
  const [first = '<instance_id>', second = first, third = second] = f.simulated ? f.instances : [];
  const sink = `${f.url}/callbacks`;
  const json = (value: unknown) => `'${JSON.stringify(value)}'`;
  const lines = [
    'Smart Connect enabler: local stack (the built functions from dist/; run npm run build after a change)',
    `  HTTP API    POST ${f.url}/v2/{project_id}/instances/{instance_id}/connector`,
    `  queue       POST ${f.url}/queue (body: one message body; ?delay_seconds=N)   GET ${f.url}/queue (pending, in flight, dead letters)`,
    `  schedule    POST ${f.url}/schedule (body: {"targets": [...]}, or nothing for SCHEDULE_TARGETS)`,
    `              ${f.scheduleIntervalSeconds ? `tick every ${f.scheduleIntervalSeconds} s with SCHEDULE_TARGETS` : 'no tick (set SCHEDULE_TARGETS for one every SCHEDULE_INTERVAL_SECONDS, default 60)'}`,
    `  callbacks   POST ${sink} (verified with standardwebhooks)   GET ${sink} (what arrived)`,
    f.simulated
      ? `  DMS         ${f.dmsEndpoint} (simulator; enable jobs take ${f.jobSeconds} s; AK ${LOCAL_KEY.ak})`
      : `  DMS         ${f.dmsEndpoint} (HUAWEICLOUD_DMS_ENDPOINT, with the credentials from the environment)`,
    `  region      ${f.region}`,
    ...(f.simulated ? [`  project     ${f.projectId}`, ...f.instances.map((id, i) => `  ${i === 0 ? 'instances  ' : '           '} ${id}`)] : []),
    `  secret      ${
      f.secret.origin === 'environment'
        ? 'CALLBACK_SECRET from the environment'
        : `generated for this session (set CALLBACK_SECRET to choose one): ${f.secret.value}`
    }`,
    `  callback    ${f.callbackUrl}${f.callbackUrlFromEnv ? ' (CALLBACK_URL from the environment)' : ' (the default for requests without callback_url)'}`,
    `  allowed     ${f.allowedHosts}${f.allowedFromEnv ? ' (CALLBACK_ALLOWED_HOSTS from the environment)' : ' (callbacks to any port on these hosts, plain http allowed)'}`,
    '',
    'Try:',
    '  # enable over HTTP: 202 accepted, then 200 already_enabled when asked again',
    `  curl -sS -X POST ${f.url}/v2/${project}/instances/${first}/connector -H 'content-type: application/json' -d ${json({ callback_url: sink })}`,
    '  # the same through the queue: 202 {message_id}, the result arrives as a callback',
    `  curl -sS -X POST ${f.url}/queue -d ${json({ project_id: project, instance_id: second, callback_url: sink })}`,
    '  # run the schedule function now',
    `  curl -sS -X POST ${f.url}/schedule -d ${json({ targets: [{ project_id: project, instance_id: third }] })}`,
    '  # list the callbacks received (accepted now, succeeded once the job has ended)',
    `  curl -sS ${sink}`,
    '',
    'Ctrl-C stops the stack.',
  ];
  return lines.join('\n');
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
