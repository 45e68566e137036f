import { homedir } from 'node:os';
import { join } from 'node:path';

import { withCacheLock } from '@credchain/profile';
import type { AwsCredentialIdentity } from '@smithy/types';

import type { Context } from '../context';
import { processJson } from '../credentialEnv';
import { cacheDir, cacheKey, readCached, writeCached } from '../processCache';

export interface CredentialProcessOptions {
  readonly cache?: boolean;
  readonly cacheDir?: string;
}

/**
 * The profile's credentials, from the cache while they have life left, else from STS (then
 * cached). A broken cache is never an error: it only costs an STS call.
 */
export async function cachedCredentials(
  context: Context,
  options: CredentialProcessOptions,
): Promise<AwsCredentialIdentity> {
  const { env } = context.io;
  const now = () => context.clock.now();
  if (options.cache === false) return context.credentials()();
  const home = env.HOME || homedir();
  const dir = cacheDir(env, options.cacheDir);
  const key = await cacheKey({
    profile: context.profile ?? 'default',
    region: context.clientConfig.region as string | undefined,
    endpoint: context.clientConfig.endpoint as string | undefined,
    configFile: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
  });
  const cached = await readCached(dir, key, now());
  if (cached !== undefined) return context.secrets.watch(cached);
  // Processes the AWS CLI or SDK start at once share the directory: one fetches, the others wait
  // for its lock and then find its entry.
  return withCacheLock(dir, key, async () => {
    const again = await readCached(dir, key, now());
    if (again !== undefined) return context.secrets.watch(again);
    const fresh = await context.credentials()();
    try {
      await writeCached(dir, key, fresh, now());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      context.io.stderr.write(`credchain: warning: could not cache credentials in ${dir} (${code})\n`);
    }
    return fresh;
  });
}

/** `credential-process`: the AWS `credential_process` JSON (Version 1) on stdout. */
export async function credentialProcess(context: Context, options: CredentialProcessOptions): Promise<void> {
  const credentials = await cachedCredentials(context, options);
  context.io.stdout.write(`${JSON.stringify(processJson(credentials))}\n`);
}
