import type { RefreshReason } from '../types';

const WHY: Record<RefreshReason, string> = {
  initial: 'no cached credentials',
  advisory: 'advisory window',
  timer: 'advisory window, background timer',
  mandatory: 'mandatory window',
  expired: 'credentials expired',
  forced: 'forced',
  retry: 'retry after a failure',
  rejected: 'a service rejected the cached credentials',
};

/** Why the engine fetches, in the words of its log lines: `refreshing (advisory window, 412 s left)`. */
export function describeReason(reason: RefreshReason): string {
  return WHY[reason];
}
