// The config room's face: the environment read and checked once per cold start.
export * from './config.ts';
