// Unit tests of shared/projects/classify.ts against shared/DESIGN.md "Account summary": every enabled
// project named after a Kafka region, or a sub-project of one, is covered with its region; every
// other project IAM lists is skipped with its reason; `regions` narrows the run.
import { describe, expect, it } from 'vitest';
import type { IamProject } from '../../shared/huawei/index.ts';
import { classifyProjects, regionPartOf } from '../../shared/projects/index.ts';

let next = 0;
function project(name: string, extra: Partial<IamProject> = {}): IamProject {
  next += 1;
  return { id: next.toString(16).padStart(32, 'a'), name, enabled: true, ...extra };
}

describe('classifyProjects', () => {
  it('covers projects named after a Kafka region, with that region, in the order IAM lists them', () => {
    const listed = [project('eu-west-101'), project('cn-north-4'), project('ap-southeast-1'), project('my-kualalumpur-1')];
    const { projects, skipped } = classifyProjects(listed);
    expect(projects).toEqual(listed.map((p) => ({ project_id: p.id, project_name: p.name, region: p.name })));
    expect(skipped).toEqual([]);
  });

  it('covers a sub-project (REGION_suffix) in its region, under its own name', () => {
    const dev = project('cn-north-4_dev');
    const nested = project('ap-southeast-1_team_a');
    expect(classifyProjects([dev, nested]).projects).toEqual([
      { project_id: dev.id, project_name: 'cn-north-4_dev', region: 'cn-north-4' },
      { project_id: nested.id, project_name: 'ap-southeast-1_team_a', region: 'ap-southeast-1' },
    ]);
  });

  it.each<[string, IamProject, string]>([
    ['a disabled region project', project('cn-north-4', { enabled: false }), 'disabled'],
    ['a disabled sub-project', project('cn-north-4_dev', { enabled: false }), 'disabled'],
    ['MOS', project('MOS'), 'not_a_region'],
    ['a name in upper case', project('CN-NORTH-4'), 'not_a_region'],
    ['an empty name', project(''), 'not_a_region'],
    ['a sub-project of no region', project('MOS_dev'), 'not_a_region'],
    ['a region without Kafka', project('cn-north-7'), 'no_kafka_in_region'],
    ['a sub-project of a region without Kafka', project('cn-north-7_dev'), 'no_kafka_in_region'],
    ['an id that is no project id', project('cn-north-4', { id: 'not-a-project-id' }), 'unreadable'],
    ['an id of 31 hex characters', project('cn-north-4', { id: 'a'.repeat(31) }), 'unreadable'],
  ])('skips %s with its reason', (_label, listed, reason) => {
    const { projects, skipped } = classifyProjects([listed]);
    expect(projects).toEqual([]);
    expect(skipped).toEqual([{ project_id: listed.id, name: listed.name, reason }]);
  });

  it('gives the most basic reason first: a disabled project that is no region is disabled', () => {
    expect(classifyProjects([project('MOS', { enabled: false })]).skipped[0]?.reason).toBe('disabled');
    expect(classifyProjects([project('MOS', { enabled: false, id: 'x' })]).skipped[0]?.reason).toBe('unreadable');
    expect(classifyProjects([project('MOS')], ['cn-north-4']).skipped[0]?.reason).toBe('not_a_region');
  });

  it('narrows to `regions`: projects of other regions are skipped as not_in_regions, sub-projects follow their region', () => {
    const listed = [project('cn-north-4'), project('cn-north-4_dev'), project('ap-southeast-1'), project('eu-west-101_prod'), project('MOS')];
    const { projects, skipped } = classifyProjects(listed, ['cn-north-4', 'eu-west-101']);
    expect(projects.map((p) => p.project_name)).toEqual(['cn-north-4', 'cn-north-4_dev', 'eu-west-101_prod']);
    expect(skipped.map((p) => [p.name, p.reason])).toEqual([
      ['ap-southeast-1', 'not_in_regions'],
      ['MOS', 'not_a_region'],
    ]);
  });

  it('covers nothing when `regions` is empty, and everything when it is not given', () => {
    const listed = [project('cn-north-4'), project('ap-southeast-1')];
    expect(classifyProjects(listed, []).projects).toEqual([]);
    expect(classifyProjects(listed, []).skipped.map((p) => p.reason)).toEqual(['not_in_regions', 'not_in_regions']);
    expect(classifyProjects(listed).projects).toHaveLength(2);
  });

  it('counts a project listed twice once, its id in any case', () => {
    const once = project('cn-north-4');
    const { projects, skipped } = classifyProjects([once, { ...once, id: once.id.toUpperCase() }, once]);
    expect(projects).toHaveLength(1);
    expect(skipped).toEqual([]);
  });

  it("writes a covered project's id in lower case, as requests carry project ids", () => {
    const upper = project('cn-north-4', { id: 'ABCDEF0123456789ABCDEF0123456789' });
    expect(classifyProjects([upper]).projects[0]?.project_id).toBe('abcdef0123456789abcdef0123456789');
  });

  it("bounds IAM's text in what it returns: a name or id of any length is quoted short", () => {
    const long = project(`MOS${'x'.repeat(5_000)}`, { id: `${'y'.repeat(5_000)}` });
    const [skipped] = classifyProjects([long]).skipped;
    expect(skipped?.name.length).toBeLessThanOrEqual(65);
    expect(skipped?.project_id.length).toBeLessThanOrEqual(65);
    expect(skipped?.name.startsWith('MOSxxx')).toBe(true);
  });
});

describe('regionPartOf', () => {
  it.each([
    ['cn-north-4', 'cn-north-4'],
    ['cn-north-4_dev', 'cn-north-4'],
    ['cn-north-4_dev_blue', 'cn-north-4'],
    ['MOS', 'MOS'],
    ['_x', ''],
  ])('%s is in %s', (name, region) => {
    expect(regionPartOf(name)).toBe(region);
  });
});
