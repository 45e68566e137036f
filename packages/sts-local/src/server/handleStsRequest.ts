import { timingSafeEqual } from 'node:crypto';
import type { MfaVerifier } from '../mfa/MfaVerifier';
import type { Caller } from '../model/Caller';
import { type IdentityStore, userArn, userId } from '../model/IdentityStore';
import type { Revocations } from '../model/Revocations';
import type { SessionStore } from '../model/SessionStore';
import type { AuthorizationMessageCodec } from '../operations/authorizationMessage';
import { checkRegionEnabled, type OperationContext } from '../operations/context';
import { ALLOWED_BY_ORIGIN, OPERATIONS } from '../operations';
import type { Params } from '../protocol/params';
import { StsErrorResponse, accessDenied } from '../protocol/StsErrorResponse';
import type { XmlTree } from '../protocol/xml';
import { type SignedRequest, verifySigV4 } from '../sigv4/verifySigV4';

/** The region STS maps the global endpoint (sts.amazonaws.com) to. */
export const GLOBAL_REGION = 'us-east-1';
export const API_VERSION = '2011-06-15';

/** Server state an STS request is judged against. */
export interface StsState {
  readonly identities: IdentityStore;
  readonly sessions: SessionStore;
  /** Sessions revoked after they were issued (`revokeSession`, `revokeRoleSessions`). */
  readonly revocations: Revocations;
  readonly mfa: MfaVerifier;
  readonly authorizationMessages: AuthorizationMessageCodec;
  readonly timeScale: number;
  /** Region of unsigned requests on the Regional endpoint. */
  readonly defaultRegion: string;
  readonly maxSkewMs: number;
}

/** What one request resolved to, filled in as the pipeline learns it (for the call log). */
export interface RequestTrace {
  region?: string;
  caller?: Caller;
  accessKeyId?: string;
}

const INVALID_TOKEN = 'The security token included in the request is invalid.';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Finds the secret of a key, checking the session token STS requires with temporary keys. */
function resolveSecret(state: StsState, accessKeyId: string, sessionToken: string | undefined): string {
  const longTerm = state.identities.longTermKey(accessKeyId);
  if (longTerm !== undefined) {
    if ((longTerm.key.status ?? 'Active') !== 'Active' || sessionToken !== undefined) {
      throw new StsErrorResponse('InvalidClientTokenId', INVALID_TOKEN);
    }
    return longTerm.key.secretAccessKey;
  }
  const session = state.sessions.get(accessKeyId);
  if (session === undefined || sessionToken === undefined || !sameSecret(session.sessionToken, sessionToken)) {
    throw new StsErrorResponse('InvalidClientTokenId', INVALID_TOKEN);
  }
  // A revoked session's token is one STS no longer accepts: answered as an unknown one.
  if (state.revocations.isRevoked(accessKeyId)) throw new StsErrorResponse('InvalidClientTokenId', INVALID_TOKEN);
  return session.secretAccessKey;
}

/** The caller behind a verified key. */
function callerFor(state: StsState, accessKeyId: string): Caller {
  const longTerm = state.identities.longTermKey(accessKeyId);
  if (longTerm?.user !== undefined) {
    const user = longTerm.user;
    const arn = userArn(user);
    return {
      origin: 'user',
      account: user.account,
      arn,
      userArn: arn,
      userId: userId(user),
      isRootUser: false,
      mfaAuthenticated: false,
      transitiveTags: [],
      accessKeyId,
    };
  }
  if (longTerm !== undefined) {
    const arn = `arn:aws:iam::${longTerm.account}:root`;
    return {
      origin: 'root',
      account: longTerm.account,
      arn,
      userId: longTerm.account,
      isRootUser: true,
      mfaAuthenticated: false,
      transitiveTags: [],
      accessKeyId,
    };
  }
  const session = state.sessions.get(accessKeyId);
  if (session === undefined) throw new StsErrorResponse('InvalidClientTokenId', INVALID_TOKEN);
  return session.caller;
}

/**
 * Runs one STS request after the HTTP layer parsed it: Action and Version, SigV4, expiry, who may
 * call what, then the operation. Returns the result element tree; throws StsErrorResponse.
 */
export async function handleStsRequest(
  state: StsState,
  request: SignedRequest & { readonly params: Params; readonly global: boolean; readonly now: number },
  trace: RequestTrace,
): Promise<{ action: string; result: XmlTree }> {
  const { params } = request;
  const action = params.get('Action');
  if (action === undefined || action === '') throw new StsErrorResponse('MissingAction', 'Missing Action');
  const version = params.get('Version');
  const operation = Object.hasOwn(OPERATIONS, action) ? OPERATIONS[action] : undefined;
  if (operation === undefined || version !== API_VERSION) {
    throw new StsErrorResponse(
      'InvalidAction',
      `Could not find operation ${action.slice(0, 64)} for version ${(version ?? 'NO_VERSION_SPECIFIED').slice(0, 32)}`,
    );
  }
  let caller: Caller | undefined;
  let region = request.global ? GLOBAL_REGION : state.defaultRegion;
  if (operation.signed) {
    const verified = verifySigV4(request, {
      resolveSecret: (id, token) => {
        trace.accessKeyId = id;
        return resolveSecret(state, id, token);
      },
      now: request.now,
      maxSkewMs: state.maxSkewMs,
    });
    if (request.global && verified.region !== GLOBAL_REGION) {
      throw new StsErrorResponse(
        'SignatureDoesNotMatch',
        `Credential should be scoped to a valid region, not '${verified.region}'. `,
      );
    }
    region = verified.region;
    trace.region = region;
    caller = callerFor(state, verified.accessKeyId);
    if (caller.expiration !== undefined && caller.expiration <= request.now) {
      throw new StsErrorResponse('ExpiredToken', 'The security token included in the request is expired');
    }
    trace.caller = caller;
    // IAM's "revoke active sessions": a Deny of every action on the role's sessions issued before a time.
    // GetCallerIdentity needs no permission, and no policy can deny it.
    if (
      action !== 'GetCallerIdentity' &&
      state.revocations.deniedByRole(caller, state.sessions.get(caller.accessKeyId))
    ) {
      const denied = `User: ${caller.arn} is not authorized to perform: sts:${action}`;
      throw accessDenied(`${denied} with an explicit deny in an identity-based policy`);
    }
    const allowed = ALLOWED_BY_ORIGIN[caller.origin];
    if (allowed !== undefined && !allowed.has(action)) {
      if (action === 'GetSessionToken' || action === 'GetFederationToken') {
        throw accessDenied(`Cannot call ${action} with session credentials`);
      }
      throw accessDenied(
        `User: ${caller.arn} is not authorized to perform: sts:${action} with ${caller.origin} credentials`,
      );
    }
  }
  trace.region = region;
  const ctx: OperationContext = {
    params,
    caller,
    region,
    global: request.global,
    now: request.now,
    timeScale: state.timeScale,
    identities: state.identities,
    sessions: state.sessions,
    mfa: state.mfa,
    authorizationMessages: state.authorizationMessages,
  };
  if (caller !== undefined) checkRegionEnabled(ctx, caller.account);
  return { action, result: await operation.handle(ctx) };
}
