import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  HandlerExecutionContext,
  InitializeMiddleware,
  Pluggable,
} from '@smithy/types';

import { InvalidParameterError } from '../errors';
import type { CredentialProvider } from '../types';
import { issuerOf } from './issuedBy';
import { hasOneShotBody, rejectionCode } from './rejection';

/** The name of the plugin's middleware in a client's stack. */
export const RECOVERY_MIDDLEWARE = 'credchainCredentialRecoveryMiddleware';

/** Where new credentials for the retry come from, given the provider that issued the rejected ones. */
type FreshFrom = (issuer: CredentialProvider) => AwsCredentialIdentityProvider;

/**
 * The identity the command was signed with: the SDK resolves it once per command, before its retries,
 * and its signer asks the client's credentials again, which hand out the same object while cached.
 */
function signedWith(context: HandlerExecutionContext): AwsCredentialIdentity | undefined {
  const identity: Partial<AwsCredentialIdentity> | undefined =
    context.__smithy_context?.selectedHttpAuthScheme?.identity;
  return typeof identity?.accessKeyId === 'string' ? (identity as AwsCredentialIdentity) : undefined;
}

/**
 * The plugin's middleware wraps the whole command (step `initialize`, so the SDK's retries are inside):
 * when the service rejects the credentials credchain handed out, it invalidates them at their provider,
 * takes new ones (single flight: every rejected request waits on one refresh) and sends the command once
 * more.
 */
function recoveryPluggable(freshFrom: FreshFrom): Pluggable<object, object> {
  const recover: InitializeMiddleware<object, object> = (next, context: HandlerExecutionContext) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      const code = rejectionCode(error);
      // Never for authorization errors (they carry no rejection code). The retry below is outside this
      // try: never more than one per request.
      if (code === undefined) throw error;
      const rejected = signedWith(context);
      const issuer = issuerOf(rejected);
      // Not credentials credchain handed out, or a body that cannot be sent twice: the error stands.
      if (rejected === undefined || issuer === undefined || hasOneShotBody(args.input)) throw error;
      // False when a refresh already replaced them: then the retry simply uses the current ones.
      issuer.invalidate(rejected.accessKeyId, code);
      let fresh: AwsCredentialIdentity;
      try {
        fresh = await freshFrom(issuer)();
      } catch {
        // The refresh failed (reported by the provider's refresh-failure event and logger): what the
        // service said about the request is still the answer.
        throw error;
      }
      if (fresh.accessKeyId === rejected.accessKeyId) throw error;
      // The SDK resolves the identity again, and its signer reads the client's credentials again: from a
      // provider the client does not cache in front of (credchain's are marked memoized), the new ones.
      return next(args);
    }
  };

  return {
    applyToStack(stack) {
      // Installed twice (the plugin, then withCredentialRecovery): the last one stands.
      stack.remove(RECOVERY_MIDDLEWARE);
      stack.add(recover, { step: 'initialize', priority: 'low', name: RECOVERY_MIDDLEWARE, tags: ['CREDCHAIN'] });
    },
  };
}

/**
 * A plugin for any AWS SDK for JavaScript v3 client: `client.middlewareStack.use(credentialRecoveryPlugin(p))`.
 * When a service rejects the credentials a request was signed with (ExpiredToken, ExpiredTokenException,
 * InvalidClientTokenId, UnrecognizedClientException, InvalidToken) and they are credentials a credchain
 * provider handed out, the plugin invalidates them at that provider (only if they are still its cached
 * ones: a refresh may already have replaced them), takes new credentials from `provider` (one refresh,
 * shared by every request rejected meanwhile) and sends the request once more with them. Never for
 * AccessDenied or any other authorization error, never more than one retry per request, never for a
 * request whose body is a stream (it cannot be sent twice). A failed refresh leaves the service's error
 * as the answer.
 *
 * @param provider where the retry's credentials come from: the provider given to the client as
 *   `credentials` (or the credchain provider behind it).
 */
export function credentialRecoveryPlugin<Input extends object, Output extends object>(
  provider: AwsCredentialIdentityProvider,
): Pluggable<Input, Output> {
  if (typeof provider !== 'function') throw new InvalidParameterError('provider', 'must be a credentials provider');
  // The middleware reads no member of the input or output but the input's bodies: any client's fit.
  return recoveryPluggable(() => provider) as unknown as Pluggable<Input, Output>;
}

/** An SDK client, as far as {@link withCredentialRecovery} needs one. */
export interface ClientWithMiddleware {
  readonly middlewareStack: { use(pluggable: never): void };
}

/**
 * Installs {@link credentialRecoveryPlugin} on `client` for the client's own `credentials`, and returns
 * the client. The provider to invalidate and refresh is found from the rejected credentials themselves
 * (every credchain engine records what it hands out, and the SDK signs with the very object), so it is
 * found through whatever stands between the client and the engine: a `chain`, a wrapper of your own.
 * Requests signed with credentials no credchain provider handed out are left alone. As with the plugin,
 * the client must not cache in front of the provider: credchain's providers are marked `memoized` (the
 * SDK's marker) so it does not; a wrapper of your own needs `wrapper.memoized = true` too.
 */
export function withCredentialRecovery<C extends ClientWithMiddleware>(client: C): C {
  const stack = (client as { middlewareStack?: { use?: unknown } } | undefined)?.middlewareStack;
  if (typeof stack?.use !== 'function') {
    throw new InvalidParameterError('client', 'must be an AWS SDK v3 client (it has no middlewareStack)');
  }
  client.middlewareStack.use(recoveryPluggable((issuer) => issuer) as never);
  return client;
}
