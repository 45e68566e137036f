/** One entry of the request log. Never holds a secret. */
export interface StsCall {
  readonly requestId: string;
  /** Server clock time the request arrived (epoch ms). */
  readonly time: number;
  /** The Action, when the request named one. */
  readonly operation: string | undefined;
  /**
   * Which listener answered: the Regional endpoint, the global (sts.amazonaws.com) one, the instance metadata
   * service, the container credentials endpoint, or the IAM Identity Center (SSO portal and OIDC) endpoint.
   */
  readonly endpoint: 'regional' | 'global' | 'imds' | 'container' | 'sso';
  /** The region the request was scoped to (credential scope; us-east-1 on the global endpoint). */
  readonly region: string | undefined;
  /** The verified caller's ARN (signed operations that got past SigV4). */
  readonly callerArn: string | undefined;
  /** The access key ID that signed the request (key IDs are not secret). */
  readonly accessKeyId: string | undefined;
  /** The request parameters without Action/Version/X-Amz-*; TokenCode, SAMLAssertion and WebIdentityToken redacted. */
  readonly params: Readonly<Record<string, string>>;
  /** HTTP status answered (0 when the connection was dropped). */
  readonly status: number;
  readonly outcome: 'success' | 'error' | 'dropped';
  /** The STS error code, when the outcome is an error. */
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** The injected faults that fired for this request. */
  readonly faults: readonly string[];
}

/** What the log shows instead of a secret parameter's value. */
export const REDACTED = '[redacted]';
