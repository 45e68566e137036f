import { StsError } from '../protocol/StsError';

/** MalformedPolicyDocument (400): the session policy is not a policy. */
export class MalformedPolicy extends StsError {
  constructor(message: string) {
    super('MalformedPolicyDocument', message);
  }
}
