import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvRecords } from './csv-records.js';

// The Workers edge's CSV reader against csv-parse with the Node edge's options: the same records.
const csvParse = (text: string) => parse(text, { bom: true, columns: (header: string[]) => header.map((h) => h.trim()), trim: true, skip_empty_lines: true }) as Record<string, string>[];

const cellText = fc.oneof(fc.constantFrom('', ' ', '+9198765', 'Line 1', 'a,b', 'say "hi"', 'two\nlines', 'Ünïcode'), fc.string({ maxLength: 8 }).filter((s) => !/[\r"]/.test(s)));
const quote = (s: string) => (/[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s);

describe('csvRecords', () => {
  it('reads the bulk-edit columns, quotes, CRLF, a BOM and blank lines as csv-parse does', () => {
    const text = '\uFEFFphoneNumber, phoneName ,phoneNameNew\r\n+919876543210,"Front, desk","New ""name"""\r\n\r\n8001234567,Support,\n';
    expect(csvRecords(text)).toEqual(csvParse(text));
    expect(csvRecords(text)).toEqual([
      { phoneNumber: '+919876543210', phoneName: 'Front, desk', phoneNameNew: 'New "name"' },
      { phoneNumber: '8001234567', phoneName: 'Support', phoneNameNew: '' },
    ]);
  });

  it('property: any table of cells (quoted where needed) reads back as csv-parse reads it', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cellText, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }), fc.boolean(), (rows, crlf) => {
        const text = `a,b,c${crlf ? '\r\n' : '\n'}${rows.map((r) => r.map(quote).join(',')).join(crlf ? '\r\n' : '\n')}\n`;
        expect(csvRecords(text)).toEqual(csvParse(text));
      }),
    );
  });

  it('names the line of a quote never closed and of a row wider than the header', () => {
    expect(() => csvRecords('a,b\n1,"open\n')).toThrow(/line 2/);
    expect(() => csvRecords('a,b\n1,2\n1,2,3\n')).toThrow(/line 3 has 3 cells/);
  });
});
