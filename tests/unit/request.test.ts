// Unit tests of shared/request (and the callback URL rule it uses) against shared/DESIGN.md "Normalisation". Expected values are
// written out by hand from the design (the region list is copied from HUAWEI-DMS.md), never taken
// from the module's own output.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { KAFKA_REGIONS } from '../../shared/huawei/index.ts';
import { callbackUrlSchema } from '../../shared/callback/index.ts';
import { enableRequestSchema, type UnresolvedEnableRequest, parseRequest, describeIssues, type RequestIssue } from '../../shared/request/index.ts';

const PROJECT_ID = '0123456789abcdef0123456789abcdef';
const INSTANCE_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const BASE = { project_id: PROJECT_ID, instance_id: INSTANCE_ID } as const;

// HUAWEI-DMS.md, "Regions the official SDK knows (KafkaRegion, 3.1.215)".
const DOCUMENTED_REGIONS = [
  'eu-west-101',
  'cn-north-1',
  'cn-north-2',
  'cn-north-4',
  'cn-east-3',
  'cn-east-2',
  'cn-south-1',
  'cn-south-2',
  'cn-southwest-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'af-south-1',
  'ru-northwest-2',
  'cn-north-9',
  'la-south-2',
  'sa-brazil-1',
  'la-north-2',
  'na-mexico-1',
  'ap-southeast-4',
  'tr-west-1',
  'ae-ad-1',
  'eu-west-0',
  'me-east-1',
  'cn-east-5',
  'my-kualalumpur-1',
  'cn-east-4',
  'af-north-1',
  'ap-southeast-5',
  'ru-moscow-1',
  'cn-south-4',
  'cn-north-12',
  'cn-north-11',
  'cn-southwest-3',
] as const;

const schema = enableRequestSchema({ defaultRegion: 'cn-north-4', allowedCallbackHosts: ['localhost:3000', 'hooks.internal'] });

function accept(input: unknown, s = schema): UnresolvedEnableRequest {
  const parsed = parseRequest(s, input);
  if (parsed.kind === 'invalid') throw new Error(`expected success, got: ${JSON.stringify(parsed.issues)}`);
  return parsed.request;
}

function reject(input: unknown, s = schema): readonly RequestIssue[] {
  const parsed = parseRequest(s, input);
  if (parsed.kind === 'parsed') throw new Error(`expected failure, got: ${JSON.stringify(parsed.request)}`);
  return parsed.issues;
}

/** The distinct fields named, sorted (one field may carry more than one issue, e.g. Infinity). */
function fieldsOf(issues: readonly RequestIssue[]): string[] {
  return [...new Set(issues.map((issue) => issue.field))].sort();
}

/** A message a person can read: our wording, not valibot's default "Invalid type: Expected ...". */
function expectHumanMessage(issue: RequestIssue): void {
  expect(issue.message).toMatch(/^(must be|is required|is not a known field)\b/);
  expect(issue.message).not.toMatch(/Invalid (type|format|length|value)|Expected /);
}

describe('a minimal valid request', () => {
  it('normalises to project, instance, default region and node_cnt "2", and nothing else', () => {
    expect(accept(BASE)).toEqual({ project_id: PROJECT_ID, instance_id: INSTANCE_ID, region: 'cn-north-4', node_cnt: '2' });
  });
});

