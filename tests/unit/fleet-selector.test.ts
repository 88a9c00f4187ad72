// Unit tests of the selector target (shared/fleet) against DESIGN.md's "Queue message body and
// schedule target": selector rules, invalid selectors named by field, and telling the two shapes apart.
import { describe, expect, it } from 'vitest';
import { accountSelectorSchema, parseTarget, selectorTargetSchema, type FleetTarget } from '../../shared/fleet/index.ts';
import { enableRequestSchema, parseRequest, type RequestIssue } from '../../shared/request/index.ts';

const PROJECT_ID = '0123456789abcdef0123456789abcdef';
const INSTANCE_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const EPS = '5e7a1c2b-3d4f-4a6b-8c9d-0e1f2a3b4c5d';
const OPTIONS = { defaultRegion: 'cn-north-4', allowedCallbackHosts: ['localhost:3000'] } as const;
const schemas = { instance: enableRequestSchema(OPTIONS), selector: selectorTargetSchema(OPTIONS), account: accountSelectorSchema(OPTIONS) };

function selector(input: unknown): FleetTarget {
  const parsed = parseTarget(schemas, input);
  if (parsed.kind === 'invalid') throw new Error(`expected success, got: ${JSON.stringify(parsed.issues)}`);
  if (parsed.target.kind !== 'selector') throw new Error(`expected a selector, got ${parsed.target.kind}`);
  return parsed.target.selector;
}

function issues(input: unknown): readonly RequestIssue[] {
  const parsed = parseTarget(schemas, input);
  if (parsed.kind === 'parsed') throw new Error(`expected failure, got: ${JSON.stringify(parsed.target)}`);
  return parsed.issues;
}

const fields = (input: unknown) => issues(input).map((issue) => issue.field);

