// Unit tests of the bounds on what leaves (issue 14, item 3): an issue list holds at most
// ISSUES_MAX issues and then says how many more (shared/request/issues.ts), whatever made it; a log
// line is at most LOG_LINE_MAX bytes and still one JSON object with every field it was given
// (shared/runtime/log.ts), its secrets taken out before anything is cut.
import { describe, expect, it } from 'vitest';
import { accountSelectorSchema, parseSelectorTarget, selectorTargetSchema } from '../../shared/fleet/index.ts';
import { boundIssues, describeIssues, ISSUES_MAX, type RequestIssue } from '../../shared/request/index.ts';
import { createJsonLogger, LOG_LINE_MAX } from '../../shared/runtime/index.ts';

const PROJECT_ID = '0123456789abcdef0123456789abcdef';
const INSTANCE_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const SK = 'sk-Very-Secret-Value-0123456789abcdef';

const issuesOf = (count: number): RequestIssue[] => Array.from({ length: count }, (_, i) => ({ field: `f${i}`, message: 'is wrong' }));
const more = (count: number) => ({ field: 'request', message: `and ${count} more` });

describe('boundIssues', () => {
  it('leaves a list of at most ISSUES_MAX alone', () => {
    const list = issuesOf(ISSUES_MAX);
    expect(boundIssues(list)).toEqual(list);
  });

  it('lists the first ISSUES_MAX, then one entry saying how many more', () => {
    const bounded = boundIssues(issuesOf(ISSUES_MAX + 1));
    expect(bounded).toEqual([...issuesOf(ISSUES_MAX), { field: 'request', message: 'and 1 more' }]);
    expect(boundIssues(issuesOf(20_000)).at(-1)).toEqual(more(20_000 - ISSUES_MAX));
  });

  it('keeps the count when a bounded list is bounded again or joined with another', () => {
    const once = boundIssues(issuesOf(500));
    expect(boundIssues(once)).toEqual(once);
    const joined = boundIssues([{ field: 'instance_id', message: 'must not come with select' }, ...once]);
    expect(joined).toHaveLength(ISSUES_MAX + 1);
    expect(joined[0]?.field).toBe('instance_id');
    expect(joined.at(-1)).toEqual(more(481));
  });
});

describe('issue lists made by the schemas', () => {
  it('a selector with 20,000 bad tag entries and an instance_id: 20 issues all told, then how many more', () => {
    const tags = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, 1]));
    const parsed = parseSelectorTarget(
      { selector: selectorTargetSchema({ defaultRegion: 'cn-north-4' }), account: accountSelectorSchema({ defaultRegion: 'cn-north-4' }) },
      { project_id: PROJECT_ID, instance_id: INSTANCE_ID, select: { tags } },
    );
    expect(parsed.kind).toBe('invalid');
    if (parsed.kind === 'parsed') return;
    expect(parsed.issues).toHaveLength(ISSUES_MAX + 1);
    expect(parsed.issues[0]?.field).toBe('instance_id');
    expect(parsed.issues.at(-1)?.message).toMatch(/^and \d+ more$/);
    const listed = parsed.issues.length - 1;
    const hidden = Number(/\d+/.exec(parsed.issues.at(-1)?.message ?? '')?.[0]);
    // Every issue is either listed or counted: the instance_id and one per tag entry.
    expect(listed + hidden).toBe(1 + 20_000);
    expect(describeIssues(parsed.issues).length).toBeLessThan(8_000);
  });

  it('describeIssues says "and N more" of a long list it is handed', () => {
    const text = describeIssues(issuesOf(1_000));
    expect(text.split('; ')).toHaveLength(ISSUES_MAX + 1);
    expect(text).toMatch(/request and 980 more$/);
  });
});

describe('log lines', () => {
  const logged = () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line), secrets: () => [SK], fields: { service: 'svc', request_id: 'req-1' } });
    return { lines, logger };
  };
  const bytes = (line: string) => Buffer.byteLength(line);

  it('a line of many long fields is cut to LOG_LINE_MAX bytes, still JSON, every field still there', () => {
    const { lines, logger } = logged();
    const huge = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`field_${i}`, `é${'x'.repeat(3_000)}`]));
    logger.warn('request rejected', huge);
    const [line] = lines;
    expect(bytes(line!)).toBeLessThanOrEqual(LOG_LINE_MAX);
    const entry = JSON.parse(line!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'WARN', message: 'request rejected', service: 'svc', request_id: 'req-1', log_line_cut: true });
    for (const key of Object.keys(huge)) expect(String(entry[key])).toMatch(/^éx+…$/);
  });

  it('a list of 20,000 entries is cut to a few and a count of the rest', () => {
    const { lines, logger } = logged();
    logger.warn('request rejected', {
      issues: Array.from({ length: 20_000 }, (_, i) => ({ field: `select.tags.k${i}`, message: 'must be a tag value of at most 255 characters' })),
    });
    const entry = JSON.parse(lines[0]!) as { issues: unknown[] };
    expect(bytes(lines[0]!)).toBeLessThanOrEqual(LOG_LINE_MAX);
    expect(entry.issues.at(-1)).toMatch(/^… \d+ more$/);
    expect(entry.issues[0]).toEqual({ field: 'select.tags.k0', message: 'must be a tag value of at most 255 characters' });
  });

  it('an object of many keys, and text that JSON escapes six times over, fit too', () => {
    const { lines, logger } = logged();
    logger.error('odd', { headers: Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`h${i}`, '\u0001'.repeat(1_000)])) });
    expect(bytes(lines[0]!)).toBeLessThanOrEqual(LOG_LINE_MAX);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'ERROR', message: 'odd', log_line_cut: true });
  });

  it('cuts only what is already redacted: no part of a secret survives a cut', () => {
    const { lines, logger } = logged();
    // The secret straddles every cut a bound could make.
    const fields = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, `${'a'.repeat(20 + i)}${SK}${'b'.repeat(5_000)}`]));
    logger.info('with secrets', fields);
    expect(bytes(lines[0]!)).toBeLessThanOrEqual(LOG_LINE_MAX);
    for (const run of [SK, SK.slice(0, 12), SK.slice(-12)]) expect(lines[0]).not.toContain(run);
  });

  it('leaves a line that fits as it was', () => {
    const { lines, logger } = logged();
    logger.info('small', { a: 'x'.repeat(1_000) });
    expect(JSON.parse(lines[0]!)).toEqual({
      service: 'svc',
      request_id: 'req-1',
      a: 'x'.repeat(1_000),
      level: 'INFO',
      time: expect.any(String),
      message: 'small',
    });
  });
});
