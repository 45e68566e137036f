import { deflateRawSync } from 'node:zlib';
import { StsErrorResponse } from '../protocol/StsErrorResponse';
import type { Tag } from './rules';

/**
 * The packed-size budget of session policies and tags. AWS does not publish its packing format;
 * this emulates its shape: whitespace-free policy text, ARNs and tags, deflated, against a fixed
 * budget, so realistic requests stay small and 50 maximal tags overflow.
 */
const PACKED_BUDGET_BYTES = 2048;

/** PackedPolicySize (percent), or PackedPolicyTooLarge past 100 %. */
export function packedPolicySize(
  policy: string | undefined,
  arns: readonly string[],
  tags: readonly Tag[],
): number | undefined {
  if (policy === undefined && arns.length === 0 && tags.length === 0) return undefined;
  let compactPolicy = '';
  if (policy !== undefined) {
    try {
      compactPolicy = JSON.stringify(JSON.parse(policy));
    } catch {
      compactPolicy = policy;
    }
  }
  const text = [compactPolicy, ...arns, ...tags.map((t) => `${t.Key}=${t.Value}`)].join('\u0000');
  const percent = Math.max(
    1,
    Math.ceil((deflateRawSync(Buffer.from(text, 'utf8')).length * 100) / PACKED_BUDGET_BYTES),
  );
  if (percent > 100) {
    throw new StsErrorResponse(
      'PackedPolicyTooLarge',
      `Packed policy consumes ${percent}% of allotted space, please use smaller policy.`,
    );
  }
  return percent;
}
