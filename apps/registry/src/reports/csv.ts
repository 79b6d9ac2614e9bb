/**
 * RFC 4180 CSV: comma-separated, CRLF line ends. Fields are quoted when they hold a
 * comma, quote or line break, and also a `;` or a tab: Indonesian spreadsheets split on
 * `;` by default, and a quoted field stays one cell whatever the separator.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | bigint | null)[])[]): string {
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/** What a spreadsheet may take as a cell boundary: any common separator or a line break. */
const SEPARATOR = /([,;\t\r\n])/;
/** A cell starting like this (after blanks) runs as a formula: = + - @. */
const FORMULA_START = /^\s*[=+\-@]/;
const NUMBER = /^\s*-?\d+(\.\d+)?\s*$/;

function field(value: string | number | bigint | null): string {
  if (value === null) return '';
  const text = String(value);
  // Every piece that a spreadsheet could read as a cell of its own (the field's start,
  // and whatever follows a separator, for readers that ignore the quotes or use another
  // separator) gets a leading apostrophe when it would start a formula; plain numbers stay.
  const safe = text
    .split(SEPARATOR)
    .map((piece, i) => (i % 2 === 0 && FORMULA_START.test(piece) && !NUMBER.test(piece) ? `'${piece}` : piece))
    .join('');
  return /[",;\t\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}
