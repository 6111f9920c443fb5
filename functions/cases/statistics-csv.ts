// The published table as CSV (RFC 4180): the published column headings, "not available" in the cells of
// a CSP that made no return, and a TOTAL row ("not available" too when no CSP made one).
import { COUNT_COLUMNS, PUBLISHED_HEADINGS, type StatisticsTable } from '#core/counting.ts';

const NOT_AVAILABLE = 'not available';

function cell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function statisticsCsv(table: StatisticsTable): string {
  const lines = [
    ['CSP AREA', ...COUNT_COLUMNS.map((column) => PUBLISHED_HEADINGS[column])],
    ...table.rows.map((row) => [row.name, ...COUNT_COLUMNS.map((column) => row[column] ?? NOT_AVAILABLE)]),
    ['TOTAL', ...COUNT_COLUMNS.map((column) => table.total[column] ?? NOT_AVAILABLE)],
  ];
  return `${lines.map((line) => line.map(cell).join(',')).join('\r\n')}\r\n`;
}
