// `@credchain/redis`: a credential store in Redis or Valkey, shared by every process that has the key.
export { createRedisStore } from './createRedisStore';
export type { RedisStore } from './createRedisStore';
export type { RedisStoreOptions } from './RedisStoreOptions';
export type { EncryptionKeyInput } from './encryptionKeys';
export type { RedisClientLike } from './redisConnection';
export { RedisStoreError } from './RedisStoreError';