describe('project_id', () => {
  it('normalises upper-case hex to lower case', () => {
    expect(accept({ ...BASE, project_id: '0123456789ABCDEF0123456789ABCDEF' }).project_id).toBe(PROJECT_ID);
  });

  it('trims surrounding spaces', () => {
    expect(accept({ ...BASE, project_id: `  ${PROJECT_ID} ` }).project_id).toBe(PROJECT_ID);
  });

  it.each([
    ['31 hex chars', PROJECT_ID.slice(1)],
    ['33 hex chars', `${PROJECT_ID}0`],
    ['a non-hex char', `${PROJECT_ID.slice(0, 31)}g`],
    ['a UUID', INSTANCE_ID],
    ['empty', ''],
    ['a number', 12345],
    ['null', null],
  ])('rejects %s', (_label, value) => {
    const issues = reject({ ...BASE, project_id: value });
    expect(fieldsOf(issues)).toEqual(['project_id']);
    expect(issues[0]?.message).toMatch(/32 hexadecimal/);
    expectHumanMessage(issues[0]!);
  });

  it('may be left out: the request is then for the project named after its region', () => {
    expect(accept({ instance_id: INSTANCE_ID, region: 'ap-southeast-1' })).toEqual({ instance_id: INSTANCE_ID, region: 'ap-southeast-1', node_cnt: '2' });
  });

  it('given as undefined (the HTTP route always gives it, from its path) it is required, and says so', () => {
    const issues = reject({ project_id: undefined, instance_id: INSTANCE_ID });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field).toBe('project_id');
    expect(issues[0]?.message).toMatch(/^is required: 32 hexadecimal/);
  });
});

describe('instance_id', () => {
  it('accepts a UUID and normalises it to lower case', () => {
    expect(accept({ ...BASE, instance_id: INSTANCE_ID.toUpperCase() }).instance_id).toBe(INSTANCE_ID);
  });

  it.each([
    ['a UUID without dashes', INSTANCE_ID.replaceAll('-', '')],
    ['a truncated UUID', INSTANCE_ID.slice(0, 35)],
    ['a UUID with a non-hex char', `${INSTANCE_ID.slice(0, 35)}z`],
    ['a project id', PROJECT_ID],
    ['a number', 42],
  ])('rejects %s', (_label, value) => {
    const issues = reject({ ...BASE, instance_id: value });
    expect(fieldsOf(issues)).toEqual(['instance_id']);
    expect(issues[0]?.message).toMatch(/UUID/);
    expectHumanMessage(issues[0]!);
  });

  it('is required, and says so', () => {
    const issues = reject({ project_id: PROJECT_ID });
    expect(issues).toEqual([{ field: 'instance_id', message: expect.stringMatching(/^is required.*UUID/) }]);
  });
});

describe('unknown fields', () => {
  it.each(['node_count', 'nodeCnt', 'extra', 'projectId'])('rejects %s by name', (name) => {
    const issues = reject({ ...BASE, [name]: 3 });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field).toBe(name);
    expect(issues[0]?.message).toMatch(/not a known field/);
  });

  it('quotes an unknown key of 3 MB, never echoes it whole', () => {
    const key = 'k'.repeat(3_000_000);
    const issues = reject({ ...BASE, [key]: 1 });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field.startsWith('kkkk')).toBe(true);
    expect(issues[0]?.field.length).toBeLessThanOrEqual(65);
    expect(describeIssues(issues).length).toBeLessThan(400);
  });

  it('does not fall back to the default node_cnt when the field name is a typo', () => {
    const parsed = parseRequest(schema, { ...BASE, node_count: 5 });
    expect(parsed.kind).toBe('invalid');
  });
});

describe('node_cnt', () => {
  it.each([
    [2, '2'],
    [3, '3'],
    [2.0, '2'],
    [30, '30'],
    ['2', '2'],
    ['10', '10'],
    ['3 ', '3'],
    [' 4', '4'],
    ['02', '2'],
    [9007199254740991, '9007199254740991'],
  ])('accepts %j as the decimal string %j', (input, expected) => {
    expect(accept({ ...BASE, node_cnt: input }).node_cnt).toBe(expected);
  });

  it('defaults to "2" when absent', () => {
    expect(accept(BASE).node_cnt).toBe('2');
  });

  it.each([
    ['1', 1],
    ['0', 0],
    ['-2', -2],
    ['2.5', 2.5],
    ['"2.5"', '2.5'],
    ['"abc"', 'abc'],
    ['""', ''],
    ['"1"', '1'],
    ['"-3"', '-3'],
    ['true', true],
    ['null', null],
    ['1e21', 1e21],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['an array', [3]],
  ])('rejects %s', (_label, value) => {
    const issues = reject({ ...BASE, node_cnt: value });
    expect(fieldsOf(issues)).toEqual(['node_cnt']);
    expect(issues[0]?.message).toMatch(/whole number of at least 2/);
    expectHumanMessage(issues[0]!);
  });
});

