// What the local stack runs with unless told otherwise.
export { DEFAULT_INSTANCES, DEFAULT_PROJECT_ID } from '../hosting/index.ts';

export const DEFAULT_PORT = 3000;
export const DEFAULT_JOB_SECONDS = 5;
export const DEFAULT_SCHEDULE_INTERVAL_SECONDS = 60;
export const DEFAULT_REGION = 'cn-north-4';
/** The simulator's key pair: the credentials the functions get when the stack runs the simulator. */
export const LOCAL_KEY = { ak: 'LOCALSTACKAK00000001', sk: 'local-stack-sk-not-a-real-key-000000001' } as const;
/** CALLBACK_ALLOWED_HOSTS unless set: every port on loopback, by any of its names. */
export const LOOPBACK_HOSTS = '127.0.0.1,localhost,[::1]';
/** Everything the stack serves listens here only. */
export const HOST = '127.0.0.1';
