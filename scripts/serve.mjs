#!/usr/bin/env node
// `npm run edge` / `npm run shim` (through scripts/bootstrap.mjs, which builds first): starts the
// server on Node exactly as `pnpm start` would (its own dist entry, configured by environment
// variables), with the simulator in this process standing in for CloudAgent, and prints what a
// first-time user needs: the URL, a credential, and a curl to paste.
//
//   node scripts/serve.mjs edge|shim [--upstream URL] [--port N]
//
// --upstream URL points the server at a real CloudAgent instead; then the edge needs
// CLOUDAGENT_ACCOUNTS (and TEAMS, or a token is minted for a quick-start team granted every
// account), and the shim needs nothing more (callers send their own keys). CLOUDAGENT_BASE_URL
// is not read here: the root README exports it for a caphone sandbox before it reaches npm run edge,
// and a variable left in the shell must not silently move the server off the simulator.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [app, ...args] = process.argv.slice(2);
const usage = 'usage: npm run edge|shim -- [--upstream URL] [--port N]';

function option(name) {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) fail(`${name} needs a value`);
  return value;
}
function fail(message) {
  console.error(`[${app ?? 'serve'}] ${message}\n${usage}`);
  process.exit(2);
}

if (app !== 'edge' && app !== 'shim') fail(`unknown server "${app ?? ''}"`);
const unknown = args.filter((a, i) => a.startsWith('--') && !['--upstream', '--port'].includes(a) && !['--upstream', '--port'].includes(args[i - 1]));
if (unknown.length) fail(`unknown option ${unknown[0]}`);
const upstream = option('--upstream');
const port = option('--port') ?? '0';
if (!/^\d+$/.test(port) || Number(port) > 65_535) fail(`--port must be a port number from 0 to 65535 (got "${port}")`);

const USER = 'demo';
const SEED = { phoneNumber: '+919876543210', phoneName: 'Sales' };
const env = { ...process.env, HOST: process.env.HOST?.trim() || '127.0.0.1', PORT: port };
let simulator;
let apiKey;

if (upstream === undefined) {
  const { startSimulator } = await import(pathToFileURL(join(root, 'packages', 'simulator', 'dist', 'node.js')).href);
  // A fresh local test key per run, printed on purpose: it opens nothing but this simulator.
  apiKey = `sandbox-${randomBytes(9).toString('base64url')}`;
  simulator = await startSimulator({ port: 0, userName: USER, apiKey, records: [SEED] });
  env.CLOUDAGENT_BASE_URL = simulator.url;
} else {
  env.CLOUDAGENT_BASE_URL = upstream;
}
// The shim's control room and `caphone migrate status` need an admin token; with the simulator a
// fresh one is minted (like the key, it opens nothing but this local run) unless one is set.
let adminToken;
if (app === 'shim' && simulator && !env.SHIM_ADMIN_TOKEN?.trim()) {
  adminToken = `admin-${randomBytes(12).toString('base64url')}`;
  env.SHIM_ADMIN_TOKEN = adminToken;
}
// Counts of calls to a throwaway simulator belong to this run, not to the operator's state directory
// (the shim's default, ~/.local/state/cloudagent-phone-shim), where they would mix with real ones.
let throwawayDataDir;
if (app === 'shim' && simulator && !env.SHIM_DATA_DIR?.trim()) {
  throwawayDataDir = mkdtempSync(join(tmpdir(), 'cloudagent-phone-shim-quickstart-'));
  env.SHIM_DATA_DIR = throwawayDataDir;
  // On every way out that runs JavaScript (a failed close included), not only the clean one.
  process.on('exit', () => rmSync(throwawayDataDir, { recursive: true, force: true }));
}

