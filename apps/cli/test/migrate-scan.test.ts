import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caphone, cleanEnv, envelope, scratchDir, type Run } from './helpers.js';

// `caphone migrate scan` prints lines of the caller's code. Keys pasted into that code must never
// reach stdout or stderr, plain or --json, in any language the scanner reads, and the rest of each
// printed line must stay as written. The built CLI runs against fixture trees written here.
const KEY = 'CANARY-KEY-scan-4d2b9e';
const R = '[REDACTED]';
const V1 = 'https://in1-ccaas-api.ozonetel.com/CAServices/PhoneManageV2.php';

interface Site {
  /** The source line, containing the canary key. */
  line: string;
  /** The excerpt caphone must print for it. */
  shown: string;
}

const site = (line: string): Site => ({ line, shown: line.trim().replaceAll(KEY, R) });

/** Per file: lines written into it, each a finding. The first line names the v1 endpoint. */
const SOURCES: Record<string, { language: string; sites: Site[] }> = {
  'crm/legacy.php': {
    language: 'php',
    sites: [
      site(`$params = array("apiKey"=>'${KEY}', "userName"=>$user);`),
      site(`    'apiKey' => '${KEY}',`),
      site(`$glued = "${V1}?action=delete&apiKey=${KEY}&userName=$user";`),
      site(`$u = $base . '?apiKey=' . '${KEY}' . '&userName=' . $user;`),
    ],
  },
  'web/legacy.js': {
    language: 'javascript',
    sites: [
      site(`const params = { action: 'edit', apiKey: '${KEY}', userName: user };`),
      site(`const url = V1 + '?action=edit&apiKey=' + '${KEY}' + '&userName=' + user;`),
      site(`$.get(V1 + "?apiKey=${KEY}&userName=" + user);`),
    ],
  },
  'web/client.ts': {
    language: 'typescript',
    sites: [site(`const query = new URLSearchParams({ 'apiKey': "${KEY}", userName });`), site(`const q = { "api_key": \`${KEY}\` };`)],
  },
  'jobs/sync.py': {
    language: 'python',
    sites: [
      site(`params = {'action': 'delete', 'apiKey': '${KEY}', 'userName': user}`),
      site(`params = {"apiKey": "${KEY}", "userName": user}`),
      site(`url = V1 + "?apiKey=${KEY}&userName=" + user`),
    ],
  },
  'lib/phone_sync.rb': {
    language: 'ruby',
    sites: [
      site(`params = { :apiKey => '${KEY}', :userName => user }`),
      site(`params = { "api_key" => "${KEY}" }`),
      site(`HTTParty.post(URL, body: { action: 'create', apiKey: '${KEY}', userName: user })`),
    ],
  },
  'src/Legacy.java': {
    language: 'java',
    sites: [
      site(`target.queryParam("apiKey", "${KEY}").queryParam("userName", user);`),
      site(`String url = host + "/CAServices/PhoneManageV2.php?action=edit&apiKey=" + "${KEY}" + "&userName=" + user;`),
      site(`String inline = host + "/CAServices/PhoneManageV2.php?apiKey=${KEY}&userName=" + user;`),
    ],
  },
  'deploy/cloudagent.yaml': { language: 'yaml', sites: [site(`  apiKey: ${KEY}`), site(`  url: ${V1}?apiKey=${KEY}&userName=u`)] },
  'deploy/settings.json': { language: 'json', sites: [site(`  "apiKey": "${KEY}",`)] },
  'deploy/web.config.xml': { language: 'xml', sites: [site(`  <endpoint url="${V1}?apiKey=${KEY}&amp;userName=u"/>`)] },
  'deploy/app.properties': { language: 'properties', sites: [site(`cloudagent.url=${V1}?apiKey=${KEY}&userName=u`)] },
  'deploy/php.ini': { language: 'ini', sites: [site(`cloudagent_url = "${V1}?apiKey=${KEY}&userName=u"`)] },
  'deploy/nginx.conf': { language: 'conf', sites: [site(`proxy_pass ${V1}?apiKey=${KEY};`)] },
  'scripts/rename.sh': { language: 'shell', sites: [site(`curl "${V1}?action=edit&apiKey=${KEY}&userName=u&PhoneNameNew=Desk"`)] },
  '.env': { language: 'env', sites: [site(`CLOUDAGENT_URL=${V1}?apiKey=${KEY}&userName=u`)] },
};

/** Lines that name the key without containing it: printed exactly as written, nothing inserted. */
const VARIABLE_SITES: Record<string, string[]> = {
  'src/Concat.java': [`String url = host + "/CAServices/PhoneManageV2.php?action=edit&apiKey=" + key + "&userName=" + user;`],
  'web/concat.js': [`const url = V1 + '?apiKey=' + apiKey + '&userName=' + user;`],
  'crm/concat.php': [`$u = '${V1}?apiKey=' . $apiKey . '&userName=' . $user;`],
};

const scratch = scratchDir('caphone-scan-');
const tree = join(scratch.path, 'tree');

function write(path: string, text: string) {
  mkdirSync(dirname(join(tree, path)), { recursive: true });
  writeFileSync(join(tree, path), text);
}

function expectNoKey(run: Run) {
  expect(run.stdout, 'stdout leaked the key').not.toContain(KEY);
  expect(run.stderr, 'stderr leaked the key').not.toContain(KEY);
  expect(run.stdout + run.stderr).not.toContain('CANARY');
}

const scan = (...args: string[]) => caphone(['migrate', 'scan', ...args], { env: cleanEnv(scratch.path) });

