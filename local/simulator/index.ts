// The DMS simulator: Huawei Cloud DMS for Kafka's Smart Connect calls, and IAM's project calls, on
// loopback, for local runs and integration tests. Dev tooling only; never bundled into a function.
export { startDmsSimulator } from './server.ts';
export { SAMPLE_DOMAIN_ID, sampleAccount, type SampleAccount, type SampleAccountOptions, type SampleProjectName } from './account-seeds.ts';
export { FLEET_SEED_KINDS, largestTags, mixedFleet, type FleetSeed, type FleetSeedKind, type MixedFleetOptions } from './fleet-seeds.ts';
export type {
  AccountSeed,
  ChaosOptions,
  DmsSimulator,
  Fault,
  FaultRule,
  InstanceSeed,
  InstanceStatus,
  InstanceView,
  JobOutcome,
  ProjectSeed,
  ListChange,
  RecordedRequest,
  SimulatorCredential,
  SimulatorOptions,
  TaskStatus,
  TaskView,
} from './types.ts';
