// The DMS simulator: Huawei Cloud DMS for Kafka's Smart Connect calls on loopback, for local runs and
// integration tests. Dev tooling only; never bundled into a function.
export { startDmsSimulator } from './server.ts';
export { FLEET_SEED_KINDS, largestTags, mixedFleet, TAG_LIMITS, type FleetSeed, type FleetSeedKind, type MixedFleetOptions } from './fleet-seeds.ts';
export type {
  ChaosOptions,
  DmsSimulator,
  Fault,
  FaultRule,
  InstanceSeed,
  InstanceStatus,
  InstanceView,
  JobOutcome,
  ListChange,
  RecordedRequest,
  SimulatorCredential,
  SimulatorOptions,
  TaskStatus,
  TaskView,
} from './types.ts';
