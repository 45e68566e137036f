import { StsErrorResponse } from '../protocol/StsErrorResponse';

/** MalformedPolicyDocument (400): the session policy is not a policy. */
export class MalformedPolicy extends StsErrorResponse {
  constructor(message: string) {
    super('MalformedPolicyDocument', message);
  }
}
