// The simulator's raw capacity: the bulk benches' edits sent straight at it by a bare node:http
// client over N keep-alive connections, as fast as it answers. Run as a child process by
// index.js's rawCapacity (its CPU is its own): node raw-client.mjs URL ROWS CONNECTIONS USERNAME APIKEY.
// Row i moves +9170<i> (named Line<i>) to +9180<i> and assigns General: the CLI bench's CSV rows
// and the edge bench's job rows. Prints {"requestsPerSecond","cpuMicros"} (its own user + system).
// The baseline of both benches: change the requests or the connections and their figures move.
import http from 'node:http';

const [url, rows, connections, userName, apiKey] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), process.argv[5], process.argv[6]];
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const target = new URL('/ca_apis/PhoneManageV2', url);
function edit(i) {
  const n = String(i).padStart(7, '0');
  const body = JSON.stringify({ action: 'edit', userName, phoneNumber: '+9170' + n, phoneName: 'Line' + n, phoneNumberNew: '+9180' + n, assignSkill: 'General' });
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', apiKey, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d) => (text += d)).on('end', () => (text.includes('success') ? resolve() : reject(new Error(text))));
    });
    req.on('error', reject);
    req.end(body);
  });
}
let next = 0;
const started = process.hrtime.bigint();
await Promise.all(Array.from({ length: connections }, async () => { while (next < rows) await edit(next++); }));
const usage = process.resourceUsage();
process.stdout.write(JSON.stringify({ requestsPerSecond: rows / (Number(process.hrtime.bigint() - started) / 1e9), cpuMicros: usage.userCPUTime + usage.systemCPUTime }));
agent.destroy();
