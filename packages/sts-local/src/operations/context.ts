import type { MfaVerifier } from '../mfa/MfaVerifier';
import type { Caller } from '../model/Caller';
import type { IdentityStore } from '../model/IdentityStore';
import type { IssuedCredentials, SessionStore } from '../model/SessionStore';
import type { Params } from '../protocol/params';
import { StsErrorResponse } from '../protocol/StsErrorResponse';
import type { XmlTree } from '../protocol/xml';
import type { AuthorizationMessageCodec } from './authorizationMessage';

/** Everything an operation handler sees of one request and of the server. */
export interface OperationContext {
  readonly params: Params;
  /** The verified caller; undefined for the unsigned operations (SAML, web identity). */
  readonly caller: Caller | undefined;
  /** The region of the request (credential scope, or us-east-1 on the global endpoint). */
  readonly region: string;
  /** The request reached the global endpoint (sts.amazonaws.com). */
  readonly global: boolean;
  readonly now: number;
  /** Issued lifetimes are multiplied by this (demos shorten sessions). */
  readonly timeScale: number;
  readonly identities: IdentityStore;
  readonly sessions: SessionStore;
  readonly mfa: MfaVerifier;
  readonly authorizationMessages: AuthorizationMessageCodec;
}

/** One STS operation. */
export interface Operation {
  /** Unsigned operations (AssumeRoleWithSAML, AssumeRoleWithWebIdentity) need no SigV4. */
  readonly signed: boolean;
  readonly handle: (ctx: OperationContext) => XmlTree | Promise<XmlTree>;
}

/** The caller of a signed operation (the server verified it before calling the handler). */
export function callerOf(ctx: OperationContext): Caller {
  if (ctx.caller === undefined)
    throw new StsErrorResponse('MissingAuthenticationToken', 'Request is missing Authentication Token');
  return ctx.caller;
}

/** RegionDisabled when STS is deactivated for `account` in the request's region. */
export function checkRegionEnabled(ctx: OperationContext, account: string): void {
  const disabled = ctx.identities.account(account)?.disabledRegions ?? [];
  if (!ctx.global && disabled.includes(ctx.region)) {
    throw new StsErrorResponse(
      'RegionDisabledException',
      `STS is not activated in this region for account:${account}. ` +
        'Your account administrator can activate STS in this region using the IAM Console.',
    );
  }
}

/** Lifetime in ms of a session of `seconds`, shortened by timeScale. */
export function lifetimeMs(ctx: OperationContext, seconds: number): number {
  return seconds * 1000 * ctx.timeScale;
}

/** `2019-11-09T13:34:41Z`: STS's timestamp form, whole seconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The `<Credentials>` element. */
export function credentialsXml(issued: IssuedCredentials): XmlTree {
  return {
    AccessKeyId: issued.accessKeyId,
    SecretAccessKey: issued.secretAccessKey,
    SessionToken: issued.sessionToken,
    Expiration: isoSeconds(issued.expiration),
  };
}
