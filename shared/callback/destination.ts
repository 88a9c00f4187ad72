// The SSRF guard for callbacks: a caller names the URL, so without it the function could be made
// to POST into its own VPC, the instance metadata service or localhost. A CallbackUrl is checked
// once per request into a CallbackDestination; delivery takes the destination and only re-checks the
// addresses its socket resolves (DNS rebinding). Every lookup is bounded by the time left.
import { isIP } from 'node:net';
import { hostWithPort, isAllowedCallbackHost } from './allowed-hosts.ts';
import { LOOKUP_TIMEOUT, resolveAll, resolveWithin, type Resolve } from './lookup.ts';
import { isPublicAddress, NOT_PUBLIC } from './public-address.ts';
import type { CallbackUrl } from './url.ts';
import { quote, type Deadline } from '../runtime/index.ts';

/** A callback URL that passed the guard: what delivery needs, checked once. */
export interface CallbackDestination {
  readonly url: URL;
  /** host[:port], quoted: the only part of the URL logs name (a path may carry the receiver's token). */
  readonly host: string;
  /** In CALLBACK_ALLOWED_HOSTS: exempt from the address checks, plain http allowed. */
  readonly allowListed: boolean;
  /** What the host resolved to at check time (the literal itself for an IP; none when allow-listed). */
  readonly addresses: readonly string[];
}

export type DestinationCheck =
  | { readonly kind: 'passed'; readonly destination: CallbackDestination }
  /** The name could not be resolved in time: transient, so asking again later may pass. */
  | { readonly kind: 'lookup_failed'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string };

export interface DestinationCheckOptions {
  readonly allowedHosts: readonly string[];
  readonly deadline: Deadline;
  readonly resolve?: Resolve | undefined;
}

// A check is one lookup, not a wait: a name server that takes longer is as good as down for now.
export const CHECK_LOOKUP_MS = 3_000;
// getaddrinfo's "try again" (the name server failed or timed out): unlike "no such name", it passes.
const TRANSIENT_LOOKUP_CODES = new Set([LOOKUP_TIMEOUT, 'EAI_AGAIN']);

const refused = (reason: string): DestinationCheck => ({ kind: 'refused', reason });
const PRIVATE = `${NOT_PUBLIC} (callbacks go to global unicast addresses only)`;

/**
 * Whether a callback URL may be called: its host's every address is global unicast, or the host is
 * in allowedHosts (then no address is checked). Reasons name the host (quoted) and what was wrong,
 * never credentials, paths, query strings or resolved addresses.
 */
export async function checkCallbackDestination(callbackUrl: CallbackUrl, options: DestinationCheckOptions): Promise<DestinationCheck> {
  const url = new URL(callbackUrl);
  const host = quote(hostWithPort(url));
  const allowListed = isAllowedCallbackHost(url, options.allowedHosts);
  // The URL met the rule when it was checked; CALLBACK_ALLOWED_HOSTS may have changed since (a
  // tracking message sealed before a redeploy), and plain http only ever goes to a listed host.
  if (url.protocol !== 'https:' && !allowListed) return refused(`callback URL for ${host} is plain http, allowed only for CALLBACK_ALLOWED_HOSTS`);
  const destination = (addresses: readonly string[]): DestinationCheck => ({ kind: 'passed', destination: { url, host, allowListed, addresses } });
  if (allowListed) return destination([]);

  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  // An IP literal needs no lookup; WHATWG URL has already turned 127.1, 0x7f000001 and the like into one.
  if (isIP(hostname) !== 0) return isPublicAddress(hostname) ? destination([hostname]) : refused(`callback host ${host} is ${PRIVATE}`);

  let addresses: string[];
  try {
    addresses = await resolveWithin(options.resolve ?? resolveAll, hostname, Math.min(CHECK_LOOKUP_MS, options.deadline.remainingMs()));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code && TRANSIENT_LOOKUP_CODES.has(code)) {
      return { kind: 'lookup_failed', reason: `callback host ${host} could not be resolved in time; try again later` };
    }
    return refused(`callback host ${host} could not be resolved`);
  }
  if (addresses.length === 0) return refused(`callback host ${host} has no address`);
  // One bad address is enough: the connection may pick any of them. The address itself is left
  // out of the reason, so a caller cannot use the refusal to read internal DNS.
  if (!addresses.every(isPublicAddress)) return refused(`callback host ${host} resolves to ${PRIVATE}`);
  return destination(addresses);
}
