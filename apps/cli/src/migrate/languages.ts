/** The programming languages `caphone migrate scan` reads, by file extension. */
export type SourceLanguage = 'php' | 'javascript' | 'typescript' | 'python' | 'ruby' | 'java';

/**
 * Configuration and scripts: the v1 URL is often kept in a setting rather than in the code, and a
 * shell script calls it with curl.
 */
export type ConfigFormat = 'yaml' | 'json' | 'xml' | 'properties' | 'ini' | 'env' | 'conf' | 'shell';

export type Language = SourceLanguage | ConfigFormat;

const BY_EXTENSION: Record<string, Language> = {
  php: 'php',
  phtml: 'php',
  inc: 'php',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescript',
  py: 'python',
  rb: 'ruby',
  rake: 'ruby',
  java: 'java',
  yaml: 'yaml',
  yml: 'yaml',
  json: 'json',
  xml: 'xml',
  properties: 'properties',
  ini: 'ini',
  env: 'env',
  conf: 'conf',
  sh: 'shell',
};

// `.env`, and the per-environment `.env.local`, `.env.production` that dotenv tools read too.
const DOTENV = /^\.env(?:\.[\w-]+)?$/i;

export function languageOf(path: string): Language | undefined {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const name = path.slice(slash + 1);
  if (DOTENV.test(name)) return 'env';
  const dot = name.lastIndexOf('.');
  if (dot === -1) return undefined;
  const extension = name.slice(dot + 1).toLowerCase();
  return Object.hasOwn(BY_EXTENSION, extension) ? BY_EXTENSION[extension] : undefined;
}

export const SOURCE_LANGUAGES: readonly SourceLanguage[] = ['php', 'javascript', 'typescript', 'python', 'ruby', 'java'];
export const CONFIG_FORMATS: readonly ConfigFormat[] = ['yaml', 'json', 'xml', 'properties', 'ini', 'env', 'conf', 'shell'];
export const LANGUAGES: readonly Language[] = [...SOURCE_LANGUAGES, ...CONFIG_FORMATS];

// A setting only holds the URL: the code that reads it must change with it.
const CONFIG_HINT =
  'set the URL to {host}/ca_apis/PhoneManageV2, and change the code that reads this setting with it: v2 is a POST with a JSON body and the key in the `apiKey` header, never in the URL';

/**
 * The v2 call written the way each language usually writes it, so the finding can be pasted over.
 * v2 is a POST with a JSON body and the key in the `apiKey` header (never in the URL).
 */
export const V2_CALL: Record<Language, string> = {
  php:
    "POST {host}/ca_apis/PhoneManageV2 with a JSON body: curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode(['action' => 'edit', 'userName' => $user, ...])); CURLOPT_HTTPHEADER ['Content-Type: application/json', 'apiKey: ' . $key]",
  javascript:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text shows the user a JavaScript template literal
    "createClient({ userName, apiKey }).editPhoneNumber({ ... }) from @cloudagent-phone/transport, or fetch(`${host}/ca_apis/PhoneManageV2`, { method: 'POST', headers: { apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'edit', userName, ... }) })",
  typescript:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text shows the user a JavaScript template literal
    "createClient({ userName, apiKey }).editPhoneNumber({ ... }) from @cloudagent-phone/transport, or fetch(`${host}/ca_apis/PhoneManageV2`, { method: 'POST', headers: { apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'edit', userName, ... }) })",
  python:
    'requests.post(f"{host}/ca_apis/PhoneManageV2", json={"action": "edit", "userName": user, ...}, headers={"apiKey": key})',
  ruby:
    'HTTParty.post("#{host}/ca_apis/PhoneManageV2", body: { action: "edit", userName: user, ... }.to_json, headers: { "apiKey" => key, "Content-Type" => "application/json" })',
  java:
    'HttpRequest.newBuilder(URI.create(host + "/ca_apis/PhoneManageV2")).header("apiKey", key).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build()',
  shell:
    'curl -X POST "$HOST/ca_apis/PhoneManageV2" -H "apiKey: $CLOUDAGENT_API_KEY" -H "Content-Type: application/json" -d \'{"action":"edit","userName":"…",…}\'',
  yaml: CONFIG_HINT,
  json: CONFIG_HINT,
  xml: CONFIG_HINT,
  properties: CONFIG_HINT,
  ini: CONFIG_HINT,
  env: CONFIG_HINT,
  conf: CONFIG_HINT,
};
