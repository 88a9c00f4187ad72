// Unit tests of what a fleet run decides from a list entry alone (shared/fleet: classifyInstance,
// matchesSelection), written out from DESIGN.md's Fleet summary and HUAWEI-DMS.md's instance facts.
import { describe, expect, it } from 'vitest';
import { classifyInstance, matchesSelection, type Classification, type Selection } from '../../shared/fleet/index.ts';
import type { InstanceListEntry } from '../../shared/huawei/index.ts';

const CONNECTOR = 'c0ffee00-0000-4000-8000-000000000001';

function entry(fields: Partial<InstanceListEntry> = {}): InstanceListEntry {
  return { instance_id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', name: 'orders-1', status: 'RUNNING', charging_mode: 1, ...fields };
}

describe('classifyInstance', () => {
  const table: Array<[string, Partial<InstanceListEntry>, Classification]> = [
    ['enabled', { connector_enable: true, connector_id: CONNECTOR }, 'already_enabled'],
    ['enabled, yearly/monthly (enabled some other way)', { connector_enable: true, charging_mode: 0 }, 'already_enabled'],
    ['enabled while busy with another operation', { connector_enable: true, status: 'RESTARTING' }, 'already_enabled'],
    ["being enabled: EXTENDING with the enable job's connector", { status: 'EXTENDING', connector_id: CONNECTOR }, 'enabling'],
    ['EXTENDING without a connector (a broker extension)', { status: 'EXTENDING', connector_id: '' }, 'skipped_busy'],
    ['EXTENDING, connector null', { status: 'EXTENDING', connector_id: null }, 'skipped_busy'],
    ['yearly/monthly (charging_mode 0)', { charging_mode: 0 }, 'skipped_not_pay_per_use'],
    ['yearly/monthly as a string', { charging_mode: '0' }, 'skipped_not_pay_per_use'],
    ['a charging mode that is not 1', { charging_mode: 2 }, 'skipped_not_pay_per_use'],
    ['yearly/monthly and busy: billing decides, a later run would not help', { charging_mode: 0, status: 'RESTARTING' }, 'skipped_not_pay_per_use'],
    ['RESTARTING', { status: 'RESTARTING' }, 'skipped_busy'],
    ['CREATING', { status: 'CREATING' }, 'skipped_busy'],
    ['FROZEN', { status: 'FROZEN' }, 'skipped_busy'],
    ['ERROR', { status: 'ERROR' }, 'skipped_busy'],
    ['RUNNING with a connector id but not enabled (a failed job)', { connector_id: CONNECTOR, connector_enable: false }, 'to_enable'],
    ['RUNNING, pay-per-use, not enabled', {}, 'to_enable'],
    ['pay-per-use as a string', { charging_mode: '1' }, 'to_enable'],
    ['no charging_mode: left to the enable call', { charging_mode: undefined }, 'to_enable'],
  ];
  for (const [what, fields, expected] of table) {
    it(`${what} -> ${expected}`, () => {
      expect(classifyInstance(entry(fields))).toBe(expected);
    });
  }
});

describe('matchesSelection', () => {
  const tagged = entry({
    name: 'orders-eu-1',
    enterprise_project_id: '0',
    tags: [
      { key: 'env', value: 'prod' },
      { key: 'team', value: 'payments' },
      { key: 'blank', value: '' },
      { key: 'nullvalue', value: null },
    ],
  });
  const table: Array<[string, Selection, boolean]> = [
    ['{} matches everything', {}, true],
    ['a tag with its value', { tags: { env: 'prod' } }, true],
    ['a tag with another value', { tags: { env: 'dev' } }, false],
    ['values are case-sensitive', { tags: { env: 'Prod' } }, false],
    ['keys are case-sensitive', { tags: { Env: 'prod' } }, false],
    ['"*" means the key is there', { tags: { team: '*' } }, true],
    ['"*" with a key that is not there', { tags: { owner: '*' } }, false],
    ['"*" with an empty value', { tags: { blank: '*' } }, true],
    ['an empty value asked for', { tags: { blank: '' } }, true],
    ['a null value reads as empty', { tags: { nullvalue: '' } }, true],
    ['every tag must hold', { tags: { env: 'prod', team: 'payments' } }, true],
    ['one tag failing fails the match', { tags: { env: 'prod', team: 'search' } }, false],
    ['a name prefix', { name_prefix: 'orders-' }, true],
    ['the whole name is a prefix of itself', { name_prefix: 'orders-eu-1' }, true],
    ['another prefix', { name_prefix: 'billing-' }, false],
    ['prefixes are case-sensitive', { name_prefix: 'Orders' }, false],
    ['the enterprise project the entry names', { enterprise_project_id: '0' }, true],
    ['another enterprise project', { enterprise_project_id: '5e7a1c2b-3d4f-4a6b-8c9d-0e1f2a3b4c5d' }, false],
    ['all conditions together', { tags: { env: 'prod' }, name_prefix: 'orders', enterprise_project_id: '0' }, true],
    ['all but one', { tags: { env: 'prod' }, name_prefix: 'billing', enterprise_project_id: '0' }, false],
  ];
  for (const [what, selection, expected] of table) {
    it(`${what} -> ${expected}`, () => {
      expect(matchesSelection(tagged, selection)).toBe(expected);
    });
  }

  it('an entry without tags matches no tag condition, "*" included', () => {
    expect(matchesSelection(entry({ tags: undefined }), { tags: { env: '*' } })).toBe(false);
    expect(matchesSelection(entry({ tags: null }), { tags: { env: '*' } })).toBe(false);
    expect(matchesSelection(entry({ tags: null }), {})).toBe(true);
  });

  it("an entry that does not name its enterprise project is left to Huawei's filter", () => {
    expect(matchesSelection(entry({ enterprise_project_id: undefined }), { enterprise_project_id: '0' })).toBe(true);
  });
});
