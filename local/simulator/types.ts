// The simulator's public contract. Other code (the local stack, integration tests) is written against
// these names, so they change only together with their users.

export interface SimulatorCredential {
  ak: string;
  sk: string;
  /** Temporary credentials: requests with this AK must carry X-Security-Token equal to it, signed. */
  securityToken?: string;
}

/** Instance states as DMS reports them (CONNECTOR_DELETING is seen only in Huawei's Terraform provider). */
export type InstanceStatus =
  | 'CREATING'
  | 'RUNNING'
  | 'ERROR'
  | 'RESTARTING'
  | 'STARTING'
  | 'EXTENDING'
  | 'EXTENDEDFAILED'
  | 'FREEZING'
  | 'FROZEN'
  | 'UPGRADING'
  | 'ROLLINGBACK'
  | 'DELETING'
  | 'CONNECTOR_DELETING';

export type TaskStatus = 'CREATED' | 'EXECUTING' | 'SUCCESS' | 'FAILED' | 'DELETED' | 'CANCELLED';

export interface InstanceSeed {
  projectId: string;
  instanceId: string;
  /** 1 pay-per-use (default), 0 yearly/monthly. */
  chargingMode?: 0 | 1;
  /** Default 'RUNNING'. */
  status?: InstanceStatus;
  /** Default false. */
  connectorEnabled?: boolean;
  /** Default: a fresh uuid when connectorEnabled, '' otherwise. */
  connectorId?: string;
  /** Default 'kafka-' and the id's first 8 characters. */
  name?: string;
  /** Default none; listed as Huawei lists them, [{key, value}]. */
  tags?: Record<string, string>;
  /** Default '0' (the default enterprise project). */
  enterpriseProjectId?: string;
}

export type JobOutcome = 'success' | 'fail' | 'hang';

/** A project of the account, as IAM lists it: named after its region, `REGION_suffix`, or anything (MOS). */
export interface ProjectSeed {
  /** 32 hexadecimal characters. */
  id: string;
  name: string;
  /** Default true. */
  enabled?: boolean;
}

/** The account (IAM domain) every credential of the simulator belongs to, and its projects. */
export interface AccountSeed {
  /** 32 hexadecimal characters: what GET /v3/auth/domains answers and X-Domain-Id must carry. */
  domainId: string;
  /** Default 'simulator-account'. */
  domainName?: string;
  projects: ProjectSeed[];
}

export interface SimulatorOptions {
  /** Default '127.0.0.1'; only loopback addresses are allowed. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  credentials: SimulatorCredential[];
  instances?: InstanceSeed[];
  /** What IAM serves (GET /v3/auth/domains, /v3/projects, /v3/auth/projects); default DEFAULT_ACCOUNT, no projects. */
  account?: AccountSeed;
  /** How long an enable job runs, default 5000. */
  jobMs?: number;
  /** Default 15 minutes. */
  maxClockSkewMs?: number;
  /** Clock, default Date.now. State moves lazily against it on every request (no timers). */
  now?: () => number;
  /** One line per request; never carries signatures, keys or tokens. */
  log?: (line: string) => void;
}

export type Fault =
  /** `raw` is sent as is (an HTML page, a body of any size); otherwise `body` as JSON. */
  | { kind: 'status'; status: number; body?: unknown; raw?: string; headers?: Record<string, string> }
  | { kind: 'delay'; ms: number; then?: Fault }
  | { kind: 'reset' }
  | { kind: 'malformed' }
  /** A 200 announcing a longer body than it sends: the connection closes mid-answer. */
  | { kind: 'cut' }
  /** ListInstances answers (signature checked as usual), changed as a misbehaving or moving DMS would. */
  | { kind: 'list'; change: ListChange };

