// Unit tests of paging through ListInstances (shared/fleet listKafkaInstances) with a scripted DMS:
// where it stops, what it does with totals that lie, and that a run that cannot list everything fails.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PAGES, FLEET_TOO_LARGE, LISTING_INCOMPLETE, PAGE_LIMIT, listKafkaInstances } from '../../shared/fleet/index.ts';
import type { InstanceListAnswer, InstanceListEntry, InstancePage } from '../../shared/huawei/dms.ts';
import type { RegionalDms } from '../../shared/huawei/regional-dms.ts';
import { HuaweiApiError } from '../../shared/huawei/errors.ts';
import { deadlineIn } from '../../shared/runtime/deadline.ts';

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

const list = (dms: Pick<RegionalDms, 'listInstances'>, extra: { maxPages?: number; enterpriseProjectId?: string } = {}) =>
  listKafkaInstances({ dms, project: PROJECT, deadline: deadlineIn(5_000), ...extra });

describe('listKafkaInstances', () => {
  it('an empty project costs one call', async () => {
    const { dms, asked } = scripted(fleetOf(0));
    expect(await list(dms)).toEqual({ ok: true, instances: [], pages: 1 });
    expect(asked).toEqual([{ offset: 0, limit: 50, enterpriseProjectId: undefined }]);
  });

  it('pages of 50 by offset until the total is reached, exactly one page per 50', async () => {
    for (const [count, pages] of [[1, 1], [49, 1], [50, 1], [51, 2], [100, 2], [101, 3], [2000, 40]] as const) {
      const { dms, asked } = scripted(fleetOf(count));
      const listing = await list(dms);
      expect(listing.ok && listing.instances.length, `count ${count}`).toBe(count);
      expect(asked.map((p) => p.offset), `count ${count}`).toEqual(Array.from({ length: pages }, (_, i) => i * 50));
      expect(asked.every((p) => p.limit === PAGE_LIMIT)).toBe(true);
    }
  });

  it('passes the enterprise project to every page', async () => {
    const { dms, asked } = scripted(fleetOf(60));
    await list(dms, { enterpriseProjectId: '0' });
    expect(asked.map((p) => p.enterpriseProjectId)).toEqual(['0', '0']);
  });

  it('a total larger than what is there: the first empty page ends the listing', async () => {
    const { dms, asked } = scripted((page) => ({ ...fleetOf(70)(page), instance_num: 1_000 }));
    const listing = await list(dms);
    expect(listing.ok && listing.instances.length).toBe(70);
    expect(asked.map((p) => p.offset)).toEqual([0, 50, 70]);
  });

  it('a short page in the middle: the next page starts right after it, nothing is skipped', async () => {
    const { dms, asked } = scripted(({ offset, limit }) => ({
      instances: Array.from({ length: Math.min(offset === 0 ? 30 : limit, 80 - offset) }, (_, i) => entryAt(offset + i)),
      instance_num: 80,
    }));
    const listing = await list(dms);
    expect(listing.ok && listing.instances.map((e) => e.name)).toEqual(Array.from({ length: 80 }, (_, i) => `kafka-${i}`));
    expect(asked.map((p) => p.offset)).toEqual([0, 30]);
  });

  it('an instance seen on two pages (the list shifted meanwhile) is listed once', async () => {
    const { dms } = scripted(({ offset }) => ({
      instances: offset === 0 ? Array.from({ length: 50 }, (_, i) => entryAt(i)) : [entryAt(49), entryAt(50)],
      instance_num: 52,
    }));
    const listing = await list(dms);
    expect(listing.ok && listing.instances.map((e) => e.instance_id)).toEqual(Array.from({ length: 51 }, (_, i) => entryAt(i).instance_id));
  });

  it('a total that shrinks while paging stops at the new total', async () => {
    const { dms, asked } = scripted(({ offset }) => ({
      instances: Array.from({ length: 50 }, (_, i) => entryAt(offset + i)),
      instance_num: offset === 0 ? 500 : 100,
    }));
    const listing = await list(dms);
    expect(listing.ok && listing.instances.length).toBe(100);
    expect(asked).toHaveLength(2);
  });

  it('a total over what one run reads fails at once, without reading the rest', async () => {
    const { dms, asked } = scripted(fleetOf(DEFAULT_MAX_PAGES * PAGE_LIMIT + 1));
    const listing = await list(dms);
    expect(listing).toMatchObject({ ok: false, error: { code: FLEET_TOO_LARGE }, retryable: false, pages: 1 });
    expect(asked).toHaveLength(1);
  });

  it('a total that grows past the cap while paging fails', async () => {
    const { dms, asked } = scripted(({ offset }) => ({
      instances: Array.from({ length: 50 }, (_, i) => entryAt(offset + i)),
      instance_num: offset === 0 ? 100 : 10_000,
    }));
    expect(await list(dms, { maxPages: 3 })).toMatchObject({ ok: false, error: { code: FLEET_TOO_LARGE } });
    expect(asked).toHaveLength(2);
  });

  it('pages too short to reach the total within the page cap fail, never a partial list', async () => {
    const { dms, asked } = scripted(({ offset }) => ({ instances: [entryAt(offset)], instance_num: 100 }));
    const listing = await list(dms, { maxPages: 5 });
    expect(listing).toMatchObject({ ok: false, error: { code: LISTING_INCOMPLETE, message: expect.stringContaining('5 of 100') }, pages: 5 });
    expect(asked).toHaveLength(5);
  });

  it('a page that fails ends the listing failed with Huawei\'s code and message, whatever came before', async () => {
    const dms: Pick<RegionalDms, 'listInstances'> = {
      listInstances: async (_project, page) => {
        if (page.offset === 0) return { data: fleetOf(120)(page), requestId: undefined };
        throw new HuaweiApiError({ status: 403, errorCode: 'DMS.00403000', errorMsg: 'no permission' });
      },
    };
    expect(await list(dms)).toEqual({ ok: false, error: { code: 'DMS.00403000', message: 'no permission' }, retryable: false, pages: 1 });
  });

  it('a transient failure that outlasted the client\'s retries is reported retryable', async () => {
    const dms: Pick<RegionalDms, 'listInstances'> = {
      listInstances: async () => {
        throw new HuaweiApiError({ status: 503, errorCode: 'APIG.0202', errorMsg: 'Backend unavailable.' });
      },
    };
    expect(await list(dms)).toMatchObject({ ok: false, error: { code: 'APIG.0202' }, retryable: true, pages: 0 });
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
