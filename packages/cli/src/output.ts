import { UsageError } from './exitCodes';

/** The output formats of the STS commands (as the AWS CLI's `--output`). */
export type OutputFormat = 'json' | 'table';

export function outputFormat(value: string | undefined): OutputFormat {
  const format = value ?? 'json';
  if (format !== 'json' && format !== 'table')
    throw new UsageError(`--output must be json or table, not ${JSON.stringify(format)}`);
  return format;
}

/** Leaf values as `path → text`, dates as ISO 8601. */
function flatten(value: unknown, path: string, rows: Array<[string, string]>): void {
  if (value instanceof Date) rows.push([path, value.toISOString()]);
  else if (Array.isArray(value)) value.forEach((item, i) => flatten(item, `${path}[${i}]`, rows));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) flatten(item, path === '' ? key : `${path}.${key}`, rows);
  } else if (value === null) rows.push([path, 'null']);
  else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    rows.push([path, String(value)]);
  }
}

/** A result as the user asked for it: pretty JSON, or two aligned columns for people. */
export function formatResult(result: unknown, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  const rows: Array<[string, string]> = [];
  flatten(result, '', rows);
  const width = Math.max(0, ...rows.map(([key]) => key.length));
  return rows.map(([key, text]) => `${key.padEnd(width)}  ${text}\n`).join('');
}

/** The SDK's output without `$metadata` (the AWS CLI prints the response body only). */
export function responseBody<T extends object>(output: T): Omit<T, '$metadata'> {
  const { $metadata: _metadata, ...body } = output as T & { $metadata?: unknown };
  return body;
}
