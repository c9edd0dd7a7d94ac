import { startSimulator } from '@cloudagent-phone/simulator/node';
const rows = Number(process.argv[2] ?? 100000);
const records = Array.from({ length: rows }, (_, i) => ({ phoneNumber: `+9170${String(i).padStart(7, '0')}`, phoneName: `Line${String(i).padStart(7, '0')}` }));
const sim = await startSimulator({ port: Number(process.argv[3] ?? 4099), userName: 'bench', apiKey: 'bench-key', records, phoneNumberLimit: rows * 2, callLogLimit: 1000 });
console.log(sim.url);
process.on('SIGTERM', async () => { await sim.close(); process.exit(0); });
