import { InvalidParameterError } from '@credchain/core';
import type { RefreshingProviderOptions } from '@credchain/core';
import { CredentialSourceError, fromProcess } from '@credchain/sources';
import type { SourceCredentialProvider } from '@credchain/sources';
import type { AwsCredentialIdentity } from '@smithy/types';

import { CredentialProcessError } from './errors';
import type { ProfileCredentialProvider } from './types';

// The credential_process runner lives in @credchain/sources (fromProcess); this adapts it to profiles:
// messages name the profile, and what fails is a CredentialProcessError, as profiles have always thrown.

/** A source error of the command, as profiles report it. */
function asProcessError(error: unknown, label: string): Error {
  if (error instanceof CredentialSourceError && error.source === 'process') {
    return new CredentialProcessError(error.message.replace(/^process: /, ''), { cause: error });
  }
  if (error instanceof InvalidParameterError && error.parameter === 'command') {
    return new CredentialProcessError(`${label} ${error.rule}`);
  }
  // Anything else passes as it is; a thrown non-Error (never seen from fromProcess) becomes one.
  return error instanceof Error ? error : new CredentialProcessError(`${label} failed`, { cause: error });
}

function failing(error: Error): ProfileCredentialProvider {
  const fail = () => Promise.reject(error);
  const provider = (() => fail()) as unknown as ProfileCredentialProvider;
  provider.refresh = fail;
  provider.close = () => undefined;
  provider[Symbol.dispose] = () => provider.close();
  return provider;
}

/**
 * Credentials from `credential_process`. Output with an Expiration is refreshed by the core engine
 * (the command runs again before it expires); output without one is kept for the provider's life,
 * as the AWS CLI does.
 */
export function processProvider(
  profile: string,
  command: string,
  engine: RefreshingProviderOptions,
): ProfileCredentialProvider {
  const label = `credential_process of profile "${profile}"`;
  let inner: SourceCredentialProvider;
  try {
    inner = fromProcess({
      command,
      label,
      ...(engine.name === undefined ? {} : { name: engine.name }),
      ...(engine.refresh === undefined ? {} : { refresh: engine.refresh }),
      ...(engine.retry === undefined ? {} : { retry: engine.retry }),
      ...(engine.logger === undefined ? {} : { logger: engine.logger }),
      ...(engine.onEvent === undefined ? {} : { onEvent: engine.onEvent }),
    });
  } catch (error) {
    // A command line that cannot be split fails at the call, as a profile's bad value always has.
    return failing(asProcessError(error, label));
  }
  const mapped = <T>(call: Promise<T>): Promise<T> =>
    call.catch((error: unknown) => Promise.reject(asProcessError(error, label)));
  const provider = ((props?: Record<string, unknown>) => mapped(inner(props))) as ProfileCredentialProvider;
  provider.refresh = () => mapped(inner.refresh());
  provider.close = () => inner.close();
  provider[Symbol.dispose] = () => provider.close();
  return provider;
}

/** A provider of fixed credentials (static keys), with the same surface as the others. */
export function staticProvider(credentials: AwsCredentialIdentity): ProfileCredentialProvider {
  const provider = (async () => credentials) as ProfileCredentialProvider;
  provider.refresh = async () => credentials;
  provider.close = () => undefined;
  provider[Symbol.dispose] = () => provider.close();
  return provider;
}
