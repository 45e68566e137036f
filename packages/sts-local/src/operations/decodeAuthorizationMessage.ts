import { StsErrorResponse } from '../protocol/StsErrorResponse';
import { checkString, required } from '../validate/rules';
import type { Operation } from './context';

/** DecodeAuthorizationMessage: messages made by this server (or `encodeAuthorizationMessage`). */
export const decodeAuthorizationMessage: Operation = {
  signed: true,
  handle(ctx) {
    const encoded = checkString('EncodedMessage', required(ctx.params, 'EncodedMessage'), { min: 1, max: 10240 });
    const decoded = ctx.authorizationMessages.decode(encoded);
    if (decoded === undefined) {
      throw new StsErrorResponse(
        'InvalidAuthorizationMessageException',
        'The encoded message is not valid or was not created by this service.',
      );
    }
    return { DecodedMessage: decoded };
  },
};
