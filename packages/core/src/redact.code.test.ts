import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from './redact.js';

// Keys pasted into source code and configuration, as `caphone migrate scan` finds them: with no
// secret known, the patterns alone must take the key out and leave the rest of the line as written.
const K = 'CANARY-KEY-c0de5e1f';
const R = REDACTED;

type Case = [name: string, line: string, expected: string];

const byLanguage: Record<string, Case[]> = {
  php: [
    ['array entry', `    'apiKey' => '${K}',`, `    'apiKey' => '${R}',`],
    ['array() with double quotes, no spaces', `$p = array("apiKey"=>'${K}', "userName"=>$u);`, `$p = array("apiKey"=>'${R}', "userName"=>$u);`],
    ['variable', `$apiKey = "${K}";`, `$apiKey = "${R}";`],
    ['index assignment', `$params['api_key'] = '${K}';`, `$params['api_key'] = '${R}';`],
    ['define()', `define('CLOUDAGENT_API_KEY', '${K}');`, `define('CLOUDAGENT_API_KEY', '${R}');`],
    ['concatenated query', `$u = $base . '?apiKey=' . '${K}' . '&userName=' . $user;`, `$u = $base . '?apiKey=' . '${R}' . '&userName=' . $user;`],
    ['interpolated query with a literal key', `$u = "https://h/CAServices/PhoneManageV2.php?action=delete&apiKey=${K}&userName=$user";`, `$u = "https://h/CAServices/PhoneManageV2.php?action=delete&apiKey=${R}&userName=$user";`],
  ],
  javascript: [
    ['object, single quotes', `const params = { action: 'edit', apiKey: '${K}', userName: u };`, `const params = { action: 'edit', apiKey: '${R}', userName: u };`],
    ['object, quoted key', `const params = { 'apiKey': "${K}" };`, `const params = { 'apiKey': "${R}" };`],
    ['template literal value', `const p = { apiKey: \`${K}\` };`, `const p = { apiKey: \`${R}\` };`],
    ['const', `const API_KEY = '${K}';`, `const API_KEY = '${R}';`],
    ['append', `params.append('apiKey', '${K}');`, `params.append('apiKey', '${R}');`],
    ['default', `const key = process.env.CLOUDAGENT_API_KEY || '${K}';`, `const key = process.env.CLOUDAGENT_API_KEY || '${R}';`],
    ['property', `config.apiKey = "${K}";`, `config.apiKey = "${R}";`],
    ['glued query', `const url = base + '?action=edit&apiKey=' + '${K}' + '&userName=' + user;`, `const url = base + '?action=edit&apiKey=' + '${R}' + '&userName=' + user;`],
  ],
  typescript: [
    ['typed const', `const apiKey: string = '${K}';`, `const apiKey: string = '${R}';`],
    ['typed field', `  private readonly apiKey = "${K}";`, `  private readonly apiKey = "${R}";`],
    ['nullish default', `const key = opts.apiKey ?? '${K}';`, `const key = opts.apiKey ?? '${R}';`],
  ],
  python: [
    ['assignment', `api_key = "${K}"`, `api_key = "${R}"`],
    ['dict, single quotes', `params = {'action': 'delete', 'apiKey': '${K}', 'userName': user}`, `params = {'action': 'delete', 'apiKey': '${R}', 'userName': user}`],
    ['dict, double quotes', `params = {"apiKey": "${K}", "userName": user}`, `params = {"apiKey": "${R}", "userName": user}`],
    ['keyword argument', `client = Client(user_name=u, api_key='${K}')`, `client = Client(user_name=u, api_key='${R}')`],
    ['getenv default', `key = os.getenv("CLOUDAGENT_API_KEY", "${K}")`, `key = os.getenv("CLOUDAGENT_API_KEY", "${R}")`],
    ['f-string: the variable stays', `url = f"{V1}?apiKey={key}&userName={user}"`, `url = f"{V1}?apiKey={key}&userName={user}"`],
  ],
  ruby: [
    ['hash rocket, symbol', `params = { :apiKey => '${K}', :userName => user }`, `params = { :apiKey => '${R}', :userName => user }`],
    ['hash rocket, string', `params = { "api_key" => "${K}" }`, `params = { "api_key" => "${R}" }`],
    ['new-style hash', `HTTParty.post(URL, body: { action: 'create', apiKey: '${K}', userName: user })`, `HTTParty.post(URL, body: { action: 'create', apiKey: '${R}', userName: user })`],
    ['constant', `API_KEY = '${K}'.freeze`, `API_KEY = '${R}'.freeze`],
    ['instance variable', `@api_key = "${K}"`, `@api_key = "${R}"`],
    ['ENV fallback', `key = ENV['CLOUDAGENT_API_KEY'] || '${K}'`, `key = ENV['CLOUDAGENT_API_KEY'] || '${R}'`],
    ['interpolation: the variable stays', `url = "#{URL}?apiKey=#{key}&userName=#{user}"`, `url = "#{URL}?apiKey=#{key}&userName=#{user}"`],
  ],
  java: [
    ['queryParam', `.queryParam("apiKey", "${K}")`, `.queryParam("apiKey", "${R}")`],
    ['map put', `params.put("apiKey", "${K}");`, `params.put("apiKey", "${R}");`],
    ['constant', `private static final String API_KEY = "${K}";`, `private static final String API_KEY = "${R}";`],
    ['builder', `Client c = Client.builder().apiKey("${K}").build();`, `Client c = Client.builder().apiKey("${R}").build();`],
    ['concatenated literal', `String url = host + "/CAServices/PhoneManageV2.php?action=edit&apiKey=" + "${K}" + "&userName=" + user;`, `String url = host + "/CAServices/PhoneManageV2.php?action=edit&apiKey=" + "${R}" + "&userName=" + user;`],
    ['inline in the URL', `String url = host + "/CAServices/PhoneManageV2.php?apiKey=${K}&userName=" + user;`, `String url = host + "/CAServices/PhoneManageV2.php?apiKey=${R}&userName=" + user;`],
  ],
  configuration: [
    ['.env', `CLOUDAGENT_API_KEY=${K}`, `CLOUDAGENT_API_KEY=${R}`],
    ['.sh export', `export CLOUDAGENT_API_KEY="${K}"`, `export CLOUDAGENT_API_KEY="${R}"`],
    ['.sh curl with the key in the URL', `curl "https://h/CAServices/PhoneManageV2.php?action=get&apiKey=${K}&userName=u"`, `curl "https://h/CAServices/PhoneManageV2.php?action=get&apiKey=${R}&userName=u"`],
    ['.sh curl with the key in a header', `curl -H "apiKey: ${K}" https://h/ca_apis/PhoneManageV2`, `curl -H "apiKey: ${R}" https://h/ca_apis/PhoneManageV2`],
    ['.properties', `cloudagent.api.key=${K}`, `cloudagent.api.key=${R}`],
    ['.properties camelCase', `cloudagent.apiKey = ${K}`, `cloudagent.apiKey = ${R}`],
    ['.ini', `api_key = ${K}`, `api_key = ${R}`],
    ['.yaml plain', `  apiKey: ${K}`, `  apiKey: ${R}`],
    ['.yaml quoted', `  api_key: "${K}"`, `  api_key: "${R}"`],
    ['.yaml URL', `  url: https://h/CAServices/PhoneManageV2.php?apiKey=${K}&userName=u`, `  url: https://h/CAServices/PhoneManageV2.php?apiKey=${R}&userName=u`],
    ['.yaml interpolation stays', `  apiKey: \${CLOUDAGENT_API_KEY}`, `  apiKey: \${CLOUDAGENT_API_KEY}`],
    ['.json', `  "apiKey": "${K}",`, `  "apiKey": "${R}",`],
    ['.xml element', `  <apiKey>${K}</apiKey>`, `  <apiKey>${R}</apiKey>`],
    ['.xml attribute', `<client apiKey="${K}" userName="u"/>`, `<client apiKey="${R}" userName="u"/>`],
    ['.xml key/value', `<add key="CloudAgentApiKey" value="${K}" />`, `<add key="CloudAgentApiKey" value="${R}" />`],
    ['.conf query', `proxy_pass https://h/CAServices/PhoneManageV2.php?apiKey=${K};`, `proxy_pass https://h/CAServices/PhoneManageV2.php?apiKey=${R};`],
  ],
};

