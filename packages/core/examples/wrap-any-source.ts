// Wrap any async credential source in the refresh engine. Run from the repository root:
//   npx ts-node --transpile-only packages/core/examples/wrap-any-source.ts
import { createRefreshingProvider } from '@credchain/core';

async function fromMyBroker() {
  // Your source: an HTTP broker, a vault, a file. Here: new 1-hour credentials each call.
  return {
    accessKeyId: 'ASIAEXAMPLEBROKER',
    secretAccessKey: 'example-secret',
    sessionToken: 'example-token',
    expiration: new Date(Date.now() + 3600_000),
  };
}

const credentials = createRefreshingProvider(fromMyBroker, {
  name: 'my-broker',
  onEvent: (event) => console.log(`event: ${event.type}`),
});

// Hand `credentials` to any SDK client: new S3Client({ region: 'eu-west-1', credentials }).
async function main() {
  const first = await credentials();
  const again = await credentials(); // cached: no second fetch
  console.log(`same credentials: ${first === again}, expires ${first.expiration.toISOString()}`);
  console.log(credentials); // prints no secret
}

void main();
