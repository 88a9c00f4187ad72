// Callback addresses in any notation (property-based, fast-check), against the BUILT http bundle and
// the callback room's check and delivery: a non-global address, however written or wherever a name
// resolves to it, is refused before anything is sent or connected. The stage and the generators:
// tests/support/hostile-*.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { functionContext } from '../../local/hosting/index.ts';
import { reportResult, type Resolve } from '../../shared/callback/index.ts';
import type { JobResult } from '../../shared/result/index.ts';
import { deadlineIn, silentLogger } from '../../shared/runtime/index.ts';
import { dottedQuad, ipv4Notation, ipv6Notation, privateIpv4, privateIpv6, publicIpv4, publicIpv6 } from '../support/addresses.ts';
import { checkCallbackText } from '../support/callback-check.ts';
import { installFakeDns } from '../support/fake-dns.ts';
import { PROJECT } from '../support/fixtures.ts';
import { buildHttpEvent, FRESH, type BuiltHttp } from '../support/hostile-inputs.ts';
import { expectLoopbackOnly, expectNoCrashLogged, fx, guard, guardMark, hostileStage, http, POOL, RUNS, settings } from '../support/hostile-stage.ts';
import { capturing } from '../support/output.ts';

hostileStage();

// ---- addresses in any notation ------------------------------------------------------------------

/** An address and the URL host that writes it some way WHATWG URL reads (checked against the canonical form). */
interface WrittenAddress {
  readonly host: string;
  /** How a resolver might write it (dotted IPv4, any IPv6 text). */
  readonly answer: string;
  readonly canonical: string;
}
const v4Written = (n: number) =>
  fc.tuple(ipv4Notation(n), fc.constant(dottedQuad(n))).map(([host, dotted]): WrittenAddress => ({ host, answer: dotted, canonical: dotted }));
const v6Written = (groups: readonly number[]) =>
  fc.tuple(ipv6Notation(groups), ipv6Notation(groups)).map(
    ([host, answer]): WrittenAddress => ({
      host: `[${host}]`,
      answer,
      canonical: new URL(`https://[${groups.map((g) => g.toString(16)).join(':')}]/`).hostname,
    }),
  );
const notGlobal = fc.oneof(privateIpv4.chain(v4Written), privateIpv6.chain(v6Written));
const globalAddress = fc.oneof(publicIpv4.chain(v4Written), publicIpv6.chain(v6Written));
const NAMES = 'names.test';

function connectorEvent(callbackUrl: string): BuiltHttp {
  return buildHttpEvent({
    valid: false,
    format: 'v2',
    method: 'POST',
    project: PROJECT,
    instance: { source: 'fresh', value: FRESH, variant: 'as-is' },
    extraPath: {},
    pathShape: 'params',
    headers: [['content-type', 'application/json']],
    nullHeaders: false,
    body: { kind: 'text', text: JSON.stringify({ callback_url: callbackUrl }), encoding: 'plain' },
  });
}

async function expectCallbackRefused(built: BuiltHttp): Promise<void> {
  const before = fx.sim.requests.length;
  const mark = guardMark();
  const connects = guard.connects.length;
  const { value: answer, lines } = await capturing(() => http(built.event, functionContext('http')));
  expect(answer.statusCode, answer.body).toBe(400);
  expect((JSON.parse(answer.body) as { issues: Array<{ field: string }> }).issues.map((i) => i.field)).toEqual(['callback_url']);
  expect(fx.sim.requests.length, 'Huawei was called').toBe(before);
  expect(guard.connects.length, 'a socket was opened').toBe(connects);
  expectLoopbackOnly(mark);
  expectNoCrashLogged(lines);
}