/** How a ListInstances page is changed (local/simulator/list.ts). Other routes answer as usual. */
export type ListChange =
  /** No entries; the total stays. */
  | { kind: 'empty' }
  /** The page from offset 0, whatever offset was asked for. */
  | { kind: 'ignore-offset' }
  /** The page's entry at `index` listed twice, right after itself; `upperCase`: the copy's id in upper case. */
  | { kind: 'duplicate'; index: number; upperCase?: boolean }
  /** The instance is deleted once this page is answered: later pages shift and the total drops. */
  | { kind: 'delete-after'; instanceId: string }
  /** Entries on the page changed, by instance id: these fields set (a field set to undefined is left out). */
  | { kind: 'entries'; fields: Record<string, Record<string, unknown>> };

export interface FaultRule {
  fault: Fault;
  method?: string;
  /** A string matches as a substring of the path. */
  path?: RegExp | string;
  /** Matched against the query as received, without '?' (a string as a substring): `offset=50`. */
  query?: RegExp | string;
  /** Default 1. */
  times?: number;
}

/** Faults drawn at random for requests no rule matched: each entry's probability, in order. */
export interface ChaosOptions {
  seed?: number;
  faults: { probability: number; fault: Fault; method?: string; path?: RegExp | string }[];
}

export interface RecordedRequest {
  method: string;
  /** The path as received (still percent-encoded), without the query. */
  path: string;
  /** The query as received, without '?'; '' when there is none. */
  query: string;
  /** Lower-case names; the Authorization signature and X-Security-Token are redacted. */
  headers: Record<string, string>;
  body: string;
  /** 0 while unanswered and for a reset. */
  status: number;
  /** Whether the signature verified, whatever the answer was (a fault may still have won). */
  authorized: boolean;
  at: number;
  /** When the answer was written, the connection reset or closed (the simulator's clock); 0 until then. */
  endedAt: number;
}

export interface TaskView {
  id: string;
  name: string;
  params: string;
  status: TaskStatus;
  createdAt: number;
  updatedAt: number;
}

export interface InstanceView {
  projectId: string;
  instanceId: string;
  name: string;
  chargingMode: 0 | 1;
  status: InstanceStatus;
  connectorEnabled: boolean;
  connectorId: string;
  connectorNodeNum: number;
  tags: Record<string, string>;
  enterpriseProjectId: string;
  /** The enable job in flight, if any (a 'hang' job stays here forever). */
  pendingJob?: { jobId: string; connectorId: string; outcome: JobOutcome; startedAt: number; endsAt: number };
  tasks: TaskView[];
}

export interface DmsSimulator {
  readonly url: string;
  /** Every request received, in order, including rejected ones. */
  readonly requests: RecordedRequest[];
  /**
   * The most requests matching `filter` that were in flight at once (arrived, not yet answered),
   * over the requests recorded since the last reset.
   */
  maxInFlight(filter?: (request: RecordedRequest) => boolean): number;
  /** Rules are consumed in order of injection; the first matching rule with times left applies. */
  inject(rule: FaultRule): void;
  clearFaults(): void;
  /** Random faults for every request no rule matches (undefined turns them off). */
  chaos(options: ChaosOptions | undefined): void;
  /** How many faults chaos injected, by kind. */
  chaosCounts(): Record<string, number>;
  addInstance(seed: InstanceSeed): void;
  /** A project IAM lists from now on (a project created meanwhile). */
  addProject(seed: ProjectSeed): void;
  /** Deletes the instance (it is no longer listed or found); false when there was none. */
  removeInstance(instanceId: string): boolean;
  /** Applies to the next enable job of that instance only; default 'success'. */
  setNextJobOutcome(instanceId: string, outcome: JobOutcome): void;
  instance(instanceId: string): InstanceView | undefined;
  /** Enable calls that started a job (per instance, or all). */
  acceptedEnableCalls(instanceId?: string): number;
  /** Clears requests, faults and counters (not instances). */
  reset(): void;
  /** Closes the server and destroys open sockets, delayed ones included. */
  close(): Promise<void>;
}
