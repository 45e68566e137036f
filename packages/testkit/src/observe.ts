import type { CredentialEvent, Logger } from '@credchain/core';

/** What a provider said while a test watched: every log line (level and arguments) and every event. */
export interface Observed {
  /** Pass as the provider's `logger`: it records every level, debug included. */
  readonly logger: Logger;
  /** Pass as the provider's `onEvent`. */
  readonly onEvent: (event: CredentialEvent) => void;
  readonly lines: Array<{ readonly level: keyof Logger; readonly args: unknown[] }>;
  readonly events: CredentialEvent[];
  /** True when every fetch the events tell of has ended (as many refresh-start as success and failure). */
  readonly settled: () => boolean;
}

/** A logger and an event listener that record what a provider tells them, for checks on both. */
export function observe(): Observed {
  const lines: Observed['lines'] = [];
  const events: CredentialEvent[] = [];
  const at =
    (level: keyof Logger) =>
    (...args: unknown[]): void =>
      void lines.push({ level, args });
  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    onEvent: (event) => void events.push(event),
    lines,
    events,
    settled: () =>
      events.filter((e) => e.type === 'refresh-start').length ===
      events.filter((e) => e.type === 'refresh-success' || e.type === 'refresh-failure').length,
  };
}
