import { it } from 'vitest';
import { makeHarness, KEY, USER } from '../matrix.js';
const auth = `apiKey=${KEY}&userName=${USER}`;
it('scratch', async () => {
  const cases: [string, any][] = [
    ['edit raw+ new', { query: `?action=edit&${auth}&phoneNumber=+919876543210&phoneName=Support&phoneNumberNew=+919876543219` }],
    ['delete', { query: `?action=delete&${auth}&phoneNumber=%2B919876543210&phoneName=Support` }],
    ['delete mixed case name', { query: `?action=delete&${auth}&phoneNumber=%2B919876543210&phoneName=support` }],
    ['no params', { query: `` }],
    ['json post', { method: 'POST', body: JSON.stringify({action:'create'}), contentType: 'application/json', query: `?action=create&${auth}&phoneNumber=%2B917000000099&phoneName=Desk99` }],
    ['form charset', { method: 'POST', body: `action=create&${auth}&phoneNumber=%2B917000000098&phoneName=Desk98`, contentType: 'application/x-www-form-urlencoded; charset=UTF-8' }],
    ['edit nothing', { query: `?action=edit&${auth}&phoneNumber=%2B919876543210&phoneName=Support` }],
    ['edit missing number new', { query: `?action=edit&${auth}&phoneNumber=%2B919876543210&phoneName=Support&PhoneNameNew=Support` }],
    ['action Create', { query: `?action=Create&${auth}&phoneNumber=%2B917000000097&phoneName=Desk97` }],
    ['name with space', { query: `?action=create&${auth}&phoneNumber=%2B917000000096&phoneName=Desk+96` }],
    ['edit skills', { query: `?action=edit&${auth}&phoneNumber=%2B919876543210&phoneName=Support&PhoneNameNew=Sup2&assignSkill=General&unAssignSkill=` }],
    ['array key', { query: `?action=create&${auth}&phoneNumber[]=1&phoneName=Desk95` }],
    ['skill spaces', { query: `?action=create&${auth}&phoneNumber=%2B917000000094&phoneName=Desk94&skill=General,%20Sales` }],
  ];
  for (const [name, spec] of cases) {
    const h = makeHarness();
    const r = await h.send(spec);
    const ref = await h.sendToReference(spec);
    console.log(name, r.status, r.body, '| ref', ref.status, ref.body, '| v2', JSON.stringify(h.v2Mutations().map((m) => m.params)));
  }
  const h = makeHarness();
  const r = await h.shim.fetch(new Request('http://shim.test/CAServices/PhoneManageV2.php?x=1', { method: 'HEAD' }));
  console.log('HEAD', r.status, [...r.headers]);
  const p = await h.shim.fetch(new Request('http://shim.test/CAServices/PhoneManageV2.php', { method: 'PUT' }));
  console.log('PUT', p.status, await p.text());
});
