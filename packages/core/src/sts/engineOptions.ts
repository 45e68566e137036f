import type { RefreshingProviderOptions } from '../createRefreshingProvider';
import { createEmitter } from '../emitter';
import { InvalidParameterError } from '../errors';
import type { EventInput } from '../emitter';
import { noopLogger } from '../support';
import { DEFAULT_MANDATORY_WINDOW_MS } from '../windows';
import type { Logger } from '../types';
import type { StsProviderOptions } from './stsClient';

/** What a provider needs besides its fetch: its logger, an event emitter, the engine's options. */
export interface ProviderKit {
  readonly logger: Logger;
  readonly emit: (event: EventInput) => void;
  readonly engine: RefreshingProviderOptions;
}

/**
 * Credentials that live no longer than the mandatory window could never be handed out (the engine
 * refuses them, engine rule 7 in docs/ARCHITECTURE.md): a requested DurationSeconds that short is an
 * error now, not at every fetch.
 */
function checkOutlivesMandatoryWindow(durationSeconds: unknown, init: StsProviderOptions): void {
  if (typeof durationSeconds !== 'number') return;
  const mandatoryWindowMs = init.refresh?.mandatoryWindowMs ?? DEFAULT_MANDATORY_WINDOW_MS;
  if (typeof mandatoryWindowMs === 'number' && durationSeconds * 1000 <= mandatoryWindowMs) {
    throw new InvalidParameterError(
      'DurationSeconds',
      `must be longer than refresh.mandatoryWindowMs (${mandatoryWindowMs / 1000} s): credentials of` +
        ` ${durationSeconds} s could never be handed out; ask for more or lower the window`,
    );
  }
}

/**
 * Builds a provider's logger, emitter and engine options from its init, under its name. Pass the
 * requested DurationSeconds (when the operation takes one) to have it checked against the
 * mandatory window.
 */
export function providerKit(name: string, init: StsProviderOptions, durationSeconds?: number): ProviderKit {
  checkOutlivesMandatoryWindow(durationSeconds, init);
  const logger = init.logger ?? noopLogger;
  const clock = init.refresh?.clock ?? Date;
  return {
    logger,
    emit: createEmitter(name, init.onEvent, logger, () => clock.now()),
    engine: {
      name,
      logger,
      ...(init.refresh === undefined ? {} : { refresh: init.refresh }),
      ...(init.retry === undefined ? {} : { retry: init.retry }),
      ...(init.onEvent === undefined ? {} : { onEvent: init.onEvent }),
    },
  };
}
