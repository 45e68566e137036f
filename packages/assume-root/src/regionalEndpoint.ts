import type { AbsoluteLocation, BuildHandler, BuildHandlerOptions } from '@smithy/types';
import { InvalidParameterError, StsError } from '@credchain/core';
import { regionOf } from '@credchain/core/provider-kit';
import type { StsProviderOptions } from '@credchain/core';

const GLOBAL_HOST = 'sts.amazonaws.com';
export const REGIONAL_ONLY = 'AssumeRoot is served only by regional endpoints, e.g. sts.us-east-1.amazonaws.com';

function isGlobalHost(hostname: string): boolean {
  return hostname.toLowerCase().replace(/\.$/, '') === GLOBAL_HOST;
}

/** The hostname of a statically configured `clientConfig.endpoint`; undefined for a provider function. */
function staticEndpointHost(endpoint: unknown): string | undefined {
  if (typeof endpoint === 'string') {
    try {
      return new URL(endpoint).hostname;
    } catch {
      // Not a URL the SDK could use either; the SDK reports it when the client is built.
      return undefined;
    }
  }
  if (typeof endpoint === 'object' && endpoint !== null) {
    const e = endpoint as { hostname?: unknown; url?: unknown };
    if (typeof e.hostname === 'string') return e.hostname;
    if (e.url instanceof URL) return e.url.hostname;
  }
  return undefined;
}

/**
 * Refuses, at construction, every configuration known to send AssumeRoot to the global endpoint,
 * which STS does not serve it from: the `aws-global` region, `useGlobalEndpoint`, an endpoint
 * naming sts.amazonaws.com. No region at all is refused at the first fetch, when no calling client
 * brings one either (the kit's `requireRegion`): the SDK would have to guess one. A reused `client`
 * carries its own configuration: `refuseGlobalEndpoint` checks it when a fetch runs.
 */
export function checkRegionalEndpoint(init: StsProviderOptions): void {
  if (init.client !== undefined) return;
  const config = init.clientConfig ?? {};
  const host = staticEndpointHost(config.endpoint);
  if (host !== undefined && isGlobalHost(host)) {
    throw new InvalidParameterError(
      'clientConfig.endpoint',
      `must not be the global endpoint ${GLOBAL_HOST}: ${REGIONAL_ONLY}`,
    );
  }
  if (config.useGlobalEndpoint === true) {
    throw new InvalidParameterError('clientConfig.useGlobalEndpoint', `must not be true: ${REGIONAL_ONLY}`);
  }
  const region = regionOf(init);
  // A region provider (the SDK accepts one) is only known when the client resolves it, a calling
  // client's at the first fetch; the middleware below then sees the endpoint it selected.
  if (region === 'aws-global') {
    throw new InvalidParameterError(
      'clientConfig.region',
      `must not be aws-global (the global endpoint ${GLOBAL_HOST}): ${REGIONAL_ONLY}`,
    );
  }
}

/**
 * A build-step middleware that stops the request before it leaves the process when the endpoint
 * the SDK resolved is the global one: catches what construction cannot see (an endpoint provider
 * function, AWS_ENDPOINT_URL_STS, a reused client).
 */
export const refuseGlobalEndpoint =
  <I extends object, O extends object>(next: BuildHandler<I, O>): BuildHandler<I, O> =>
  async (args) => {
    const request = args.request as { hostname?: unknown };
    if (typeof request.hostname === 'string' && isGlobalHost(request.hostname)) {
      throw new InvalidParameterError(
        'clientConfig.endpoint',
        `resolved to the global endpoint ${GLOBAL_HOST}; the request was not sent: ${REGIONAL_ONLY}`,
      );
    }
    return next(args);
  };

export const refuseGlobalEndpointOptions: BuildHandlerOptions & AbsoluteLocation = {
  step: 'build',
  name: 'credchainRefuseGlobalEndpoint',
  priority: 'high',
};

/**
 * An endpoint that does not serve AssumeRoot answers that it does not know the operation — the
 * global endpoint does, and so does anything else that is not a Regional STS endpoint. Retrying
 * cannot help, so this becomes a final error that names the option to fix; STS's answer stays
 * as the cause.
 */
export function explainUnknownOperation(error: unknown): unknown {
  if (!(error instanceof StsError) || (error.code !== 'InvalidAction' && error.code !== 'UnknownOperation'))
    return error;
  const explained = new InvalidParameterError(
    'clientConfig.endpoint',
    `answered that it does not know AssumeRoot (${error.code}), as the global endpoint ${GLOBAL_HOST} does: ` +
      REGIONAL_ONLY,
  );
  explained.cause = error;
  return explained;
}
