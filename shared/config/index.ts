// The config: the environment read and checked once per cold start.
export { ConfigError, endpointFor, loadConfig, secretsInEnvironment, secretsOf, type Config } from './config.ts';
