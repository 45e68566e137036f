import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';

import { ProfileConfigError } from './errors';

/** One section of a shared file, its keys in lower case (as the AWS CLI reads them). */
export type Section = Readonly<Record<string, string | undefined>>;

/**
 * Both shared files, kept apart: where static keys sit changes their precedence. The config file's
 * map holds profiles by name and, as `@smithy/shared-ini-file-loader` names them, `sso-session.NAME`
 * and `services.NAME` sections.
 */
export interface ProfileFiles {
  readonly config: Readonly<Record<string, Section>>;
  readonly credentials: Readonly<Record<string, Section>>;
  /**
   * Sections that spell one key twice in different cases (`aws_access_key_id` and
   * `AWS_ACCESS_KEY_ID`), by file and section: the AWS CLI refuses such a file, so reading one is an
   * error (see `sectionOf`), while other sections of the file stay usable.
   */
  readonly caseClashes?: ReadonlyMap<string, readonly [string, string]>;
  /** Keys written other than in lower case, by file and section (`config:dev` → `sso_session` → `SSO_SESSION`). */
  readonly spellings?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** Where the shared files are. */
export interface ProfileFilesInit {
  readonly filepath?: string;
  readonly configFilepath?: string;
}

type RawFile = Readonly<Record<string, Readonly<Record<string, string | undefined>>>>;

/**
 * Key names in lower case: botocore reads the files with Python's RawConfigParser, whose
 * `optionxform` lower-cases every option name (botocore 2.9.19 `configloader.raw_config_parse`), so
 * `AWS_ACCESS_KEY_ID = …` is `aws_access_key_id` to the AWS CLI. Section names and values keep
 * their case. Two spellings of one key in a section are a clash (RawConfigParser's strict mode
 * refuses the file: DuplicateOptionError).
 */
function lowerKeys(
  file: RawFile,
  fileName: string,
  clashes: Map<string, readonly [string, string]>,
  spellings: Map<string, ReadonlyMap<string, string>>,
) {
  const out: Record<string, Section> = {};
  for (const [name, section] of Object.entries(file)) {
    const lowered: Record<string, string | undefined> = {};
    const spelled = new Map<string, string>();
    for (const [key, value] of Object.entries(section)) {
      const lower = key.toLowerCase();
      const before = spelled.get(lower);
      if (before !== undefined && before !== key) clashes.set(`${fileName}:${name}`, [before, key]);
      spelled.set(lower, key);
      lowered[lower] = value;
    }
    const otherwise = new Map([...spelled].filter(([lower, key]) => lower !== key));
    if (otherwise.size > 0) spellings.set(`${fileName}:${name}`, otherwise);
    out[name] = lowered;
  }
  return out;
}

/** Reads both files (no cache: a file fixed between two calls is read again), keys in lower case. */
export async function loadProfileFiles(init: ProfileFilesInit = {}): Promise<ProfileFiles> {
  const loaded = await loadSharedConfigFiles({
    ...(init.filepath === undefined ? {} : { filepath: init.filepath }),
    ...(init.configFilepath === undefined ? {} : { configFilepath: init.configFilepath }),
    ignoreCache: true,
  });
  const caseClashes = new Map<string, readonly [string, string]>();
  const spellings = new Map<string, ReadonlyMap<string, string>>();
  return {
    config: lowerKeys(loaded.configFile, 'config', caseClashes, spellings),
    credentials: lowerKeys(loaded.credentialsFile, 'credentials', caseClashes, spellings),
    ...(caseClashes.size === 0 ? {} : { caseClashes }),
    ...(spellings.size === 0 ? {} : { spellings }),
  };
}

/** Refuses a section that spells a key twice (see `ProfileFiles.caseClashes`). */
export function checkKeyCase(files: ProfileFiles, file: 'config' | 'credentials', name: string, profile: string) {
  const clash = files.caseClashes?.get(`${file}:${name}`);
  if (clash === undefined) return;
  const [first, second] = clash;
  throw new ProfileConfigError(
    profile,
    second,
    `The section "${name}" of the ${file} file sets ${first} and ${second}: key names are case-insensitive ` +
      '(the AWS CLI refuses the file); keep one',
  );
}

/**
 * A profile as botocore's `Session.full_config` holds it: the config file's section updated with
 * the credentials file's, key by key (the credentials file wins); undefined when in neither file.
 */
export function profileSection(files: ProfileFiles, name: string): Section | undefined {
  const config = Object.hasOwn(files.config, name) ? files.config[name] : undefined;
  const credentials = Object.hasOwn(files.credentials, name) ? files.credentials[name] : undefined;
  if (config === undefined && credentials === undefined) return undefined;
  if (config !== undefined) checkKeyCase(files, 'config', name, name);
  if (credentials !== undefined) checkKeyCase(files, 'credentials', name, name);
  return { ...config, ...credentials };
}

/**
 * A setting the SDK reads with `loadConfig` (region aside: endpoint_url, services,
 * ignore_configured_endpoint_urls): its profile lookup prefers the config file's value
 * (`fromSharedConfigFiles`, preferredFile "config").
 */
export function configSetting(files: ProfileFiles, name: string, key: string): string | undefined {
  const fromConfig = Object.hasOwn(files.config, name) ? files.config[name]?.[key] : undefined;
  if (fromConfig !== undefined) return fromConfig;
  return Object.hasOwn(files.credentials, name) ? files.credentials[name]?.[key] : undefined;
}
