// Names that resolve as a test says, for code that cannot take an injected resolver (the built
// bundles): node:dns/promises' lookup is patched (and synced into its ESM bindings, which the
// bundles import), so the bundles' callback check and their sockets' lookups both ask it. Names
// the test does not answer go on to the lookup underneath (the loopback guard's, which refuses
// them). Nothing leaves the process.
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import { isIP } from 'node:net';

/** The addresses for a name (undefined: not ours), as a promise that may take its time. */
export type FakeAnswer = (hostname: string) => Promise<readonly string[]> | undefined;

export interface FakeDns {
  /** Every name asked of the fake, in order (answered or not). */
  readonly asked: string[];
  restore(): void;
}

type LookupAll = (hostname: string, options?: unknown) => Promise<unknown>;

export function installFakeDns(answer: FakeAnswer): FakeDns {
  const asked: string[] = [];
  const underneath = dns.promises.lookup as unknown as LookupAll;
  const fake: LookupAll = async (hostname, options) => {
    asked.push(hostname);
    const pending = answer(hostname);
    if (!pending) return underneath(hostname, options);
    const addresses = await pending;
    const entries = addresses.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
    const all = typeof options === 'object' && options !== null && (options as { all?: unknown }).all === true;
    if (all) return entries;
    if (!entries[0]) throw Object.assign(new Error(`fake dns: ${hostname} has no address`), { code: 'ENOTFOUND' });
    return entries[0];
  };
  (dns.promises as unknown as { lookup: unknown }).lookup = fake;
  syncBuiltinESMExports();
  return {
    asked,
    restore() {
      (dns.promises as unknown as { lookup: unknown }).lookup = underneath;
      syncBuiltinESMExports();
    },
  };
}

/** An answer that arrives after `ms` (without holding the process open meanwhile). */
export function answerAfter(ms: number, addresses: readonly string[]): Promise<readonly string[]> {
  return new Promise((resolve) => setTimeout(() => resolve(addresses), ms).unref());
}
