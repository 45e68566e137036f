import { regionOf, stsClientGetter } from '../src/provider-kit';

// The variable the AWS SDKs read, spelled out: the test pins the name, not core's constant.
const ENV_REGION = 'AWS_REGION';

describe('regionOf: the region a provider’s STSClient will use', () => {
  const saved = process.env[ENV_REGION];
  afterEach(() => {
    if (saved === undefined) delete process.env[ENV_REGION];
    else process.env[ENV_REGION] = saved;
  });

  test('a region given as a string wins over AWS_REGION', () => {
    process.env[ENV_REGION] = 'eu-west-1';
    expect(regionOf({ clientConfig: { region: 'ap-southeast-2' } })).toBe('ap-southeast-2');
  });

  test('a region given as a function wins over AWS_REGION: it is returned, for the SDK to call', async () => {
    process.env[ENV_REGION] = 'eu-west-1';
    const region = jest.fn(async () => 'ap-southeast-2');
    expect(regionOf({ clientConfig: { region } })).toBe(region);
    expect(region).not.toHaveBeenCalled(); // no I/O when the region is looked at
    // The client built from the same options resolves the function, not AWS_REGION.
    const client = stsClientGetter({ clientConfig: { region } })();
    try {
      await expect(client.config.region()).resolves.toBe('ap-southeast-2');
    } finally {
      client.destroy();
    }
  });

  test('without a configured region: AWS_REGION, else undefined', () => {
    process.env[ENV_REGION] = 'eu-west-1';
    expect(regionOf({})).toBe('eu-west-1');
    expect(regionOf({ clientConfig: {} })).toBe('eu-west-1');
    delete process.env[ENV_REGION];
    expect(regionOf({ clientConfig: {} })).toBeUndefined();
    process.env[ENV_REGION] = '';
    expect(regionOf({})).toBeUndefined();
  });
});
