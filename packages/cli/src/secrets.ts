import type { AwsCredentialIdentity } from '@smithy/types';

/**
 * Every secret the command has seen (a token code, a TOTP seed, keys, tokens). Whatever reaches
 * stderr goes through `scrub` first: credchain's errors carry no secrets, and this keeps it so for
 * messages of code we do not own (the SDK, a child's spawn error).
 */
export class Secrets {
  readonly #values = new Set<string>();

  add(value: string): string {
    if (value.length >= 4) this.#values.add(value);
    return value;
  }

  /** Records the secret parts of credentials and returns them unchanged. */
  watch<T extends AwsCredentialIdentity>(credentials: T): T {
    this.add(credentials.secretAccessKey);
    if (credentials.sessionToken !== undefined) this.add(credentials.sessionToken);
    return credentials;
  }

  scrub(text: string): string {
    let out = text;
    for (const value of this.#values) out = out.split(value).join('[redacted]');
    return out;
  }
}
