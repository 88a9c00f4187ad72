// Name lookups for callbacks, each bounded by the time left: getaddrinfo cannot be cancelled, so a
// slow name server must never hold the caller.
import { quote } from '../runtime/index.ts';

export type Resolve = (hostname: string) => Promise<string[]>;

/** Every address of a name, in the resolver's order (as the connection will see them). */
export const resolveAll: Resolve = async (hostname) => {
  const { lookup } = await import('node:dns/promises');
  return (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);
};

/** The error code of a lookup that ran out of time. */
export const LOOKUP_TIMEOUT = 'ETIMEOUT';

/** resolve(hostname), or a rejection with code ETIMEOUT once `ms` have passed (a late answer is dropped). */
export function resolveWithin(resolve: Resolve, hostname: string, ms: number): Promise<string[]> {
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(Object.assign(new Error(`callback host ${quote(hostname)} did not resolve within ${Math.round(ms)} ms`), { code: LOOKUP_TIMEOUT })),
      Math.max(0, ms),
    );
    resolve(hostname).then(
      (addresses) => {
        clearTimeout(timer);
        done(addresses);
      },
      (error: unknown) => {
        clearTimeout(timer);
        fail(error);
      },
    );
  });
}