let token;
let account = USER;
if (app === 'edge') {
  if (simulator) {
    env.CLOUDAGENT_ACCOUNTS = JSON.stringify({ [USER]: { apiKey } });
  } else if (!env.CLOUDAGENT_ACCOUNTS) {
    fail('with --upstream the edge needs CLOUDAGENT_ACCOUNTS (see apps/edge/README.md): {"<user name>":{"apiKey":"..."}}');
  }
  let accounts = [];
  try {
    accounts = Object.keys(JSON.parse(env.CLOUDAGENT_ACCOUNTS));
  } catch {
    // the edge itself reports a malformed CLOUDAGENT_ACCOUNTS, naming the variable
  }
  account = accounts[0] ?? USER;
  if (simulator || !env.TEAMS) {
    // A quick-start team holding a fresh token; only its SHA-256 goes into TEAMS, as in production.
    token = randomBytes(24).toString('base64url');
    env.TEAMS = JSON.stringify([{ name: 'quickstart', tokenSha256: createHash('sha256').update(token).digest('hex'), userNames: accounts }]);
  }
}

const entry = app === 'edge' ? join(root, 'apps', 'edge', 'dist', 'main.js') : join(root, 'apps', 'shim', 'dist', 'main.js');
const server = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });

/** Both servers say where they listen on start: the edge as a JSON log line, the shim on stderr. */
const url = await new Promise((resolve, reject) => {
  server.once('exit', (code) => reject(new Error(`the ${app} exited with code ${code} before listening (see above)`)));
  for (const stream of [server.stdout, server.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      const found = /"url":"(http[^"]+)"/.exec(line) ?? /v1 door at (http\S+?)\/CAServices/.exec(line);
      if (found) resolve(found[1]);
      else (stream === server.stdout ? process.stdout : process.stderr).write(`${line}\n`);
    });
  }
}).catch((error) => {
  console.error(`[${app}] ${error.message}`);
  void simulator?.close();
  process.exit(1);
});

const lines = [];
const behind = simulator ? `the embedded simulator at ${simulator.url} (user ${USER}, seeded ${SEED.phoneNumber} ${SEED.phoneName})` : upstream;
if (app === 'edge') {
  lines.push(`edge listening on ${url}, in front of ${behind}`);
  if (token) lines.push(`team token: ${token}`);
  const bearer = token ?? '<your team token>';
  lines.push('try:', `  curl -s -H 'Authorization: Bearer ${bearer}' '${url}/phone-numbers/${encodeURIComponent(SEED.phoneNumber)}?userName=${account}'`);
  if (simulator) {
    lines.push(
      `  curl -s -X PATCH -H 'Authorization: Bearer ${bearer}' -H 'Content-Type: application/json' '${url}/phone-numbers/${encodeURIComponent(SEED.phoneNumber)}' -d '{"userName":"${USER}","phoneName":"${SEED.phoneName}","phoneNameNew":"Support"}'`,
    );
  }
} else {
  lines.push(`shim listening on ${url} (v1 in, v2 out), in front of ${behind}`);
  if (simulator) lines.push(`simulator key: ${apiKey} (a local test key; v1 callers send it in the URL)`);
  if (adminToken) lines.push(`admin token: ${adminToken} (for ${url}/_shim/dashboard, and: SHIM_ADMIN_TOKEN=${adminToken} caphone migrate status --shim ${url})`);
  const key = simulator ? apiKey : '<your API key>';
  const user = simulator ? USER : '<your user name>';
  lines.push(
    'try:',
    `  curl -s '${url}/CAServices/PhoneManageV2.php?action=edit&apiKey=${key}&userName=${user}&phoneNumber=${encodeURIComponent(SEED.phoneNumber)}&phoneName=${SEED.phoneName}&PhoneNameNew=Support'`,
  );
}
const ignoredBaseUrl = process.env.CLOUDAGENT_BASE_URL?.trim();
if (simulator && ignoredBaseUrl) lines.push(`(CLOUDAGENT_BASE_URL is not used here: pass --upstream ${ignoredBaseUrl} to forward to it)`);
lines.push('Ctrl-C stops it.');
console.log(lines.join('\n'));

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.kill('SIGTERM');
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
server.on('exit', async (code, signal) => {
  await simulator?.close();
  process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0)));
});
