// The local stack behind `npm start`: the built functions (dist/http, dist/queue, dist/schedule) run
// in this process behind a local HTTP API, an in-process SQS queue and a schedule tick, talking to the
// DMS simulator, which serves IAM too (or to HUAWEICLOUD_DMS_ENDPOINT), with every callback going to
// a local sink that verifies it. Everything listens on 127.0.0.1 only. Dev tooling only; never bundled into a function.
//
// The bundles read their configuration from process.env when imported (a cold start), so the stack
// writes the functions' environment into process.env, then loads them (fresh module instances for
// every stack) and makes each handler with the local queue as its tracking queue and its enable queue
// (as in AWS, where one queue carries both), its metric lines on stdout. One stack per process at a time.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { assertBuilt, FUNCTION_TIMEOUT_MS, functionContext, invokeWithTimeout, loadHandler, LOCAL_QUEUE_NAME, type Handler } from '../hosting/index.ts';
import { startDmsSimulator, type DmsSimulator, type FleetSeed } from '../simulator/index.ts';
import { createLocalQueue, queueSender, type LocalQueue } from '../sqs/index.ts';
import { bannerText } from './banner.ts';
import { createCallbackSink, type CallbackSink } from './callback-sink.ts';
import { DEFAULT_INSTANCES, DEFAULT_JOB_SECONDS, DEFAULT_PORT, DEFAULT_PROJECT_ID, DEFAULT_SCHEDULE_INTERVAL_SECONDS, HOST, LOCAL_KEY } from './defaults.ts';
import { externalDmsEndpoint, writeFunctionEnvironment, type CallbackSecret } from './environment.ts';
import { createHttpGateway, type HttpApiHandler } from './http-gateway.ts';
import { stackRouter } from './router.ts';
import { startScheduleTick } from './schedule-tick.ts';
import { stackSeeds } from './seeds.ts';
import { startStackServer } from './server.ts';

export interface LocalStackOptions {
  /** Default 3000; 0 picks a free port (stack.port says which). */
  port?: number;
  /** The simulator's project, default DEFAULT_PROJECT_ID. */
  projectId?: string;
  /**
   * The simulator's instances (pay-per-use, RUNNING, connector off), default DEFAULT_INSTANCES; a
   * small mixed fleet is seeded beside them (seeds.ts).
   */
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
  /** The mixed fleet seeded beside `instances`; none without the simulator. */
  readonly fleet: readonly FleetSeed[];
  /** The DMS endpoint the functions call. */
  readonly dmsEndpoint: string;
  /** Undefined when HUAWEICLOUD_DMS_ENDPOINT and credentials came from the environment. */
  readonly simulator: DmsSimulator | undefined;
  readonly queue: LocalQueue;
  readonly callbacks: CallbackSink;
  readonly secret: CallbackSecret;
  /** The start-up text (URLs, ids, curl commands), without the ready line. */
  readonly banner: string;
  close(): Promise<void>;
}

