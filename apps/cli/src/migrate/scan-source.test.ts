import { describe, expect, it } from 'vitest';
import { languageOf } from './languages.js';
import { scanSource } from './scan-source.js';

describe('scanSource', () => {
  it('reports the endpoint path with its line, column and the v2 form for the language', () => {
    const text = "<?php\n$u = 'https://h/CAServices/PhoneManageV2.php';\n";
    const [f] = scanSource('a.php', text);
    expect(f).toMatchObject({ file: 'a.php', line: 2, column: 17, kind: 'v1-endpoint', language: 'php' });
    expect(f?.v2Form).toContain('/ca_apis/PhoneManageV2');
    expect(f?.v2Form).toContain('json_encode');
  });

  it('matches the endpoint whatever its case, but PhoneNameNew only as v1 spelled it', () => {
    const kinds = (t: string) => scanSource('x.js', t).map((f) => f.kind);
    expect(kinds("get('/caservices/phonemanagev2.php')")).toEqual(['v1-endpoint']);
    expect(kinds("body.PhoneNameNew = n")).toEqual(['v1-new-name-key']);
    expect(kinds("body.phoneNameNew = n")).toEqual([]);
  });

  it('reports an apiKey in a query string in any file, in each spelling', () => {
    for (const q of ['?apiKey=', '&apiKey=', '?api_key=', '&apikey=']) {
      expect(scanSource('x.py', `url = base + "${q}" + key`).map((f) => f.kind)).toEqual(['api-key-in-query']);
    }
  });

  it('reports apiKey parameter-map entries only in files that call the v1 endpoint, and not in headers', () => {
    const v1 = "const U = '/CAServices/PhoneManageV2.php';\nconst p = { apiKey: key };\nconst h = { headers: { apiKey: key } };";
    expect(scanSource('x.ts', v1).map((f) => `${f.line}:${f.kind}`)).toEqual(['1:v1-endpoint', '2:api-key-in-query']);
    expect(scanSource('x.ts', 'const p = { apiKey: key };')).toEqual([]);
    const php = "<?php\n$u = '/CAServices/PhoneManageV2.php';\n$p = ['apiKey' => $k];";
    expect(scanSource('x.php', php).map((f) => f.line)).toEqual([2, 3]);
  });

  it('gives one finding per kind per line, several kinds on one line', () => {
    const line = "u = '/CAServices/PhoneManageV2.php?apiKey=' + k + '&PhoneNameNew=' + n + '&apiKey=' + k";
    expect(scanSource('x.rb', line).map((f) => f.kind)).toEqual(['v1-endpoint', 'v1-new-name-key', 'api-key-in-query']);
  });

  it('redacts a key pasted into the code from the excerpt', () => {
    const [f] = scanSource('x.java', 'String u = "/CAServices/PhoneManageV2.php?apiKey=CANARY-KEY-inline&userName=u";');
    expect(f?.excerpt).not.toContain('CANARY-KEY-inline');
    expect(f?.excerpt).toContain('[REDACTED]');
  });

  it('ignores files in languages it does not read, and counts CRLF lines right', () => {
    expect(scanSource('notes.txt', '/CAServices/PhoneManageV2.php')).toEqual([]);
    expect(scanSource('a.py', 'x = 1\r\ny = "/CAServices/PhoneManageV2.php"\r\n')[0]?.line).toBe(2);
  });

  it('knows each language by its extensions', () => {
    expect(['a.php', 'a.mjs', 'a.tsx', 'a.py', 'a.rb', 'A.java', 'a.txt', 'dir.js/README'].map(languageOf)).toEqual([
      'php', 'javascript', 'typescript', 'python', 'ruby', 'java', undefined, undefined,
    ]);
    expect(['a.yml', 'b.YAML', 'c.json', 'd.xml', 'e.properties', 'f.ini', '.env', 'app/.env.local', 'g.conf', 'h.sh', 'x.env', 'i.toString', 'constructor'].map(languageOf)).toEqual([
      'yaml', 'yaml', 'json', 'xml', 'properties', 'ini', 'env', 'env', 'conf', 'shell', 'env', undefined, undefined,
    ]);
  });

  it('reads Ruby hash-rocket symbols as parameter-map entries', () => {
    const rb = "URL = '/CAServices/PhoneManageV2.php'\nparams = { :apiKey => key }";
    expect(scanSource('x.rb', rb).map((f) => `${f.line}:${f.kind}`)).toEqual(['1:v1-endpoint', '2:api-key-in-query']);
  });
});
