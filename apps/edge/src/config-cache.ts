import { parseConfig, type ConfigResult, type EdgeEnv } from './config.js';

const parsed = new WeakMap<object, ConfigResult>();

/** The environment object is the same for every request an isolate serves: parse it once. */
export function configFor(env: EdgeEnv): ConfigResult {
  let result = parsed.get(env);
  if (!result) {
    result = parseConfig(env);
    parsed.set(env, result);
  }
  return result;
}