describe('addresses in any notation (IPv4 decimal, octal, hex, short; IPv6 compressed, expanded, embedded IPv4)', () => {
  it('http: a callback_url at a non-global address, however written, is a 400 naming callback_url; nothing is sent or connected', async () => {
    await fc.assert(
      fc.asyncProperty(notGlobal, fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined }), async (address, port) => {
        const url = `https://${address.host}${port ? `:${port}` : ''}/hook`;
        // The generator writes what it means: WHATWG URL reads it back as the same address.
        expect(new URL(url).hostname).toBe(address.canonical);
        await expectCallbackRefused(connectorEvent(url));
      }),
      settings(RUNS.addressLiterals),
    );
  });

  it('http: a name that resolves to a non-global address, alone or among public ones, is a 400; nothing is sent or connected', async () => {
    let names = 0;
    const answers = new Map<string, readonly string[]>();
    const dns = installFakeDns((hostname) => {
      const found = answers.get(hostname);
      return found ? Promise.resolve(found) : undefined;
    });
    try {
      await fc.assert(
        fc.asyncProperty(notGlobal, fc.array(globalAddress, { maxLength: 2 }), fc.nat(), async (bad, good, at) => {
          const name = `n${(names += 1)}.${NAMES}`;
          const all = good.map((g) => g.answer);
          all.splice(at % (all.length + 1), 0, bad.answer);
          answers.set(name, all);
          await expectCallbackRefused(connectorEvent(`https://${name}/hook`));
          expect(dns.asked).toContain(name);
        }),
        settings(RUNS.addressNames),
      );
    } finally {
      dns.restore();
    }
  });

  it('check and connect time: global addresses pass however written, non-global ones are refused at both', async () => {
    const stats = { accepted: 0, refused: 0 };
    const never: Resolve = () => Promise.reject(new Error('a literal must not be resolved'));
    const deadline = () => deadlineIn(5_000);
    const result: JobResult = { status: 'accepted', project_id: PROJECT, instance_id: POOL[0] ?? '', source: 'queue' };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          globalAddress.map((a) => ({ a, public: true })),
          notGlobal.map((a) => ({ a, public: false })),
        ),
        async ({ a, public: isPublic }) => {
          const literal = await checkCallbackText(`https://${a.host}/hook`, { allowedHosts: [], deadline: deadline(), resolve: never });
          expect(literal.kind === 'passed', `${a.host} (${a.canonical})`).toBe(isPublic);
          if (literal.kind === 'passed') expect(literal.destination.addresses).toEqual([a.canonical.replace(/^\[(.*)\]$/, '$1')]);
          const named = await checkCallbackText(`https://x.${NAMES}/hook`, { allowedHosts: [], deadline: deadline(), resolve: async () => [a.answer] });
          expect(named.kind === 'passed', `x.${NAMES} -> ${a.answer}`).toBe(isPublic);
          if (isPublic) {
            stats.accepted += 1;
            return;
          }
          stats.refused += 1;
          // Rebinding: public when checked, this address when the socket looks the name up.
          const checked = await checkCallbackText(`https://x.${NAMES}:1/hook`, {
            allowedHosts: [],
            deadline: deadline(),
            resolve: async () => ['93.184.216.34'],
          });
          if (checked.kind !== 'passed') throw new Error(checked.reason);
          const refused = guard.refused.length;
          const outcome = await reportResult(checked.destination, result, {
            deadline: deadline(),
            dedupeKey: 'notation',
            resolve: async () => [a.answer],
            maxAttempts: 1,
            logger: silentLogger,
            allowedHosts: [],
          });
          expect(outcome, `connect time ${a.answer}`).toMatchObject({ kind: 'undelivered', attempts: 1, error: { code: 'CALLBACK_URL_REFUSED' } });
          expect(guard.refused.slice(refused)).toEqual([]);
        },
      ),
      settings(RUNS.addressModule),
    );
    // Not vacuous either way.
    expect(stats.accepted / (stats.accepted + stats.refused), JSON.stringify(stats)).toBeGreaterThan(0.2);
    expect(stats.refused / (stats.accepted + stats.refused), JSON.stringify(stats)).toBeGreaterThan(0.2);
  });
});
