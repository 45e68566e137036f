import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';

/** What a proxy saw of one request: where the client meant it to go, and what it was. */
export interface ProxiedRequest {
  /** The host the client addressed, e.g. sts.eu-west-1.amazonaws.com. */
  readonly hostname: string;
  /** The `Action` of an STS Query request, e.g. AssumeRole. */
  readonly action: string | undefined;
  readonly userAgent: string;
}

/** A request handler standing for a proxy a user configured on a client: it records, then forwards. */
export interface ProxyHandler extends RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions> {
  readonly seen: ProxiedRequest[];
  /** The actions of the requests it forwarded. */
  actions(): Array<string | undefined>;
  destroy(): void;
}

/**
 * A handler that sends every request to `target` (sts-local) whatever host the client addressed, as
 * a proxy would, and records where it was addressed. `metadata` labels it (e.g. HTTP/2).
 */
export function proxyHandler(target: string, metadata?: { handlerProtocol: string }): ProxyHandler {
  const url = new URL(target);
  const inner = new NodeHttpHandler();
  const seen: ProxiedRequest[] = [];
  return {
    seen,
    ...(metadata === undefined ? {} : { metadata }),
    actions: () => seen.map((r) => r.action),
    handle(request: HttpRequest, options?: HttpHandlerOptions) {
      const body = typeof request.body === 'string' ? request.body : '';
      seen.push({
        hostname: request.hostname,
        action: /(?:^|&)Action=(\w+)/.exec(body)?.[1],
        userAgent: `${request.headers['user-agent'] ?? ''} ${request.headers['x-amz-user-agent'] ?? ''}`,
      });
      const forwarded = {
        ...request,
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
      } as unknown as Parameters<NodeHttpHandler['handle']>[0];
      return inner.handle(forwarded, options);
    },
    destroy: () => inner.destroy(),
  };
}