describe.each(Object.entries(byLanguage))('redact: a key written in %s', (_language, cases) => {
  it.each(cases)('%s', (_name, line, expected) => {
    const out = redact(line);
    expect(out).not.toContain('CANARY');
    expect(out).toBe(expected);
  });
});

describe('redact: code that only names the key is left readable', () => {
  it.each([
    // A parameter whose value is glued on from a variable: nothing to take out, nothing inserted.
    ['Java concatenation', `String url = host + "?action=edit&apiKey=" + key + "&userName=" + user;`],
    ['JS concatenation', `const url = base + '?apiKey=' + apiKey + '&userName=' + user;`],
    ['PHP concatenation', `$u = $base . '?apiKey=' . $apiKey . '&userName=' . $user;`],
    ['Java queryParam with a variable', `.queryParam("apiKey", apiKey)`],
    ['a key read from the environment', `api_key = os.environ["CLOUDAGENT_API_KEY"]`],
    ['a key read with a call', `apiKey: getenv("CLOUDAGENT_API_KEY"),`],
    ['a template literal', 'const url = `${host}/CAServices/PhoneManageV2.php?apiKey=${apiKey}&userName=${user}`;'],
    ['an empty value', `const p = { apiKey: '' };`],
    ['a comparison', `if (apiKey == "") return;`],
  ])('%s', (_name, line) => {
    expect(redact(line)).toBe(line);
  });

  it('an identifier as an unquoted value is taken out whole, without breaking the line', () => {
    expect(redact('const p = { apiKey: key, userName: u };')).toBe(`const p = { apiKey: ${R}, userName: u };`);
  });
});