describe('specification', () => {
  it.each([
    ['100MB', '100MB'],
    ['100 MB', '100MB'],
    ['100mb', '100MB'],
    [100, '100MB'],
    ['300MB', '300MB'],
    [600, '600MB'],
    ['1200MB', '1200MB'],
    ['1200 mb', '1200MB'],
  ])('normalises %j to %j', (input, expected) => {
    expect(accept({ ...BASE, specification: input, spec_code: 'kafka.c3.mini.connector' }).specification).toBe(expected);
  });

  it.each([['200MB'], ['MB'], [''], [200], ['100GB'], [true]])('rejects %j', (value) => {
    const issues = reject({ ...BASE, specification: value, spec_code: 'kafka.c3.mini.connector' });
    expect(fieldsOf(issues)).toEqual(['specification']);
    expect(issues[0]?.message).toMatch(/100MB, 300MB, 600MB, 1200MB/);
    expectHumanMessage(issues[0]!);
  });
});

describe('specification and spec_code', () => {
  it('accepts both together and keeps spec_code', () => {
    const request = accept({ ...BASE, specification: '300MB', spec_code: 'kafka.c3.small.connector' });
    expect(request.specification).toBe('300MB');
    expect(request.spec_code).toBe('kafka.c3.small.connector');
  });

  it('accepts neither', () => {
    const request = accept(BASE);
    expect(request.specification).toBeUndefined();
    expect(request.spec_code).toBeUndefined();
  });

  it('names spec_code as missing when only specification is given, and says they go together', () => {
    const issues = reject({ ...BASE, specification: '100MB' });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field).toBe('spec_code');
    expect(issues[0]?.message).toMatch(/^is required/);
    expect(issues[0]?.message).toMatch(/go together/);
  });

  it('names specification as missing when only spec_code is given, and says they go together', () => {
    const issues = reject({ ...BASE, spec_code: 'kafka.c3.mini.connector' });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field).toBe('specification');
    expect(issues[0]?.message).toMatch(/^is required/);
    expect(issues[0]?.message).toMatch(/go together/);
  });

  it('rejects a malformed spec_code', () => {
    const issues = reject({ ...BASE, specification: '100MB', spec_code: 'not a code!' });
    expect(fieldsOf(issues)).toEqual(['spec_code']);
    expectHumanMessage(issues[0]!);
  });

  it('waits for a specification it can read: one that is not a flavour size, alone, is named once, as itself', () => {
    expect(reject({ ...BASE, specification: '200MB' })).toEqual([{ field: 'specification', message: expect.stringMatching(/^must be one of 100MB/) }]);
  });

  it('still names the missing half when an unknown field or a missing project_id fails too', () => {
    const issues = reject({ project_id: undefined, instance_id: INSTANCE_ID, spec_code: 'kafka.c3.mini.connector', extra: 1 });
    expect(fieldsOf(issues)).toEqual(['extra', 'project_id', 'specification']);
  });
});

describe('region', () => {
  it('defaults to the schema option', () => {
    expect(accept(BASE).region).toBe('cn-north-4');
    const eu = enableRequestSchema({ defaultRegion: 'eu-west-101' });
    expect(accept(BASE, eu).region).toBe('eu-west-101');
  });

  it('knows exactly the regions HUAWEI-DMS.md lists', () => {
    expect([...KAFKA_REGIONS].sort()).toEqual([...DOCUMENTED_REGIONS].sort());
  });

  it.each(DOCUMENTED_REGIONS.map((region) => [region]))('accepts %s', (region) => {
    expect(accept({ ...BASE, region }).region).toBe(region);
  });

  it.each([['mars-1'], ['CN-NORTH-4'], ['us-east-1'], [''], [4], [null]])('rejects %j', (region) => {
    const issues = reject({ ...BASE, region });
    expect(fieldsOf(issues)).toEqual(['region']);
    expect(issues[0]?.message).toMatch(/region/);
    expectHumanMessage(issues[0]!);
  });
});

