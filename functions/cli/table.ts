// `--output table`: plain text for people, one row per instance in aligned columns, notes (the
// counts) below. Every cell is the value's text with its control characters escaped (so no listed
// name or Huawei message drives the terminal or breaks a row), cut to its column's width; a column
// empty in every row is left out. No colour.
import { quote } from '../../shared/runtime/index.ts';
import { forTerminal } from './terminal.ts';

export interface Column<Row> {
  readonly title: string;
  readonly cell: (row: Row) => string | number | boolean | undefined;
  /** The widest a cell may be; longer text is cut, ending with an ellipsis. Default CELL_MAX. */
  readonly max?: number;
}

export interface Table<Row> {
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  /** Lines below the rows: counts, how the run ended. */
  readonly notes: readonly string[];
}

const CELL_MAX = 40;
const GAP = '  ';

export function renderTable<Row>(table: Table<Row>): string {
  const cells = (column: Column<Row>) => table.rows.map((row) => cellText(column.cell(row), column.max ?? CELL_MAX));
  const shown = table.columns.map((column) => ({ title: column.title, cells: cells(column) })).filter((column) => column.cells.some(Boolean));
  const widths = shown.map((column) => Math.max(column.title.length, ...column.cells.map((cell) => cell.length)));
  const line = (texts: readonly string[]) =>
    texts
      .map((text, i) => text.padEnd(widths[i] ?? 0))
      .join(GAP)
      .trimEnd();
  const lines = table.rows.length
    ? [line(shown.map((column) => column.title)), ...table.rows.map((_, r) => line(shown.map((column) => column.cells[r] ?? '')))]
    : [];
  return [...lines, ...(lines.length && table.notes.length ? [''] : []), ...table.notes.map((note) => forTerminal(note))].map((text) => `${text}\n`).join('');
}

function cellText(value: string | number | boolean | undefined, max: number): string {
  if (value === undefined) return '';
  return quote(forTerminal(String(value)), max - 1);
}

/** `2 accepted, 1 failed`: every outcome that occurred, none that did not. */
export function countsNote(counts: Readonly<Record<string, number | undefined>>): string {
  const parts = Object.entries(counts).flatMap(([outcome, n]) => (n ? [`${n} ${outcome}`] : []));
  return parts.length ? parts.join(', ') : 'none';
}

/** An error as every line and cell of the command line says it: `CODE: message`. */
export function errorText(error: { readonly code: string; readonly message: string }): string {
  return `${error.code}: ${error.message}`;
}
