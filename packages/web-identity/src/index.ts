export {
  ENV_ROLE_ARN,
  ENV_ROLE_SESSION_NAME,
  ENV_TOKEN_FILE,
  WebIdentityTokenError,
  fromWebIdentity,
} from './fromWebIdentity';
export type { FromWebIdentityInit, WebIdentityParams, WebIdentityTokenSource } from './fromWebIdentity';
export { WebIdentityTokenFileError } from './readTokenFile';
