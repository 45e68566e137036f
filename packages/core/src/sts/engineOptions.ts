import type { RefreshingProviderOptions } from '../createRefreshingProvider';
import { createEmitter } from '../emitter';
import type { EventInput } from '../emitter';
import { noopLogger } from '../support';
import type { Logger } from '../types';
import type { StsProviderOptions } from './stsClient';

/** What a provider needs besides its fetch: its logger, an event emitter, the engine's options. */
export interface ProviderKit {
  readonly logger: Logger;
  readonly emit: (event: EventInput) => void;
  readonly engine: RefreshingProviderOptions;
}

/** Builds a provider's logger, emitter and engine options from its init, under its name. */
export function providerKit(name: string, init: StsProviderOptions): ProviderKit {
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
