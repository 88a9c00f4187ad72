// Unit tests of paging through ListInstances (shared/fleet listKafkaInstances) with a scripted DMS:
// where it stops, what it does with totals that lie, that a listing that is not whole is read again
// and never passes for the whole fleet (DESIGN.md Fleet summary; HUAWEI-DMS.md ListInstances paging),
// and how each entry is read: kept compact, bounded, unreadable ones named and never failing the run.
import { describe, expect, it } from 'vitest';
import { FLEET_TOO_LARGE, LISTING_INCOMPLETE } from '../../shared/errors/index.ts';
import { DEFAULT_MAX_PAGES, MAX_READS, PAGE_LIMIT, listKafkaInstances, type Listing, type Selection } from '../../shared/fleet/index.ts';
import { type InstanceListAnswer, type InstanceListEntry, type InstancePage, type RegionalDms, HuaweiApiError } from '../../shared/huawei/index.ts';
import { deadlineIn } from '../../shared/runtime/index.ts';

const PROJECT = { projectId: '0123456789abcdef0123456789abcdef' };

const entryAt = (index: number): InstanceListEntry => ({
  instance_id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
  name: `kafka-${index}`,
  status: 'RUNNING',
});

type PageAnswer = (page: InstancePage) => InstanceListAnswer;

/** A DMS whose ListInstances answers from `answer` and records each page asked for. */
function scripted(answer: PageAnswer) {
  const asked: InstancePage[] = [];
  const dms: Pick<RegionalDms, 'listInstances'> = {
    listInstances: async (_project, page) => {
      asked.push(page);
      return { data: answer(page), requestId: undefined };
    },
  };
  return { dms, asked };
}

/** An honest project of `count` instances. */
const fleetOf =
  (count: number): PageAnswer =>
  ({ offset, limit }) => ({
    instances: Array.from({ length: Math.max(0, Math.min(limit, count - offset)) }, (_, i) => entryAt(offset + i)),
    instance_num: count,
  });

const list = (dms: Pick<RegionalDms, 'listInstances'>, extra: { maxPages?: number; selection?: Selection } = {}) =>
  listKafkaInstances({ dms, project: PROJECT, deadline: deadlineIn(5_000), ...extra });

describe('listKafkaInstances', () => {
  it('an empty project costs one call', async () => {
    const { dms, asked } = scripted(fleetOf(0));
    expect(await list(dms)).toEqual({ kind: 'listed', instances: [], listed: 0, pages: 1, reads: 1 });
    expect(asked).toEqual([{ offset: 0, limit: 50, enterpriseProjectId: undefined }]);
  });

  it('pages of 50 by offset until the total is reached, exactly one page per 50', async () => {
    for (const [count, pages] of [
      [1, 1],
      [49, 1],
      [50, 1],
      [51, 2],
      [100, 2],
      [101, 3],
      [2000, 40],
    ] as const) {
      const { dms, asked } = scripted(fleetOf(count));
      const listing = await list(dms);
      expect(listing.kind === 'listed' && listing.instances.length, `count ${count}`).toBe(count);
      expect(
        asked.map((p) => p.offset),
        `count ${count}`,
      ).toEqual(Array.from({ length: pages }, (_, i) => i * 50));
      expect(asked.every((p) => p.limit === PAGE_LIMIT)).toBe(true);
    }
  });

  it('passes the enterprise project to every page', async () => {
    const { dms, asked } = scripted(fleetOf(60));
    await list(dms, { selection: { enterprise_project_id: '0' } });
    expect(asked.map((p) => p.enterpriseProjectId)).toEqual(['0', '0']);
  });

  it('a total over what one run reads fails at once, without reading the rest', async () => {
    const { dms, asked } = scripted(fleetOf(DEFAULT_MAX_PAGES * PAGE_LIMIT + 1));
    const listing = await list(dms);
    expect(listing).toMatchObject({ kind: 'failed', error: { code: FLEET_TOO_LARGE }, retryable: false, pages: 1 });
    expect(asked).toHaveLength(1);
  });

  it('a total that grows past the cap while paging fails', async () => {
    const { dms, asked } = scripted(({ offset }) => ({
      instances: Array.from({ length: 50 }, (_, i) => entryAt(offset + i)),
      instance_num: offset === 0 ? 100 : 10_000,
    }));
    expect(await list(dms, { maxPages: 3 })).toMatchObject({ kind: 'failed', error: { code: FLEET_TOO_LARGE } });
    expect(asked).toHaveLength(2);
  });

  it("a page that fails ends the listing failed with Huawei's code and message, whatever came before", async () => {
    const dms: Pick<RegionalDms, 'listInstances'> = {
      listInstances: async (_project, page) => {
        if (page.offset === 0) return { data: fleetOf(120)(page), requestId: undefined };
        throw new HuaweiApiError({ status: 403, errorCode: 'DMS.00403000', errorMsg: 'no permission' });
      },
    };
    expect(await list(dms)).toEqual({ kind: 'failed', error: { code: 'DMS.00403000', message: 'no permission' }, retryable: false, pages: 1, reads: 1 });
  });

  it("a transient failure that outlasted the client's retries is reported retryable", async () => {
    const dms: Pick<RegionalDms, 'listInstances'> = {
      listInstances: async () => {
        throw new HuaweiApiError({ status: 503, errorCode: 'APIG.0202', errorMsg: 'Backend unavailable.' });
      },
    };
    expect(await list(dms)).toMatchObject({ kind: 'failed', error: { code: 'APIG.0202' }, retryable: true, pages: 0 });
  });

  it('a programming error is not disguised as a Huawei failure', async () => {
    const dms: Pick<RegionalDms, 'listInstances'> = {
      listInstances: async () => {
        throw new TypeError('bug');
      },
    };
    await expect(list(dms)).rejects.toThrow(TypeError);
  });
});

