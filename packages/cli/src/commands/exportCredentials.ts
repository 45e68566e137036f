import type { Context } from '../context';
import { credentialEnv, processJson } from '../credentialEnv';
import { UsageError } from '../exitCodes';

export const EXPORT_FORMATS = ['env', 'fish', 'powershell', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** POSIX shells: single quotes keep everything literal; a quote itself is closed, escaped, reopened. */
const sh = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
/** fish: inside single quotes only \\ and \' are special. */
const fish = (value: string) => `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
/** PowerShell: inside single quotes a quote is doubled. */
const ps = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The statements that set `variables` in a shell, one a line. */
export function shellExports(variables: Record<string, string>, format: Exclude<ExportFormat, 'json'>): string {
  return Object.entries(variables)
    .map(([name, value]) => {
      switch (format) {
        case 'env':
          return `export ${name}=${sh(value)}\n`;
        case 'fish':
          return `set -gx ${name} ${fish(value)};\n`;
        case 'powershell':
          return `$Env:${name} = ${ps(value)}\n`;
      }
    })
    .join('');
}

/** `export`: the profile's credentials as shell statements (`eval "$(credchain export …)"`) or JSON. */
export async function exportCredentials(context: Context, format: string | undefined): Promise<void> {
  const chosen = (format ?? 'env') as ExportFormat;
  if (!EXPORT_FORMATS.includes(chosen)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  const credentials = await context.credentials()();
  const text =
    chosen === 'json'
      ? `${JSON.stringify(processJson(credentials), null, 2)}\n`
      : shellExports(credentialEnv(credentials, context.clientConfig.region as string | undefined), chosen);
  context.io.stdout.write(text);
}
