/** The languages `caphone migrate scan` reads, by file extension. */
export type Language = 'php' | 'javascript' | 'typescript' | 'python' | 'ruby' | 'java';

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
};

export function languageOf(path: string): Language | undefined {
  const dot = path.lastIndexOf('.');
  if (dot === -1 || dot < path.lastIndexOf('/')) return undefined;
  return BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
}

export const LANGUAGES: readonly Language[] = ['php', 'javascript', 'typescript', 'python', 'ruby', 'java'];

/**
 * The v2 call written the way each language usually writes it, so the finding can be pasted over.
 * v2 is a POST with a JSON body and the key in the `apiKey` header (never in the URL).
 */
export const V2_CALL: Record<Language, string> = {
  php:
    "POST {host}/ca_apis/PhoneManageV2 with a JSON body: curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode(['action' => 'edit', 'userName' => $user, ...])); CURLOPT_HTTPHEADER ['Content-Type: application/json', 'apiKey: ' . $key]",
  javascript:
    "createClient({ userName, apiKey }).editPhoneNumber({ ... }) from @cloudagent-phone/transport, or fetch(`${host}/ca_apis/PhoneManageV2`, { method: 'POST', headers: { apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'edit', userName, ... }) })",
  typescript:
    "createClient({ userName, apiKey }).editPhoneNumber({ ... }) from @cloudagent-phone/transport, or fetch(`${host}/ca_apis/PhoneManageV2`, { method: 'POST', headers: { apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'edit', userName, ... }) })",
  python:
    'requests.post(f"{host}/ca_apis/PhoneManageV2", json={"action": "edit", "userName": user, ...}, headers={"apiKey": key})',
  ruby:
    'HTTParty.post("#{host}/ca_apis/PhoneManageV2", body: { action: "edit", userName: user, ... }.to_json, headers: { "apiKey" => key, "Content-Type" => "application/json" })',
  java:
    'HttpRequest.newBuilder(URI.create(host + "/ca_apis/PhoneManageV2")).header("apiKey", key).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build()',
};
