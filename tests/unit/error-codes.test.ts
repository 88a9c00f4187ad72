// Unit tests of the error vocabulary (shared/errors): docs/errors.md lists exactly the catalogue's
// codes, as the catalogue says them; every code the source emits comes from the catalogue; and what
// each kind of code means where it is asked (retried or not, a misconfigured deployment).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS_PAGE, errorCodesTable, tableOnPage } from '../../scripts/errors-doc.ts';
import * as errors from '../../shared/errors/index.ts';
import { ERROR_CODES, ERROR_MEANINGS, errorKind, HTTP_STATUS_CODES, type ErrorCode } from '../../shared/errors/index.ts';
import { HuaweiApiError, isRetryable } from '../../shared/huawei/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const catalogued = Object.keys(ERROR_CODES) as ErrorCode[];

/** The codes in the first column of the page's table. */
function codesOnPage(): string[] {
  const table = tableOnPage(readFileSync(ERRORS_PAGE, 'utf8')) ?? '';
  return [...table.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1] ?? '');
}

/** Every .ts file under `dir` of the repository. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('docs/errors.md', () => {
  it('lists every code in the catalogue, and no other', () => {
    const listed = codesOnPage();
    expect(listed.length).toBeGreaterThan(0);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...catalogued].sort());
  });

  it('says of each code what the catalogue says (npm run docs:errors writes it)', () => {
    expect(tableOnPage(readFileSync(ERRORS_PAGE, 'utf8'))).toBe(errorCodesTable());
  });

  it('is linked from docs/requests.md', () => {
    expect(readFileSync(join(ROOT, 'docs/requests.md'), 'utf8')).toContain('](errors.md)');
  });
});

describe('the catalogue', () => {
  it('holds every code constant its face exports', () => {
    const constants = Object.entries(errors).filter(([name, value]) => /^[A-Z][A-Z_]+$/.test(name) && typeof value === 'string');
    expect(constants.length).toBeGreaterThan(20);
    for (const [name, value] of constants) {
      if (name === 'HTTP_STATUS_CODES') continue;
      expect(catalogued, name).toContain(value);
    }
  });

  it('gives each code, and only those, a meaning and what to do', () => {
    expect(Object.keys(ERROR_MEANINGS).sort()).toEqual([...catalogued].sort());
    for (const code of catalogued) {
      expect(ERROR_MEANINGS[code].meaning.length, code).toBeGreaterThan(20);
      expect(ERROR_MEANINGS[code].action.length, code).toBeGreaterThan(5);
    }
  });

  it('is where the source takes its codes from: no code is written out anywhere else', () => {
    const files = [...sources('shared'), ...sources('functions')].filter((file) => !file.endsWith(join('shared', 'errors', 'codes.ts')));
    const literal = /\b(?:code|errorCode|error_code)\s*[:=]\s*['"`][A-Z]/;
    const offenders = files.filter((file) => literal.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('tells the two timeouts apart: Huawei not answering is not a job running too long', () => {
    expect(errors.UPSTREAM_TIMEOUT).not.toBe(errors.JOB_TIMEOUT);
    expect(errorKind(errors.UPSTREAM_TIMEOUT)).toBe('transient');
    expect(errorKind(errors.JOB_TIMEOUT)).toBe('permanent');
    expect(catalogued).not.toContain('TIMEOUT');
  });
});

describe('errorKind', () => {
  it.each([
    ['CREDENTIALS_INVALID', 'misconfigured'],
    ['CREDENTIALS_UNAVAILABLE', 'transient'],
    ['CREDENTIALS_REJECTED', 'transient'],
    ['INVALID_REQUEST', 'invalid'],
    ['NOT_PAY_PER_USE', 'permanent'],
    ['DMS.00400026', 'transient'],
    ['APIGW.0308', 'transient'],
    ['HTTP_503', 'transient'],
    ['HTTP_429', 'transient'],
    ['HTTP_404', 'permanent'],
  ])('%s is %s', (code, kind) => {
    expect(errorKind(code)).toBe(kind);
  });

  it("knows nothing of Huawei's other codes (their HTTP status decides), nor of no code", () => {
    expect(errorKind('DMS.00404022')).toBeUndefined();
    expect(errorKind(undefined)).toBeUndefined();
    expect(errorKind(HTTP_STATUS_CODES)).toBe('permanent');
  });

  it('is only misconfigured for a code that says the deployment cannot work', () => {
    const misconfigured = catalogued.filter((code) => errorKind(code) === 'misconfigured');
    expect(misconfigured).toEqual(['CREDENTIALS_INVALID']);
  });
});

describe('retryable, as the catalogue has it', () => {
  it.each(catalogued.filter((code) => ERROR_CODES[code].kind !== 'by-status'))('%s', (code) => {
    // With no answer (status 0) the code alone decides; a refused signature is never retried.
    const transient = errorKind(code) === 'transient';
    expect(isRetryable(0, code)).toBe(transient);
    expect(new HuaweiApiError({ status: 0, errorCode: code, errorMsg: 'm' }).retryable).toBe(transient);
  });
});
