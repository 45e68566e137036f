/**
 * Scenario 4 of the engine bench: where in the advisory window 1,000 providers start their refresh
 * (issue 9, defect 3). Fake time (@sinonjs/fake-timers). The fleet fetches its 1-hour credentials at
 * one instant, as processes started together do; then a caller asks every provider once a second
 * through the whole advisory window. Before issue 9 the first of those calls started the refresh,
 * so the whole fleet refreshed in the window's first second; the refresh point is now drawn per
 * credentials, when they arrive, and callers wait for it as the timer does.
 */
import { createRefreshingProvider } from '@credchain/core';
import type { CredentialEvent, CredentialProvider, RefreshOptions, TemporaryCredentials } from '@credchain/core';

import { installClock } from './fakeTime';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** 1-hour credentials with the defaults: a 15-minute advisory window before the 1-minute mandatory one. */
export const WINDOW = { advisoryMs: 15 * MINUTE, mandatoryMs: MINUTE, lifetimeMs: HOUR, binMs: MINUTE };

export interface RefreshPointVariant {
  readonly id: string;
  readonly label: string;
  readonly refresh: RefreshOptions;
}

export const REFRESH_POINT_VARIANTS: readonly RefreshPointVariant[] = [
  { id: 'defaults', label: 'ours, defaults (jitter 0.5, background timer on)', refresh: {} },
  { id: 'callers-only', label: 'ours, background: false (the callers alone start it)', refresh: { background: false } },
  {
    id: 'jitter-0',
    label: 'ours, jitter: 0 (the window opens: where steady callers started every refresh before issue 9)',
    refresh: { jitter: 0 },
  },
];

export interface RefreshPointsResult {
  readonly id: string;
  readonly label: string;
  readonly providers: number;
  /** Providers whose refresh started in each minute of the advisory window, from its opening. */
  readonly bins: number[];
  /** ms after the advisory window opened: the earliest, median and latest refresh start. */
  readonly minMs: number;
  readonly medianMs: number;
  readonly maxMs: number;
  /** Refresh starts by reason: `timer`, or `advisory` (a caller). */
  readonly byReason: Record<string, number>;
  /** Distinct instants at which refreshes started: 1 means the whole fleet at once. */
  readonly distinctInstants: number;
  /** Providers that had not started a refresh when the mandatory window opened. */
  readonly notRefreshed: number;
}

const credentials = (n: number): TemporaryCredentials => ({
  accessKeyId: `ASIABENCH${n}`,
  secretAccessKey: 'bench/secret/not/a/real/key/0000000000',
  sessionToken: 'bench-session-token',
  expiration: new Date(Date.now() + WINDOW.lifetimeMs),
});

export async function runRefreshPoints(variant: RefreshPointVariant, providers: number): Promise<RefreshPointsResult> {
  const clock = installClock();
  const fleet: CredentialProvider[] = [];
  try {
    const advisoryAt = Date.now() + WINDOW.lifetimeMs - WINDOW.mandatoryMs - WINDOW.advisoryMs;
    const mandatoryAt = advisoryAt + WINDOW.advisoryMs;
    const offsets: number[] = [];
    const byReason: Record<string, number> = {};
    let fetches = 0;
    for (let i = 0; i < providers; i++) {
      let started = false;
      const onEvent = (e: CredentialEvent): void => {
        if (e.type !== 'refresh-start' || e.reason === 'initial' || started) return;
        started = true;
        offsets.push(e.at - advisoryAt);
        byReason[e.reason] = (byReason[e.reason] ?? 0) + 1;
      };
      fleet.push(
        createRefreshingProvider(async () => credentials(++fetches), {
          name: 'bench',
          refresh: variant.refresh,
          onEvent,
        }),
      );
    }
    await Promise.all(fleet.map((p) => p()));
    // Idle until a second before the window opens (no refresh is due before it), then the callers.
    await clock.tickAsync(advisoryAt - SECOND - Date.now());
    while (Date.now() < mandatoryAt) {
      await clock.tickAsync(SECOND);
      await Promise.all(fleet.map((p) => p()));
    }
    const bins = Array.from({ length: Math.ceil(WINDOW.advisoryMs / WINDOW.binMs) }, () => 0);
    for (const offset of offsets) bins[Math.min(bins.length - 1, Math.floor(offset / WINDOW.binMs))]!++;
    const sorted = [...offsets].sort((a, b) => a - b);
    return {
      id: variant.id,
      label: variant.label,
      providers,
      bins,
      minMs: sorted[0] ?? Number.NaN,
      medianMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
      maxMs: sorted[sorted.length - 1] ?? Number.NaN,
      byReason,
      distinctInstants: new Set(offsets).size,
      notRefreshed: providers - offsets.length,
    };
  } finally {
    fleet.forEach((p) => p.close());
    clock.uninstall();
  }
}
