// Where the Huawei SK comes from, by version: the environment holds one, the credentials secret the
// current one and the one before the last rotation (what signed messages still in flight).
import type { Credentials } from '../huawei/index.ts';
import type { Deadline } from '../runtime/index.ts';

export interface Freshness {
  /** Read again when what is cached is older than this (at most the TTL); 0: read again now. */
  readonly maxAgeMs?: number;
  /** The reader's budget: a read that fails for now is tried again within it. */
  readonly deadline?: Deadline | undefined;
}

export interface VersionedCredentials {
  /** AWSCURRENT: what calls to Huawei are signed with. */
  current(freshness?: Freshness): Promise<Credentials>;
  /** AWSPREVIOUS, the version before the last rotation; undefined when there is none (or it is unusable). */
  previous(freshness?: Freshness): Promise<Credentials | undefined>;
}

/** Credentials from the environment: one version, never rotated under a running function. */
export function environmentCredentials(credentials: Credentials): VersionedCredentials {
  return { current: async () => credentials, previous: async () => undefined };
}
