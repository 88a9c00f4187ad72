// Every signed call passes here first, keyed by the credentials' AK. Huawei's gateway locks an AK
// after a few refused signatures, so after one refusal (401) nothing more is sent with that key for
// a cool-down: calls fail at once with CREDENTIALS_REJECTED, saying how long is left. And until a
// key has been answered for a method, one call of that method goes at a time and the rest wait for
// its answer, so a burst (a batch at a cold start, a fleet's enables, the end of a cool-down) risks
// one refusal, not one per call. By method: a signature covers the method and the body too, so GETs
// answered do not show that POSTs will be (a proxy that rewrites bodies refuses only those).
import { HuaweiApiError } from './errors.ts';
import { CREDENTIALS_REJECTED } from '../errors/index.ts';

// Huawei's gateway locks a key for 5 minutes after a few refused signatures: the default waits that out.
export const DEFAULT_AUTH_COOLDOWN_MS = 300_000;

export interface CredentialsGateOptions {
  /** How long nothing is sent with a key after a refusal; default 5 minutes. */
  readonly cooldownMs?: number;
  readonly now?: () => number;
}

/** One call's turn with a key: how it ended decides what the calls after it do. */
export interface GatePass {
  /** Huawei answered (anything but a refusal of the signature): the key signs this method right. */
  answered(): void;
  /** No answer came (timeout, network): the next call in line tries. */
  unanswered(): void;
  /** Huawei refused the signature: the key is closed for the cool-down. Returns the error that says so. */
  refused(reason: string, requestId?: string): HuaweiApiError;
}

export type GateTurn = { readonly kind: 'go'; readonly pass: GatePass } | { readonly kind: 'wait'; readonly until: Promise<void> };

export interface CredentialsGate {
  /** Whether a call may go with `ak` now, or must wait for the call answering first; throws CREDENTIALS_REJECTED in a cool-down. */
  turn(ak: string, method: string): GateTurn;
  /** Throws CREDENTIALS_REJECTED while `ak` is in its cool-down (a retry about to go). */
  check(ak: string): void;
}

interface KeyState {
  /** When the cool-down ends (0: none). */
  closedUntil: number;
  /** What Huawei said when it refused the key. */
  reason: string;
  /** Methods this key has been answered for since its last refusal. */
  readonly answered: Set<string>;
  /** The one call of a method in flight while the key is not yet answered for it, and its end. */
  readonly probes: Map<string, { readonly done: Promise<void>; readonly end: () => void }>;
}

export function createCredentialsGate(options: CredentialsGateOptions = {}): CredentialsGate {
  const cooldownMs = options.cooldownMs ?? DEFAULT_AUTH_COOLDOWN_MS;
  const now = options.now ?? Date.now;
  const keys = new Map<string, KeyState>();

  const stateOf = (ak: string): KeyState => {
    let state = keys.get(ak);
    if (!state) keys.set(ak, (state = { closedUntil: 0, reason: '', answered: new Set(), probes: new Map() }));
    return state;
  };

  const check = (ak: string): void => {
    const state = keys.get(ak);
    const left = state ? state.closedUntil - now() : 0;
    if (state && left > 0) throw rejected(state.reason, left);
  };

  const passFor = (state: KeyState, method: string, probe: boolean): GatePass => {
    const release = () => {
      if (!probe) return;
      const current = state.probes.get(method);
      state.probes.delete(method);
      current?.end();
    };
    return {
      answered() {
        state.answered.add(method);
        release();
      },
      unanswered: release,
      refused(reason, requestId) {
        state.closedUntil = now() + cooldownMs;
        state.reason = reason;
        // After the cool-down the key is unproven again: one call at a time until one is answered.
        state.answered.clear();
        release();
        return rejected(reason, cooldownMs, requestId);
      },
    };
  };

  return {
    check,
    turn(ak, method) {
      check(ak);
      const state = stateOf(ak);
      if (state.answered.has(method)) return { kind: 'go', pass: passFor(state, method, false) };
      const probe = state.probes.get(method);
      if (probe) return { kind: 'wait', until: probe.done };
      let end!: () => void;
      const done = new Promise<void>((resolve) => {
        end = resolve;
      });
      state.probes.set(method, { done, end });
      return { kind: 'go', pass: passFor(state, method, true) };
    },
  };
}

// Ours (status 0), not ambiguous (a refused call did nothing); retryable: the work comes back later.
function rejected(reason: string, leftMs: number, requestId?: string): HuaweiApiError {
  const errorMsg = `${reason}; these credentials are not used for ${Math.ceil(leftMs / 1000)} s`;
  return new HuaweiApiError({ status: 0, errorCode: CREDENTIALS_REJECTED, errorMsg, requestId, ambiguous: false, retryAfterMs: leftMs });
}
