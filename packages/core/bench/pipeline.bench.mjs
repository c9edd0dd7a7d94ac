// Core's pipeline (validate, encode v2, classify) against a hand-written baseline doing the same
// work without zod, in the same run. Target: core within 2x of the baseline (ops/s ratio).
import { Bench } from 'tinybench';
import { classify, encodeV2, validateOperation } from '../dist/index.js';

const input = {
  action: 'edit',
  phoneNumber: '+919876543210',
  phoneName: 'Sales Desk',
  phoneNumberNew: '+919876543211',
  phoneNameNew: 'Sales',
  assignSkill: 'General,QA_Skill',
};
const credentials = { userName: 'acme', apiKey: 'bench-key' };
const response = { status: 200, body: '{"status":"success","message":"record inserted successfully"}' };

// The baseline: the same checks, encoding and recognition, written by hand with no schema library.
const NEW_NUMBER = /^\+?\d{3,17}$/;
const EXISTING_NUMBER = /^\+?\d{1,100}$/;
const NAME = /^\+?[A-Za-z0-9](?:[A-Za-z0-9.,@_-]*[A-Za-z0-9])?$/;
function baseline(i) {
  const phoneNumber = i.phoneNumber.trim();
  const phoneNumberNew = i.phoneNumberNew.trim();
  const phoneNameNew = i.phoneNameNew.trim();
  if (!EXISTING_NUMBER.test(phoneNumber) || !NEW_NUMBER.test(phoneNumberNew)) throw new Error('number');
  if (phoneNameNew.length < 2 || phoneNameNew.length > 50 || !NAME.test(phoneNameNew)) throw new Error('name');
  if (!/\S/.test(i.phoneName)) throw new Error('existing name');
  const seen = new Set();
  const skills = i.assignSkill.split(',').map((s) => s.trim()).filter((s) => {
    if (!s) throw new Error('skill');
    const k = s.toLowerCase();
    return seen.has(k) ? false : (seen.add(k), true);
  });
  const body = JSON.stringify({ action: 'edit', userName: credentials.userName, phoneNumber, phoneName: i.phoneName, phoneNumberNew, phoneNameNew, assignSkill: skills.join(',') });
  const req = { method: 'POST', url: 'https://in1-ccaas-api.ozonetel.com/ca_apis/PhoneManageV2', headers: { 'content-type': 'application/json', apiKey: credentials.apiKey }, body };
  const parsed = JSON.parse(response.body);
  const kind = parsed.status === 'success' && parsed.message.replace(/\s+/g, ' ').trim().toLowerCase() === 'record inserted successfully' ? 'success' : 'unknown';
  return [req, kind];
}

function core(i) {
  const v = validateOperation(i);
  if (!v.ok) throw new Error('invalid');
  const req = encodeV2(v.value, credentials);
  return [req, classify(response, 'edit').kind];
}

if (core(input)[1] !== 'success' || baseline(input)[1] !== 'success') throw new Error('pipelines disagree');

const bench = new Bench({ time: 1000, warmupTime: 200 });
bench.add('baseline (hand-written)', () => baseline(input)).add('core (zod/mini)', () => core(input));
await bench.run();
const [base, ours] = bench.tasks.map((t) => t.result.throughput.mean);
console.table(bench.table());
const ratio = base / ours;
console.log(`core pipeline: ${Math.round(ours).toLocaleString()} ops/s; baseline ${Math.round(base).toLocaleString()} ops/s; baseline/core = ${ratio.toFixed(2)}x (target <= 2x) ${ratio <= 2 ? 'OK' : 'OVER TARGET'}`);
