// The local stack (npm start) from code: startLocalStack(options) and what it runs with by default.
// The orchestrator is local-stack.ts; the simulator's seeds, the functions' environment, the server,
// its routes, the HTTP API stand-in, the callback sink, the schedule tick and the banner each have a
// module of their own.
export { startLocalStack, type LocalStack, type LocalStackOptions } from './local-stack.ts';
export {
  DEFAULT_INSTANCES,
  DEFAULT_JOB_SECONDS,
  DEFAULT_PORT,
  DEFAULT_PROJECT_ID,
  DEFAULT_REGION,
  DEFAULT_SCHEDULE_INTERVAL_SECONDS,
  LOCAL_KEY,
  LOOPBACK_HOSTS,
} from './defaults.ts';
export { FLEET_TEAMS, READY_TEAM, stackSeeds, type StackSeeds } from './seeds.ts';
export type { CallbackSink } from './callback-sink.ts';
export type { CallbackSecret } from './environment.ts';