let running = false;

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (running) throw new Error('a local stack is already running in this process (the functions share process.env)');
  running = true;
  const env = process.env;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
  const instances = [...(options.instances ?? DEFAULT_INSTANCES)];
  const jobSeconds = options.jobSeconds ?? DEFAULT_JOB_SECONDS;
  const scheduleIntervalSeconds = options.scheduleIntervalSeconds ?? DEFAULT_SCHEDULE_INTERVAL_SECONDS;

  // Closed last to first; closing what is left matters more than one failure to close.
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse())
      await Promise.resolve()
        .then(cleanup)
        .catch(() => {});
    running = false;
  };

  try {
    assertBuilt(options.distDir);
    const externalEndpoint = externalDmsEndpoint(env);
    const server = await startStackServer({ port: options.port ?? DEFAULT_PORT, print });
    cleanups.push(() => server.close());

    let simulator: DmsSimulator | undefined;
    const seeds = stackSeeds({ projectId, instances });
    if (!externalEndpoint) {
      const sim = await startDmsSimulator({
        host: HOST,
        credentials: [{ ...LOCAL_KEY }],
        instances: [...seeds.ready, ...seeds.fleet, ...seeds.elsewhere],
        account: seeds.account,
        jobMs: Math.round(jobSeconds * 1000),
      });
      simulator = sim;
      cleanups.push(() => sim.close());
    }
    const dmsEndpoint = simulator?.url ?? externalEndpoint ?? '';
    const fleet = simulator ? seeds.fleet : [];
    const sinkUrl = `${server.url}/callbacks`;
    const written = writeFunctionEnvironment(env, { simulatorUrl: simulator?.url, sinkUrl });

    // The queue first: the functions get it as their tracking queue (each message sealed by the
    // function that sends it) and as the enable queue fleet runs fan out to, and it delivers to the
    // queue function once that is loaded.
    let queueFunction: Handler<SQSEvent, SQSBatchResponse> = async () => {
      throw new Error('the queue function is not loaded yet');
    };
    const queue = createLocalQueue({
      name: LOCAL_QUEUE_NAME,
      handler: (event, context) => queueFunction(event, context),
      visibilityTimeoutMs: options.queueVisibilityTimeoutMs ?? FUNCTION_TIMEOUT_MS.queue,
      maxReceiveCount: options.queueMaxReceiveCount ?? 5,
      maxConcurrency: 5,
      log: print,
    });
    const sender = queueSender(queue);
    // The functions' metric lines go where their JSON logs go, stdout, as in Lambda's log.
    const metrics = (line: string) => void process.stdout.write(`${line}\n`);
    const load = { distDir: options.distDir, fresh: true, host: { trackingQueue: sender, enableQueue: sender, metrics } };
    const httpHandler = await loadHandler<HttpApiHandler>('http', load);
    queueFunction = await loadHandler<Handler<SQSEvent, SQSBatchResponse>>('queue', load);
    const scheduleHandler = await loadHandler<Handler<unknown, unknown>>('schedule', load);
    const callbacks = createCallbackSink({ secret: written.secret.value, log: print });
    const gateway = createHttpGateway({ handler: httpHandler, log: print });
    queue.start();
    // Invocations under way get a few seconds to end; the queue's messages go with the process.
    cleanups.push(() => Promise.race([queue.stop(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]).then(() => {}));

    const runSchedule = (event: unknown) =>
      invokeWithTimeout({ handler: scheduleHandler, event, context: functionContext('schedule'), timeoutMs: FUNCTION_TIMEOUT_MS.schedule });
    const scheduleTargets = Boolean(env.SCHEDULE_TARGETS?.trim());
    if (scheduleTargets) cleanups.push(startScheduleTick({ intervalSeconds: scheduleIntervalSeconds, run: runSchedule, print }));

    server.serve(stackRouter({ gateway, queue, callbacks, runSchedule }));

    const banner = bannerText({
      url: server.url,
      dmsEndpoint,
      simulated: Boolean(simulator),
      jobSeconds,
      region: env.HUAWEICLOUD_REGION ?? '',
      projectId,
      instances: seeds.ready,
      fleet,
      accountProjects: simulator ? seeds.account.projects : [],
      secret: written.secret,
      callbackUrl: env.CALLBACK_URL ?? sinkUrl,
      callbackUrlFromEnv: written.callbackUrlFromEnv,
      allowedHosts: env.CALLBACK_ALLOWED_HOSTS ?? '',
      allowedFromEnv: written.allowedFromEnv,
      scheduleIntervalSeconds: scheduleTargets ? scheduleIntervalSeconds : undefined,
    });

    let closing: Promise<void> | undefined;
    return {
      url: server.url,
      port: server.port,
      projectId,
      instances,
      fleet,
      dmsEndpoint,
      simulator,
      queue,
      callbacks,
      secret: written.secret,
      banner,
      close: () => (closing ??= cleanUp()),
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
