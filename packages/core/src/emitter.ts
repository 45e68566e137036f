import type { CredentialEvent, EventListener } from './events';
import { describeError } from './support';
import type { Logger } from './types';

/** Event payload without the fields the emitter fills in. */
export type EventInput = CredentialEvent extends infer E
  ? E extends CredentialEvent
    ? Omit<E, 'provider' | 'at'>
    : never
  : never;

/**
 * Delivers events to a user's listener with the provider's name and the time; a listener that
 * throws is logged and otherwise ignored, so observability can never break credentials.
 */
export function createEmitter(
  name: string,
  onEvent: EventListener | undefined,
  logger: Logger,
  now: () => number,
): (event: EventInput) => void {
  return (event) => {
    if (onEvent === undefined) return;
    try {
      onEvent({ ...event, provider: name, at: now() });
    } catch (error) {
      logger.warn(`credchain:${name} - onEvent listener threw; ignored: ${describeError(error)}`);
    }
  };
}
