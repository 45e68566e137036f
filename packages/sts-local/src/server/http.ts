import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { errorXml } from '../protocol/xml';

/** Past this many bytes the connection is cut instead of drained: nobody sends 64 MiB to STS. */
const HARD_BODY_LIMIT = 64 * 1024 * 1024;

/** Resolves with the port once `server` listens. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting, then closes every open connection (kept-alive ones included). */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** What {@link readBody} read. */
export interface ReadBody {
  readonly body: Buffer;
  /** The body passed `limit`; only the first `limit` bytes were kept. */
  readonly tooLarge: boolean;
}

/**
 * Reads a body up to `limit` bytes. Past it, keeps draining without storing, so the client can
 * read the 413 that follows instead of seeing its upload cut; past 64 MiB it gives up on the client.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<ReadBody> {
  const declared = Number(req.headers['content-length']);
  if (declared > HARD_BODY_LIMIT) return Promise.resolve({ body: Buffer.alloc(0), tooLarge: true });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > HARD_BODY_LIMIT) {
        req.destroy();
        reject(new Error('body beyond hard limit'));
        return;
      }
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
  });
}

/** `%` not followed by two hex digits: what STS calls a malformed query string. */
export function hasBadPercentEncoding(text: string): boolean {
  return /%(?![0-9A-Fa-f]{2})/.test(text);
}

/**
 * Answers a request Node's HTTP parser refused (bad request line, bad headers) with an STS-shaped
 * 400 instead of Node's bare one, then closes: the stream cannot be trusted past a parse error.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const xml = errorXml('Sender', 'MalformedRequest', 'The HTTP request could not be parsed.', randomUUID());
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: text/xml\r\n` +
      `Content-Length: ${Buffer.byteLength(xml)}\r\nConnection: close\r\n\r\n${xml}`,
  );
}