/** Answers read by read: a read starts with the page at offset 0; after the last script, the last again. */
function byRead(...reads: PageAnswer[]) {
  let read = -1;
  return scripted((page) => {
    if (page.offset === 0) read += 1;
    return (reads[Math.min(read, reads.length - 1)] as PageAnswer)(page);
  });
}

/** An honest fleet of `count` whose page at `offset` comes back changed by `change`. */
const changedAt =
  (count: number, offset: number, change: (answer: InstanceListAnswer) => InstanceListAnswer): PageAnswer =>
  (page) =>
    page.offset === offset ? change(fleetOf(count)(page)) : fleetOf(count)(page);

const ids = (listing: Listing) => (listing.kind === 'listed' ? listing.instances.map((i) => i.instance_id) : []);
const idsUpTo = (count: number) => Array.from({ length: count }, (_, i) => entryAt(i).instance_id);
const failedWith = (seen: string) => ({
  kind: 'failed',
  error: { code: LISTING_INCOMPLETE, message: expect.stringContaining(seen) },
  retryable: true,
  reads: MAX_READS,
});

describe('a listing that is not whole never passes for the whole fleet', () => {
  it('instance_num 100 and an empty page at offset 50, every time: fails after three reads, saying what it saw', async () => {
    const { dms, asked } = byRead(changedAt(100, 50, (a) => ({ ...a, instances: [] })));
    const listing = await list(dms);
    expect(listing).toMatchObject(failedWith('an empty page at offset 50 of 100'));
    expect(asked.map((p) => p.offset)).toEqual([0, 50, 0, 50, 0, 50]);
  });

  it('an empty page once: read again until two whole reads agree, and every instance is there', async () => {
    const { dms, asked } = byRead(
      changedAt(100, 50, (a) => ({ ...a, instances: [] })),
      fleetOf(100),
    );
    const listing = await list(dms);
    expect(listing).toMatchObject({ kind: 'listed', listed: 100, reads: 3 });
    expect(ids(listing)).toEqual(idsUpTo(100));
    expect(asked).toHaveLength(6);
  });

  it('a total larger than what is there fails, the instances seen never passing for the fleet', async () => {
    const { dms } = scripted((page) => ({ ...fleetOf(70)(page), instance_num: 1_000 }));
    expect(await list(dms)).toMatchObject(failedWith('a page of 20 entries at offset 50 where 50 of 1000 were due'));
  });

  it('a short page in the middle is read again, never skipped over', async () => {
    const short = changedAt(80, 0, (a) => ({ ...a, instances: a.instances?.slice(0, 30) }));
    expect(await list(scripted(short).dms)).toMatchObject(failedWith('a page of 30 entries at offset 0 where 50 of 80 were due'));
    const listing = await list(byRead(short, fleetOf(80)).dms);
    expect(ids(listing)).toEqual(idsUpTo(80));
  });

  it('a server that ignores offset (the same 50 each time, total 200) fails', async () => {
    const { dms } = scripted((page) => fleetOf(200)({ ...page, offset: 0 }));
    expect(await list(dms)).toMatchObject(failedWith('an instance listed twice (offset 50)'));
  });

  it('an instance deleted between pages (the total drops, the rest shift): read again, and the instance that shifted is there', async () => {
    // The first read sees 0..49, then instance 10 goes: offset 50 now starts at what was 51, so 50 would be missed.
    const withoutTen = (page: InstancePage) => {
      const all = Array.from({ length: 100 }, (_, i) => entryAt(i)).filter((_, i) => i !== 10);
      return { instances: all.slice(page.offset, page.offset + page.limit), instance_num: 99 };
    };
    const { dms } = byRead((page) => (page.offset === 0 ? fleetOf(100)(page) : withoutTen(page)), withoutTen);
    const listing = await list(dms);
    expect(listing).toMatchObject({ kind: 'listed', listed: 99, reads: 3 });
    expect(ids(listing)).toContain(entryAt(50).instance_id);
    expect(ids(listing)).not.toContain(entryAt(10).instance_id);
  });

  it('a total that moves while paging is not whole, even when what was seen adds up to it', async () => {
    const { dms } = scripted(({ offset }) => ({
      instances: Array.from({ length: 50 }, (_, i) => entryAt(offset + i)),
      instance_num: offset === 0 ? 500 : 100,
    }));
    expect(await list(dms)).toMatchObject(failedWith('the total went from 500 to 100 at offset 50'));
  });

  it('a 51-entry page holding one duplicate is not whole; once it reads whole, index 50 is there', async () => {
    const duplicated = changedAt(100, 0, (a) => ({ ...a, instances: [...(a.instances ?? []), entryAt(7)] }));
    expect(await list(scripted(duplicated).dms)).toMatchObject(failedWith('an instance listed twice (offset 50)'));
    const listing = await list(byRead(duplicated, fleetOf(100)).dms);
    expect(ids(listing)).toEqual(idsUpTo(100));
  });

  it('the same id in upper and lower case is one instance listed twice: never kept twice', async () => {
    const upper = { ...entryAt(3), instance_id: entryAt(3).instance_id.toUpperCase() };
    const twice: PageAnswer = (page) => ({ instances: [...(fleetOf(10)(page).instances ?? []), upper], instance_num: 11 });
    expect(await list(scripted(twice).dms)).toMatchObject(failedWith('an instance listed twice (offset 10)'));
    const listing = await list(byRead(twice, fleetOf(10)).dms);
    expect(ids(listing)).toEqual(idsUpTo(10));
  });

  it('two whole reads that differ after one that was not: the list is moving, and the run fails', async () => {
    const { dms } = byRead(
      changedAt(60, 50, (a) => ({ ...a, instances: [] })),
      fleetOf(60),
      fleetOf(61),
    );
    expect(await list(dms)).toMatchObject(failedWith('read 3: whole with 61 instances, not those of the read before'));
  });

  it('a whole read after one that was not is confirmed by the next: here the third comes whole too late', async () => {
    const empty = changedAt(60, 50, (a) => ({ ...a, instances: [] }));
    const { dms, asked } = byRead(empty, fleetOf(60), empty);
    expect(await list(dms)).toMatchObject(failedWith('read 2: whole with 60 instances; read 3: an empty page at offset 50 of 60'));
    expect(asked).toHaveLength(6);
  });
});

