/** xorshift32: small, seeded, good enough for jitter and fault draws. */
export function seededRandom(seed: number): () => number {
  let x = Math.imul(seed, 0x9e3779b1) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}