beforeAll(() => {
  for (const [path, { sites }] of Object.entries(SOURCES)) {
    const header = path.endsWith('.xml') ? '<config>' : path.endsWith('.json') ? '{' : '';
    write(path, [header, `V1 = "${V1}"`, ...sites.map((s) => s.line), ''].join('\n'));
  }
  for (const [path, lines] of Object.entries(VARIABLE_SITES)) write(path, [...lines, ''].join('\n'));
  // Dependencies and version control: never scanned, whatever they hold.
  for (const skipped of ['node_modules/legacy-sdk/config.yaml', 'vendor/ozonetel/client.php', '.git/config', 'node_modules/x/.env']) {
    write(skipped, `url: ${V1}?apiKey=${KEY}\n`);
  }
  write('README.txt', `${V1}?apiKey=${KEY}\n`); // not a file type the scanner reads
});
afterAll(() => scratch.cleanup());

describe('caphone migrate scan never prints a key written in the scanned code', () => {
  let json: Run;
  beforeAll(async () => {
    json = await scan(tree, '--json');
  });

  it('--json: the key is in no output, and every line that holds it is a finding', () => {
    expect(json.code, json.stderr).toBe(9);
    expectNoKey(json);
    const findings = envelope(json).result.findings as { file: string; excerpt: string; language: string }[];
    for (const [file, { language, sites }] of Object.entries(SOURCES)) {
      const excerpts = findings.filter((f) => f.file === file).map((f) => f.excerpt);
      for (const s of sites) expect(excerpts, `${file}: ${s.line}`).toContain(s.shown);
      expect(findings.find((f) => f.file === file)?.language).toBe(language);
    }
  });

  it.each(Object.entries(SOURCES))('%s: the rest of each line reads as written', (file, { sites }) => {
    const excerpts = (envelope(json).result.findings as { file: string; excerpt: string }[]).filter((f) => f.file === file).map((f) => f.excerpt);
    for (const s of sites) {
      // Exactly the source line with the key replaced: quotes, operators and other parameters intact.
      expect(excerpts).toContain(s.shown);
      expect(s.shown).toContain(R);
    }
  });

  it('a parameter glued on from a variable is printed as written, not garbled', () => {
    const findings = envelope(json).result.findings as { file: string; excerpt: string }[];
    for (const [file, lines] of Object.entries(VARIABLE_SITES)) {
      const excerpts = findings.filter((f) => f.file === file).map((f) => f.excerpt);
      for (const line of lines) expect(excerpts, file).toContain(line);
    }
    expect(JSON.stringify(findings.filter((f) => f.file in VARIABLE_SITES))).not.toContain(R);
  });

  it('plain output: the key is in no output, the redacted lines are printed', async () => {
    const run = await scan(tree);
    expect(run.code).toBe(9);
    expectNoKey(run);
    for (const { sites } of Object.values(SOURCES)) for (const s of sites) expect(run.stdout).toContain(s.shown);
  });

  it('scanning one file, and under --verbose', async () => {
    const run = await scan(join(tree, 'crm/legacy.php'), '--verbose');
    expect(run.code).toBe(9);
    expectNoKey(run);
    expect(run.stdout).toContain(`'apiKey' => '${R}',`);
  });
});

describe('caphone migrate scan reads configuration files and skips dependencies', () => {
  it('finds the v1 endpoint in .yaml .yml .json .xml .properties .ini .env .conf .sh, never in node_modules, vendor or .git', async () => {
    const configs = scratchDir('caphone-scan-config-');
    try {
      const root = join(configs.path, 'tree');
      const files = ['a.yaml', 'b.yml', 'c.json', 'd.xml', 'e.properties', 'f.ini', '.env', '.env.production', 'g.conf', 'h.sh'];
      for (const f of files) {
        mkdirSync(root, { recursive: true });
        writeFileSync(join(root, f), `# settings\nendpoint: ${V1}\n`);
      }
      for (const skipped of ['node_modules/sdk/a.yaml', 'vendor/lib/b.json', '.git/hooks/c.sh', 'notes.md']) {
        mkdirSync(dirname(join(root, skipped)), { recursive: true });
        writeFileSync(join(root, skipped), `endpoint: ${V1}\n`);
      }
      const run = await caphone(['migrate', 'scan', root, '--json'], { env: cleanEnv(configs.path) });
      expect(run.code, run.stderr).toBe(9);
      const result = envelope(run).result as { filesScanned: number; findings: { file: string; line: number; kind: string; language: string; v2Form: string }[] };
      expect(result.filesScanned).toBe(files.length);
      expect(result.findings.map((f) => `${f.file}:${f.line} ${f.kind}`).sort()).toEqual(files.map((f) => `${f}:2 v1-endpoint`).sort());
      const languageOf = Object.fromEntries(result.findings.map((f) => [f.file, f.language]));
      expect(languageOf).toEqual({
        'a.yaml': 'yaml',
        'b.yml': 'yaml',
        'c.json': 'json',
        'd.xml': 'xml',
        'e.properties': 'properties',
        'f.ini': 'ini',
        '.env': 'env',
        '.env.production': 'env',
        'g.conf': 'conf',
        'h.sh': 'shell',
      });
      expect(result.findings.find((f) => f.file === 'h.sh')?.v2Form).toContain('curl -X POST');
      expect(result.findings.find((f) => f.file === 'a.yaml')?.v2Form).toContain('/ca_apis/PhoneManageV2');
    } finally {
      configs.cleanup();
    }
  });
});