describe('a selector target', () => {
  it('select: {} is every Kafka instance of the project, with the enable defaults', () => {
    expect(selector({ project_id: PROJECT_ID, select: {} })).toEqual({
      project_id: PROJECT_ID,
      region: 'cn-north-4',
      select: {},
      node_cnt: '2',
      dry_run: false,
    });
  });

  it('keeps every condition and normalises the enable options as the single-instance request does', () => {
    const input = {
      project_id: PROJECT_ID.toUpperCase(),
      region: 'eu-west-101',
      select: { tags: { env: 'prod', team: '*', empty: '' }, name_prefix: 'orders-', enterprise_project_id: EPS.toUpperCase() },
      node_cnt: ' 3 ',
      specification: '300 mb',
      spec_code: 'kafka.c3.small.connector',
      callback_url: 'https://hooks.example.com/fleet',
      dry_run: true,
    };
    expect(selector(input)).toEqual({
      project_id: PROJECT_ID,
      region: 'eu-west-101',
      select: { tags: { env: 'prod', team: '*', empty: '' }, name_prefix: 'orders-', enterprise_project_id: EPS },
      node_cnt: '3',
      specification: '300MB',
      spec_code: 'kafka.c3.small.connector',
      callback_url: 'https://hooks.example.com/fleet',
      dry_run: true,
    });
  });

  it('accepts 0, the default enterprise project', () => {
    expect(selector({ project_id: PROJECT_ID, select: { enterprise_project_id: '0' } }).select.enterprise_project_id).toBe('0');
  });

  it('accepts tags at the limits: 20 tags, keys of 128 and values of 255 characters', () => {
    const tags = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${String(i).padStart(2, '0')}${'k'.repeat(126)}`, 'v'.repeat(255)]));
    expect(Object.keys(selector({ project_id: PROJECT_ID, select: { tags } }).select.tags ?? {})).toHaveLength(20);
  });

  it('an enable option is wrong in a selector exactly when it is wrong in a single-instance request', () => {
    const cases: Record<string, unknown>[] = [
      { node_cnt: 1 },
      { node_cnt: '2.5' },
      { specification: '250MB', spec_code: 'x' },
      { specification: '100MB' },
      { spec_code: 'kafka.c3.mini.connector' },
      { region: 'mars-1' },
      { callback_url: 'http://hooks.example.com/' },
      { callback_url: 'http://localhost:3000/ok' },
      { project_id: 'not-a-project' },
    ];
    for (const options of cases) {
      const single = parseRequest(schemas.instance, { project_id: PROJECT_ID, instance_id: INSTANCE_ID, ...options });
      const fleet = parseTarget(schemas, { project_id: PROJECT_ID, select: {}, ...options });
      expect(fleet.kind, JSON.stringify(options)).toBe(single.kind);
      if (single.kind === 'invalid' && fleet.kind === 'invalid') expect(fleet.issues).toEqual(single.issues);
    }
  });
});

describe('an invalid selector target names every problem by field', () => {
  it('a selector with instance_id', () => {
    const found = issues({ project_id: PROJECT_ID, instance_id: INSTANCE_ID, select: {} });
    expect(found).toEqual([{ field: 'instance_id', message: expect.stringMatching(/must not come with select/) }]);
  });

  it('unknown fields, at the top and in select', () => {
    expect(issues({ project_id: PROJECT_ID, select: { nameprefix: 'x' }, node_count: 3 })).toEqual([
      { field: 'select.nameprefix', message: 'is not a known field (known: tags, name_prefix, enterprise_project_id)' },
      { field: 'node_count', message: expect.stringMatching(/^is not a known field \(known: project_id, region, select, /) },
    ]);
  });

  it('select that is not an object of conditions (a list must not mean "everything")', () => {
    for (const select of [[], [{}], null, 'all', 1, true]) {
      expect(fields({ project_id: PROJECT_ID, select }), JSON.stringify(select)).toEqual(['select']);
    }
  });

  it('tags that are not an object of string values', () => {
    for (const tags of [[], [['env', 'prod']], null, 'env=prod']) {
      expect(fields({ project_id: PROJECT_ID, select: { tags } }), JSON.stringify(tags)).toEqual(['select.tags']);
    }
    expect(fields({ project_id: PROJECT_ID, select: { tags: { env: 1, team: null, ok: 'x' } } })).toEqual(['select.tags.env', 'select.tags.team']);
  });

  it('tag keys that would silently vanish (and widen the selection) are refused', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const input = JSON.parse(`{"project_id":"${PROJECT_ID}","select":{"tags":{"${key}":"x"}}}`);
      expect(fields(input), key).toEqual(['select.tags']);
    }
  });

  it('sizes are bounded: keys, values, the number of tags, the name prefix', () => {
    expect(fields({ project_id: PROJECT_ID, select: { tags: { '': 'x' } } })).toEqual(['select.tags.']);
    expect(fields({ project_id: PROJECT_ID, select: { tags: { ok: 'v'.repeat(256) } } })).toEqual(['select.tags.ok']);
    const manyTags = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
    expect(fields({ project_id: PROJECT_ID, select: { tags: manyTags } })).toEqual(['select.tags']);
    expect(fields({ project_id: PROJECT_ID, select: { name_prefix: 'n'.repeat(65) } })).toEqual(['select.name_prefix']);
    expect(fields({ project_id: PROJECT_ID, select: { name_prefix: '' } })).toEqual(['select.name_prefix']);
  });

  it('a tag whose key and value are both wrong is named twice, with what each must be', () => {
    expect(issues({ project_id: PROJECT_ID, select: { tags: { '': 'v'.repeat(256) } } })).toEqual([
      { field: 'select.tags.', message: 'must be a tag key of 1 to 128 characters' },
      { field: 'select.tags.', message: 'must be a tag value of at most 255 characters, or "*" for any value' },
    ]);
  });

  it('the number of tags is judged once every value is text', () => {
    const manyTags = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i === 3 ? 3 : 'v']));
    expect(fields({ project_id: PROJECT_ID, select: { tags: manyTags } })).toEqual(['select.tags.k3']);
  });

  it('a tag key too long is named by a short prefix of the field, not echoed whole', () => {
    const [issue] = issues({ project_id: PROJECT_ID, select: { tags: { ['k'.repeat(10_000)]: 'v' } } });
    expect(issue?.message).toMatch(/tag key of 1 to 128 characters/);
    expect(issue?.field.startsWith('select.tags.kkkk')).toBe(true);
    expect(issue?.field.length).toBeLessThanOrEqual(81);
  });

  it('an enterprise project that is neither 0 nor a UUID', () => {
    for (const id of ['', 'default', '00', `${EPS}x`, 0]) {
      expect(fields({ project_id: PROJECT_ID, select: { enterprise_project_id: id } }), String(id)).toEqual(['select.enterprise_project_id']);
    }
  });

  it('dry_run that is not a boolean', () => {
    for (const dryRun of ['true', 1, null]) {
      expect(fields({ project_id: PROJECT_ID, select: {}, dry_run: dryRun }), String(dryRun)).toEqual(['dry_run']);
    }
  });

  it('lists every problem at once', () => {
    expect(fields({ project_id: 'x', select: { tags: { a: 2 }, extra: 1 }, node_cnt: 0, dry_run: 'no' }).sort()).toEqual(
      ['dry_run', 'node_cnt', 'project_id', 'select.extra', 'select.tags.a'].sort(),
    );
  });
});

describe('telling a single-instance target from a selector target', () => {
  it('without select it is a single-instance request', () => {
    const parsed = parseTarget(schemas, { project_id: PROJECT_ID, instance_id: INSTANCE_ID, node_cnt: 3 });
    expect(parsed).toEqual({
      kind: 'parsed',
      target: { kind: 'instance', request: { project_id: PROJECT_ID, instance_id: INSTANCE_ID, region: 'cn-north-4', node_cnt: '3' } },
    });
  });

  it('a single-instance target with selector fields fails as a single-instance request, by field', () => {
    const parsed = parseTarget(schemas, { project_id: PROJECT_ID, instance_id: INSTANCE_ID, dry_run: true });
    expect(parsed).toMatchObject({ kind: 'invalid', shape: 'instance', issues: [{ field: 'dry_run' }] });
  });

  it('select makes it a selector, even when select itself is broken', () => {
    expect(parseTarget(schemas, { project_id: PROJECT_ID, select: null })).toMatchObject({ kind: 'invalid', shape: 'selector' });
  });

  it('neither an object nor anything else throws', () => {
    for (const input of [undefined, null, 'x', 3, [], [{ select: {} }]]) {
      expect(parseTarget(schemas, input), JSON.stringify(input)).toMatchObject({ kind: 'invalid', shape: 'instance', issues: [{ field: 'request' }] });
    }
  });
});

describe('a selector without project_id', () => {
  it('is for the project named after its region (found when it runs): no project_id in what is parsed', () => {
    expect(selector({ region: 'ap-southeast-1', select: {} })).toEqual({ region: 'ap-southeast-1', select: {}, node_cnt: '2', dry_run: false });
    expect(selector({ select: {} })).toEqual({ region: 'cn-north-4', select: {}, node_cnt: '2', dry_run: false });
  });

  it("regions belongs to an account-wide run: refused by name in one project's", () => {
    expect(issues({ project_id: PROJECT_ID, regions: ['cn-north-4'], select: {} })).toEqual([
      { field: 'regions', message: expect.stringMatching(/^comes only with projects: "all"/) },
    ]);
  });
});

describe('an account-wide selector (projects: "all")', () => {
  it('covers every project, with the same enable defaults; regions narrows it', () => {
    expect(selector({ projects: 'all', select: {} })).toEqual({ projects: 'all', select: {}, node_cnt: '2', dry_run: false });
    expect(selector({ projects: 'all', regions: ['cn-north-4', 'eu-west-101'], select: { tags: { team: 'data' } }, node_cnt: 3, dry_run: true })).toEqual({
      projects: 'all',
      regions: ['cn-north-4', 'eu-west-101'],
      select: { tags: { team: 'data' } },
      node_cnt: '3',
      dry_run: true,
    });
  });

  it('projects without select is still a selector, and select is required', () => {
    expect(parseTarget(schemas, { projects: 'all' })).toMatchObject({
      kind: 'invalid',
      shape: 'selector',
      issues: [{ field: 'select', message: expect.stringMatching(/^is required/) }],
    });
  });

  it('refuses project_id, region and instance_id beside projects, each by name, and checks the rest', () => {
    const refused = issues({ projects: 'all', project_id: PROJECT_ID, region: 'cn-north-4', instance_id: INSTANCE_ID, select: {}, node_cnt: 1 });
    expect(refused.map((issue) => issue.field).sort()).toEqual(['instance_id', 'node_cnt', 'project_id', 'region']);
    expect(refused.find((issue) => issue.field === 'project_id')?.message).toMatch(/^must not come with projects/);
    expect(refused.find((issue) => issue.field === 'region')?.message).toMatch(/^must not come with projects/);
  });

  it('projects is "all" and nothing else; regions a non-empty list of known regions', () => {
    expect(fields({ projects: 'some', select: {} })).toEqual(['projects']);
    expect(fields({ projects: true, select: {} })).toEqual(['projects']);
    expect(fields({ projects: 'all', regions: [], select: {} })).toEqual(['regions']);
    expect(fields({ projects: 'all', regions: 'cn-north-4', select: {} })).toEqual(['regions']);
    expect(fields({ projects: 'all', regions: ['cn-north-4', 'mars-1'], select: {} })).toEqual(['regions.1']);
  });

  it("an enable option is wrong account-wide exactly when it is wrong in one project's selector", () => {
    for (const options of [{ node_cnt: 1 }, { specification: '100MB' }, { callback_url: 'http://hooks.example.com/' }, { dry_run: 'yes' }, { extra: 1 }]) {
      const project = parseTarget(schemas, { project_id: PROJECT_ID, select: {}, ...options });
      const account = parseTarget(schemas, { projects: 'all', select: {}, ...options });
      expect(project.kind === 'parsed' || account.kind === 'parsed', JSON.stringify(options)).toBe(false);
      if (project.kind === 'invalid' && account.kind === 'invalid') expect(account.issues.map((i) => i.field)).toEqual(project.issues.map((i) => i.field));
    }
  });
});