describe('callback_url', () => {
  it.each([['https://hooks.example.com/cb'], ['https://hooks.example.com:8443/cb?x=1'], ['http://localhost:3000/cb'], ['http://hooks.internal/cb']])(
    'accepts %s',
    (url) => {
      expect(accept({ ...BASE, callback_url: url }).callback_url).toBe(url);
    },
  );

  it.each([
    ['http to a host that is not allowed', 'http://hooks.example.com/cb'],
    ['http to an allowed host on another port', 'http://localhost:4000/cb'],
    ['http to an allowed host without its listed port', 'http://localhost/cb'],
    ['ftp', 'ftp://hooks.example.com/cb'],
    ['javascript:', 'javascript:alert(1)'],
    ['a number', 42],
  ])('rejects %s', (_label, url) => {
    const issues = reject({ ...BASE, callback_url: url });
    expect(fieldsOf(issues)).toEqual(['callback_url']);
    expect(issues[0]?.message).toMatch(/https/);
    expectHumanMessage(issues[0]!);
  });

  // Not absolute URLs at all: these must come back as issues, not as a thrown TypeError.
  it.each([['/relative/path'], ['not a url'], [''], ['hooks.example.com/cb']])('rejects %j as an issue', (url) => {
    let parsed: ReturnType<typeof parseRequest> | undefined;
    expect(() => {
      parsed = parseRequest(schema, { ...BASE, callback_url: url });
    }).not.toThrow();
    expect(parsed?.kind).toBe('invalid');
    if (parsed?.kind === 'invalid') {
      expect(fieldsOf(parsed.issues)).toEqual(['callback_url']);
      expectHumanMessage(parsed.issues[0]!);
    }
  });

  it('accepts 2,048 characters and refuses 2,049, naming the field and the limit', () => {
    const prefix = 'https://hooks.example.com/';
    const atLimit = `${prefix}${'a'.repeat(2_048 - prefix.length)}`;
    expect(accept({ ...BASE, callback_url: atLimit }).callback_url).toBe(atLimit);
    const issues = reject({ ...BASE, callback_url: `${atLimit}a` });
    expect(fieldsOf(issues)).toEqual(['callback_url']);
    expect(issues[0]?.message).toMatch(/2048/);
    expectHumanMessage(issues[0]!);
  });

  it('refuses a 3 MB hostname with a short message that does not repeat it', () => {
    const issues = reject({ ...BASE, callback_url: `https://${'h'.repeat(3_000_000)}.example/cb` });
    expect(fieldsOf(issues)).toEqual(['callback_url']);
    expect(JSON.stringify(issues).length).toBeLessThan(400);
  });

  it('refuses credentials in the URL, naming the field and not repeating them', () => {
    const issues = reject({ ...BASE, callback_url: 'https://alice:s3cr3t-pass@hooks.example.com/cb' });
    expect(fieldsOf(issues)).toEqual(['callback_url']);
    expect(issues[0]?.message).toMatch(/credentials/);
    expect(JSON.stringify(issues)).not.toContain('s3cr3t-pass');
  });

  it('keeps the callback_url of a request that failed elsewhere, once it met the rule (the sender is owed the rejection)', () => {
    const parsed = parseRequest(schema, { ...BASE, node_cnt: 1, callback_url: ' https://hooks.example.com/cb ' });
    expect(parsed).toMatchObject({ kind: 'invalid', callbackUrl: 'https://hooks.example.com/cb' });
  });

  it.each([
    ['a callback_url that broke the rule', { ...BASE, node_cnt: 1, callback_url: 'http://hooks.example.com/cb' }],
    ['no callback_url', { ...BASE, node_cnt: 1 }],
    ['input that is not an object', 'https://hooks.example.com/cb'],
  ])('keeps no callback URL from a failed request with %s', (_label, input) => {
    const parsed = parseRequest(schema, input);
    expect(parsed.kind).toBe('invalid');
    expect(parsed).not.toHaveProperty('callbackUrl');
  });

  it('allows no plain http at all when no hosts are allowed', () => {
    const strict = enableRequestSchema({ defaultRegion: 'cn-north-4' });
    expect(fieldsOf(reject({ ...BASE, callback_url: 'http://localhost:3000/cb' }, strict))).toEqual(['callback_url']);
  });
});

