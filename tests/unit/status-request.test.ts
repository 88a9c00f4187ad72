// Unit tests of the status request (shared/status): the enable request's field rules, by field.
import { describe, expect, it } from 'vitest';
import { parseStatusRequest, statusRequestSchema } from '../../shared/status/index.ts';

const PROJECT_ID = '0123456789abcdef0123456789abcdef';
const INSTANCE_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const schema = statusRequestSchema({ defaultRegion: 'cn-north-4' });

describe('parseStatusRequest', () => {
  it('normalises as the enable request does, the default region filled in', () => {
    expect(parseStatusRequest(schema, { project_id: ` ${PROJECT_ID.toUpperCase()} `, instance_id: INSTANCE_ID.toUpperCase() })).toEqual({
      kind: 'parsed',
      request: { project_id: PROJECT_ID, instance_id: INSTANCE_ID, region: 'cn-north-4' },
    });
    expect(parseStatusRequest(schema, { project_id: PROJECT_ID, instance_id: INSTANCE_ID, region: 'eu-west-101' })).toMatchObject({
      request: { region: 'eu-west-101' },
    });
  });

  it('names every problem by field, enable options included (they are not status fields)', () => {
    const parsed = parseStatusRequest(schema, { project_id: 'x', region: 'mars-1', node_cnt: 2 });
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.issues).toEqual([
      { field: 'project_id', message: 'must be 32 hexadecimal characters (a Huawei Cloud project id)' },
      { field: 'instance_id', message: 'is required: a UUID (the Kafka instance id)' },
      { field: 'region', message: expect.stringMatching(/^must be a region Huawei's Kafka SDK knows/) },
      { field: 'node_cnt', message: 'is not a known field (known: project_id, instance_id, region)' },
    ]);
  });

  it('anything but an object is one issue for the request', () => {
    for (const input of [undefined, null, 'x', [], [{ project_id: PROJECT_ID, instance_id: INSTANCE_ID }]]) {
      expect(parseStatusRequest(schema, input), JSON.stringify(input)).toEqual({
        kind: 'invalid',
        issues: [{ field: 'request', message: 'must be a JSON object' }],
      });
    }
  });
});
