/**
 * Freezes `value` and every object and array in it, and returns it: code that writes anywhere in
 * it then throws (in strict mode, which TypeScript's modules are), so a test sees a write it forbids.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