describe('callbackUrlSchema with CALLBACK_ALLOWED_HOSTS (host = any port, host:port = that port)', () => {
  const allowed = ['localhost:3000', 'hooks.internal', '[::1]:8080', 'LOUD.example', '[0:0::2]'];
  const schema = callbackUrlSchema(allowed);
  it.each([
    ['https://anything.example.com/x', true],
    ['https://10.0.0.1/x', true],
    ['http://localhost:3000/x', true],
    ['http://hooks.internal/x', true],
    ['http://hooks.internal:80/x', true],
    ['http://[::1]:8080/x', true],
    ['http://localhost/x', false],
    ['http://localhost:3001/x', false],
    ['http://hooks.internal:8080/x', true],
    ['http://hooks.internal:65535/x', true],
    ['http://HOOKS.internal:1/x', true],
    ['http://loud.example:8080/x', true],
    ['http://[::2]:9999/x', true],
    ['http://[0:0:0:0:0:0:0:1]:8080/x', true],
    ['http://[::1]:8081/x', false],
    ['http://[::1]/x', false],
    ['http://localhost:80/x', false],
    ['http://hooks.internal.evil.example/x', false],
    ['http://evilhooks.internal/x', false],
    ['http://other.example.com/x', false],
    ['ftp://localhost:3000/x', false],
    ['ws://localhost:3000/x', false],
  ])('%s -> %s', (url, expected) => {
    expect(v.is(schema, url)).toBe(expected);
  });
});

describe('inputs that are not objects', () => {
  it.each([
    ['a string', 'hello'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['a boolean', true],
    ['an array', [{ project_id: 'x' }]],
    ['an empty array', []],
  ])('reports %s under the field "request"', (_label, input) => {
    const issues = reject(input);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field).toBe('request');
    expect(issues[0]?.message).toMatch(/object/);
  });
});

describe('several problems at once', () => {
  it('lists every issue, each with its field and a human message', () => {
    const issues = reject({
      project_id: 'nope',
      instance_id: 'nope',
      region: 'mars-1',
      node_cnt: 1,
      node_count: 3,
      specification: '100MB',
    });
    expect(fieldsOf(issues)).toEqual(['instance_id', 'node_cnt', 'node_count', 'project_id', 'region', 'spec_code']);
    for (const issue of issues) {
      expect(issue.message.length).toBeGreaterThan(5);
    }
    for (const issue of issues.filter((issue) => issue.field !== 'node_count')) expectHumanMessage(issue);
  });

  it('lists missing required fields together with other problems', () => {
    const issues = reject({ node_cnt: 'abc', extra: true });
    expect(fieldsOf(issues)).toEqual(['extra', 'instance_id', 'node_cnt']);
  });
});

describe('describeIssues', () => {
  it('joins "field message" pairs with "; " on one line', () => {
    expect(
      describeIssues([
        { field: 'node_cnt', message: 'must be big' },
        { field: 'spec_code', message: 'is required' },
      ]),
    ).toBe('node_cnt must be big; spec_code is required');
  });

  it('is empty for no issues', () => {
    expect(describeIssues([])).toBe('');
  });

  it('names every field of a real failure, on one line', () => {
    const line = describeIssues(reject({ ...BASE, node_cnt: 0, specification: '100MB' }));
    expect(line).toMatch(/^(node_cnt|spec_code) /);
    expect(line).toContain('node_cnt must be a whole number of at least 2');
    expect(line).toContain('spec_code is required');
    expect(line.split('; ')).toHaveLength(2);
    expect(line).not.toContain('\n');
  });
});
