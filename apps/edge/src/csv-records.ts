/**
 * CSV (RFC 4180: quoted cells with "" for a quote, CRLF or LF) with a header row, as records by
 * column: cells trimmed (outside quotes: a quoted cell is kept as quoted), a BOM and blank lines skipped. The same records csv-parse gives the Node
 * edge with its options there (bulk-jobs/node-setup.ts), in a few hundred bytes: csv-parse is about
 * 25 KB gzip, half the bulk-jobs Worker's budget. A quote left open, or a row with more cells than
 * the header, is an error naming its line.
 */
export function csvRecords(text: string): Record<string, string>[] {
  const rows = csvRows(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const header = rows.shift()?.cells.map((h) => h.trim());
  if (!header) return [];
  return rows.map(({ cells, line }) => {
    if (cells.length > header.length) throw new Error(`line ${line} has ${cells.length} cells but the header has ${header.length}`);
    const record: Record<string, string> = {};
    header.forEach((name, i) => {
      if (i < cells.length) record[name] = cells[i]!;
    });
    return record;
  });
}

function csvRows(text: string): { cells: string[]; line: number }[] {
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  /** The cell being read was quoted: its text is kept as it was inside the quotes. */
  let wasQuoted = false;
  let i = 0;
  const endCell = () => {
    cells.push(wasQuoted ? cell : cell.trim());
    cell = '';
    wasQuoted = false;
  };
  const endRow = () => {
    const blank = cells.length === 0 && !wasQuoted && cell.trim() === '';
    endCell();
    // A blank line (one empty cell, unquoted) is skipped.
    if (!blank) rows.push({ cells, line: rowLine });
    cells = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === '\n') line += 1;
        cell += ch;
      }
      i += 1;
      continue;
    }
    if (ch === '"' && !wasQuoted && cell.trim() === '') {
      quoted = true;
      wasQuoted = true;
      cell = '';
    } else if (ch === ',') {
      endCell();
    } else if (ch === '\n' || ch === '\r') {
      endRow();
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      line += 1;
      rowLine = line;
    } else if (!wasQuoted || ch.trim() !== '') {
      // (Spaces after a closing quote are not part of the cell.)
      cell += ch;
    }
    i += 1;
  }
  if (quoted) throw new Error(`a quoted cell that starts on line ${rowLine} is never closed`);
  if (cell !== '' || wasQuoted || cells.length > 0) endRow();
  return rows;
}
