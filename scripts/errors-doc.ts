// docs/errors.md's table of error codes, written from the catalogue (shared/errors: each code's
// kind, its meaning and what to do): one row per code, in the catalogue's order. `npm run docs:errors` rewrites the table between the page's
// markers; tests/unit/error-codes.test.ts fails while the page says anything else.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ERROR_CODES, ERROR_MEANINGS, type ErrorCode, type ErrorCodeInfo } from '../shared/errors/index.ts';

export const ERRORS_PAGE = resolve(import.meta.dirname, '..', 'docs', 'errors.md');
export const TABLE_START = '<!-- error-codes:start (npm run docs:errors writes this table from shared/errors/codes.ts) -->';
export const TABLE_END = '<!-- error-codes:end -->';

const TRANSIENT: Record<ErrorCodeInfo['kind'], string> = {
  transient: 'yes',
  permanent: 'no',
  invalid: 'no (invalid input)',
  misconfigured: 'no (misconfigured deployment)',
  'by-status': '429 and 5xx: yes; others: no',
};

/** The table as the page holds it, markers included. */
export function errorCodesTable(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rows = (Object.entries(ERROR_CODES) as Array<[ErrorCode, ErrorCodeInfo]>).map(([code, info]) => {
    const { meaning, action } = ERROR_MEANINGS[code];
    return `| \`${code}\` | ${info.source === 'huawei' ? "Huawei's" : 'ours'} | ${cell(meaning)} | ${TRANSIENT[info.kind]} | ${cell(action)} |`;
  });
  return [TABLE_START, '| code | from | meaning | transient | what to do |', '|---|---|---|---|---|', ...rows, TABLE_END].join('\n');
}

/** The page's table as it stands, markers included; undefined without them. */
export function tableOnPage(page: string): string | undefined {
  const start = page.indexOf(TABLE_START);
  const end = page.indexOf(TABLE_END);
  return start < 0 || end < start ? undefined : page.slice(start, end + TABLE_END.length);
}

// Run as a script (npm run docs:errors), not when imported (the test).
if (process.argv[1] !== undefined && import.meta.filename === resolve(process.argv[1])) {
  const page = readFileSync(ERRORS_PAGE, 'utf8');
  const current = tableOnPage(page);
  if (current === undefined) throw new Error(`${ERRORS_PAGE} has no ${TABLE_START} ... ${TABLE_END} markers`);
  writeFileSync(
    ERRORS_PAGE,
    page.replace(current, () => errorCodesTable()),
  );
}
