import { Readable } from 'node:stream';

/** A request the SDK handed to the transport, as the test inspects it. */
export interface SentRequest {
  readonly hostname: string;
  readonly headers: Record<string, string>;
  readonly form: URLSearchParams;
}

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * A `requestHandler` for a real STSClient that records each request and answers with `respond`'s
 * XML, so a test sees exactly what goes on the wire without a server.
 */
export function cannedSts(respond: (form: URLSearchParams) => { status: number; xml: string }): {
  readonly requestHandler: { handle(request: unknown): Promise<{ response: unknown }> };
  readonly sent: SentRequest[];
} {
  const sent: SentRequest[] = [];
  const requestHandler = {
    async handle(request: unknown) {
      const r = request as { hostname: string; headers: Record<string, string>; body?: unknown };
      const form = new URLSearchParams(typeof r.body === 'string' ? r.body : '');
      sent.push({ hostname: r.hostname, headers: { ...r.headers }, form });
      const { status, xml } = respond(form);
      return {
        response: {
          statusCode: status,
          headers: { 'content-type': 'text/xml' },
          body: Readable.from([Buffer.from(xml)]),
        },
      };
    },
  };
  return { requestHandler, sent };
}

/** A successful answer of `operation` (AssumeRoleWithSAML, AssumeRoleWithWebIdentity). */
export function credentialsXml(operation: string, expiration: Date, arn: string): string {
  return (
    `<${operation}Response xmlns="${XMLNS}"><${operation}Result>` +
    `<Credentials><AccessKeyId>ASIACANNEDEXAMPLE001</AccessKeyId>` +
    `<SecretAccessKey>cannedSecretAccessKeyValue0000000000000</SecretAccessKey>` +
    `<SessionToken>cannedSessionTokenValue</SessionToken>` +
    `<Expiration>${expiration.toISOString()}</Expiration></Credentials>` +
    `<AssumedRoleUser><AssumedRoleId>AROACANNED:session</AssumedRoleId><Arn>${arn}</Arn></AssumedRoleUser>` +
    `</${operation}Result><ResponseMetadata><RequestId>canned-1</RequestId></ResponseMetadata></${operation}Response>`
  );
}

/** STS's error answer. */
export function errorXml(code: string, message: string): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code>` +
    `<Message>${message}</Message></Error><RequestId>canned-err</RequestId></ErrorResponse>`
  );
}
