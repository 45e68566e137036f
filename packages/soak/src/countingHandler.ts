import { Readable } from 'node:stream';

import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * The SDK's Node HTTP handler, counting requests in flight. A request counts until its whole
 * response body has arrived (the body is read here and handed on from memory), so "nothing in
 * flight" means every answer so far has landed and only promise reactions and timers remain.
 */
export class CountingHandler extends NodeHttpHandler {
  inFlight = 0;
  completed = 0;

  override async handle(...args: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    this.inFlight++;
    try {
      const out = await super.handle(...args);
      const body = out.response.body as Readable | undefined;
      if (body instanceof Readable) {
        const chunks: Buffer[] = [];
        for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
        out.response.body = Readable.from([Buffer.concat(chunks)]);
      }
      return out;
    } finally {
      this.inFlight--;
      this.completed++;
    }
  }
}
