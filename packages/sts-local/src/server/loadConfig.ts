import { readFileSync } from 'node:fs';
import { checkConfig } from '../config/checkConfig';
import { demoConfig } from '../config/demoConfig';
import type { StsLocalConfig } from '../config/types';

/**
 * The identity model: the demo config when none is given, else the object or JSON file, checked.
 * A file that is not JSON is reported without the parser's message, which may quote its content
 * (and so a secret).
 */
export function loadConfig(config: StsLocalConfig | string | undefined): StsLocalConfig {
  if (config === undefined) return demoConfig;
  let loaded: StsLocalConfig;
  if (typeof config === 'string') {
    const text = readFileSync(config, 'utf8');
    try {
      loaded = JSON.parse(text) as StsLocalConfig;
    } catch {
      throw new TypeError(`config file ${config} is not valid JSON`);
    }
  } else {
    loaded = config;
  }
  checkConfig(loaded);
  return loaded;
}
