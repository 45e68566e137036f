import type { STSClient, STSClientConfig } from '@aws-sdk/client-sts';
import { stsClientGetter } from '@credchain/core';
import type { StsProviderOptions } from '@credchain/core';

// AssumeRoleWithWebIdentity is an unsigned call. The SDK picks "no auth" for it by default, but not for
// every endpoint (region `aws-global` resolves to a rule set that demands SigV4, and the client
// would then go looking for credentials it does not need). Asking for no auth outright keeps the
// call unsigned everywhere; a caller's own `httpAuthSchemeProvider` still wins.
const NO_AUTH: NonNullable<STSClientConfig['httpAuthSchemeProvider']> = () => [{ schemeId: 'smithy.api#noAuth' }];

/** `stsClientGetter` for an operation STS takes unsigned: the client never resolves credentials. */
export function unsignedStsClientGetter(options: StsProviderOptions): () => STSClient {
  const config = options.clientConfig;
  if (options.client !== undefined || (config !== undefined && (typeof config !== 'object' || config === null))) {
    return stsClientGetter(options);
  }
  return stsClientGetter({ ...options, clientConfig: { httpAuthSchemeProvider: NO_AUTH, ...config } });
}
