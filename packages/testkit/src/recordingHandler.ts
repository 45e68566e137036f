import type { HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';

/** A request handler that sends nothing: it records each request and fails it. */
export interface RecordingHandler extends RequestHandler<HttpRequest, HttpResponse> {
  readonly requests: HttpRequest[];
}

export class NotSentError extends Error {
  override name = 'NotSentError';
}

export function recordingHandler(): RecordingHandler {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
      requests.push(request);
      throw new NotSentError(`request to ${request.hostname} recorded, not sent`);
    },
  };
}

/**
 * The innermost `cause` of an error: the SDK stamps `$metadata` on whatever the handler threw, and
 * core's `sendSts` wraps it, so a recorded request surfaces as the cause of the provider's error.
 */
export function causeOf(error: unknown): unknown {
  let e = error;
  while (e instanceof Error && e.cause !== undefined) e = e.cause;
  return e;
}
