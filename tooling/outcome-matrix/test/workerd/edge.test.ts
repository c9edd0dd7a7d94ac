// The fault matrix with the edge's own Worker entry inside workerd (exports.default: its Durable
// Objects, the socket transport), in front of the proxy and the simulator on loopback.
import { exports } from 'cloudflare:workers';
import { numberOf, TEAM_TOKEN, USER, type Claim } from '../../src/fault-cases.js';
import { defineWorkerdFaultMatrix } from './matrix-suite.js';

defineWorkerdFaultMatrix('edge', async (n) => {
  const response = await exports.default.fetch(
    new Request(`https://edge.test/phone-numbers/${encodeURIComponent(numberOf(n))}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TEAM_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userName: USER, phoneName: `Old_${n}`, phoneNameNew: `New_${n}` }),
    }),
  );
  const text = await response.text();
  const body = JSON.parse(text) as { applied?: Claim };
  return { claim: body.applied ?? 'unknown', raw: `${response.status} ${text}` };
});
