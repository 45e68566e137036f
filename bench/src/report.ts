/** Shared by both bench entry points: the machine's description and the table printers. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Machine {
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly gcBetweenRounds: boolean;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${os.release()} ${process.arch}`,
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    gcBetweenRounds: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
}

/** A plain-text table: the first row is the header. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

/** A Markdown table: the first row is the header. */
export function markdownTable(rows: string[][]): string {
  const line = (r: string[]): string => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(rows[0]!), line(rows[0]!.map(() => '---')), ...rows.slice(1).map(line)].join('\n');
}

/** Writes `name → content` files under bench/results/. */
export function writeResults(files: Readonly<Record<string, string>>): void {
  const dir = path.join(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
}

/** Runs one part of the bench; the correctness failures it returns, or a crash, fail the process. */
export function runBench(part: () => Promise<readonly string[]>): void {
  part().then(
    (failures) => {
      if (failures.length === 0) return;
      console.error(`\nCORRECTNESS FAILURE:\n  ${failures.join('\n  ')}`);
      process.exitCode = 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