describe('each entry read on its own', () => {
  const page =
    (...instances: unknown[]): PageAnswer =>
    () => ({ instances, instance_num: instances.length });

  it('keeps the compact facts: no tags, no other fields', async () => {
    const entry = {
      ...entryAt(0),
      charging_mode: 1,
      connector_enable: false,
      connector_id: null,
      enterprise_project_id: '0',
      tags: [{ key: 'env', value: 'prod' }],
      engine: 'kafka',
    };
    const listing = await list(scripted(page(entry)).dms);
    expect(listing.kind === 'listed' && listing.instances).toEqual([
      { kind: 'readable', instance_id: entryAt(0).instance_id, name: 'kafka-0', status: 'RUNNING', charging_mode: 1, connector_enable: false },
    ]);
  });

  it('entries the selector rules out are counted, not kept', async () => {
    const tagged = (i: number, env: string) => ({ ...entryAt(i), tags: [{ key: 'env', value: env }] });
    const listing = await list(scripted(page(tagged(0, 'prod'), tagged(1, 'dev'), tagged(2, 'prod'))).dms, { selection: { tags: { env: 'prod' } } });
    expect(listing).toMatchObject({ kind: 'listed', listed: 3 });
    expect(ids(listing)).toEqual([entryAt(0).instance_id, entryAt(2).instance_id]);
  });

  it('bounds listed text like input: a name of 3 MB is kept as its first 64 characters', async () => {
    const name = 'ü'.repeat(3_000_000);
    const listing = await list(scripted(page({ ...entryAt(0), name, status: 'R'.repeat(1_000), connector_id: 'c'.repeat(1_000) })).dms);
    const [kept] = listing.kind === 'listed' ? listing.instances : [];
    expect(kept).toMatchObject({ name: `${'ü'.repeat(64)}…`, status: `${'R'.repeat(64)}…`, connector_id: `${'c'.repeat(64)}…` });
  });

  it('an entry that cannot be read is kept as unreadable, named as far as it can be, and the run goes on', async () => {
    const unreadable = [
      { ...entryAt(1), charging_mode: null },
      { ...entryAt(2), instance_id: '../../other-project' },
      { ...entryAt(3), instance_id: undefined, tags: 'env=prod' },
      { ...entryAt(4), name: 7, status: null },
      null,
    ];
    const listing = await list(scripted(page(entryAt(0), ...unreadable, entryAt(5))).dms);
    expect(listing).toMatchObject({ kind: 'listed', listed: 7, reads: 1 });
    expect(listing.kind === 'listed' && listing.instances).toEqual([
      expect.objectContaining({ kind: 'readable', instance_id: entryAt(0).instance_id }),
      {
        kind: 'unreadable',
        instance_id: entryAt(1).instance_id,
        name: 'kafka-1',
        status: 'RUNNING',
        problem: expect.stringMatching(/^the list entry cannot be read: charging_mode: Invalid type: .*null/),
      },
      {
        kind: 'unreadable',
        instance_id: '../../other-project',
        name: 'kafka-2',
        status: 'RUNNING',
        problem: expect.stringContaining('instance_id: Invalid UUID'),
      },
      { kind: 'unreadable', instance_id: '', name: 'kafka-3', status: 'RUNNING', problem: expect.stringMatching(/instance_id: .*; tags: /) },
      { kind: 'unreadable', instance_id: entryAt(4).instance_id, name: '', problem: expect.stringMatching(/status: .*null; name: .*7/) },
      { kind: 'unreadable', instance_id: '', name: '', problem: expect.stringContaining('the list entry cannot be read') },
      expect.objectContaining({ kind: 'readable', instance_id: entryAt(5).instance_id }),
    ]);
  });

  it('an unreadable entry is left out only where a field that reads well rules it out', async () => {
    const prod = [{ key: 'env', value: 'prod' }];
    const entries = [
      { ...entryAt(0), name: 'billing-0', tags: prod, charging_mode: null },
      { ...entryAt(1), name: 'orders-1', tags: prod, charging_mode: null },
      { ...entryAt(2), name: null, tags: prod },
      { ...entryAt(3), name: 'orders-3', tags: [{ key: 'env', value: 'dev' }], status: 5 },
      { ...entryAt(4), name: 'orders-4', tags: [{ key: 'env' }, 9] },
    ];
    const listing = await list(scripted(page(...entries)).dms, { selection: { name_prefix: 'orders-', tags: { env: 'prod' } } });
    expect(listing.kind === 'listed' && listing.instances.map((i) => [i.instance_id, i.kind === 'readable'])).toEqual([
      [entryAt(1).instance_id, false],
      [entryAt(2).instance_id, false],
      [entryAt(4).instance_id, false],
    ]);
  });

  it('an unreadable text is bounded too: its id, name and the problem quoting it', async () => {
    const long = 'x'.repeat(100_000);
    const listing = await list(scripted(page({ ...entryAt(0), instance_id: long, name: long, status: long })).dms);
    const [kept] = listing.kind === 'listed' ? listing.instances : [];
    expect(kept).toMatchObject({ kind: 'unreadable', instance_id: `${'x'.repeat(64)}…`, name: `${'x'.repeat(64)}…`, status: `${'x'.repeat(64)}…` });
    expect(JSON.stringify(kept).length).toBeLessThan(600);
  });

  it('unreadable entries count by their id when they have one, in lower case, else by their position', async () => {
    const junk = { ...entryAt(0), instance_id: 'NOT-A-UUID' };
    const again = { ...entryAt(1), instance_id: 'not-a-uuid' };
    expect(await list(scripted(page(junk, again)).dms)).toMatchObject(failedWith('an instance listed twice (offset 1)'));
    const listing = await list(scripted(page({ name: 'a' }, { name: 'b' })).dms);
    expect(listing).toMatchObject({ kind: 'listed', listed: 2 });
  });

  it('a page that is not an answer at all still fails the listing as before (the total is strict)', async () => {
    const dms: Pick<RegionalDms, 'listInstances'> = {
      listInstances: async () => {
        throw new HuaweiApiError({ status: 200, errorCode: 'BAD_RESPONSE', errorMsg: 'unexpected answer: instance_num', ambiguous: true });
      },
    };
    expect(await list(dms)).toMatchObject({ kind: 'failed', error: { code: 'BAD_RESPONSE' }, reads: 1 });
  });
});
