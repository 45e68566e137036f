// jest's asymmetric matchers are typed `any`: an expected object holding one would be an unsafe
// assignment. These hand them out as `unknown`, which is all toEqual and toMatchObject need.

/** A string matching `pattern` (`expect.stringMatching`). */
export const stringMatching = (pattern: RegExp): unknown => expect.stringMatching(pattern);

/** Any string (`expect.any(String)`). */
export const anyString = (): unknown => expect.any(String);
