import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The version of `@credchain/cli`, read from its package.json: the one file that holds it. This file
 * sits one level below the package root both as source (`src/`) and as built code (`dist/`).
 */
export function cliVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  const version = (manifest as { version?: unknown }).version;
  return typeof version === 'string' ? version : 'unknown';
}
