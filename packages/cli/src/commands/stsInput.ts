import type { PolicyDescriptorType, Tag } from '@aws-sdk/client-sts';
import { MfaCodeRejectedError } from 'credchain';
import { isMfaRejection, requestMfaCode, sendSts } from '@credchain/core/provider-kit';

import type { Context } from '../context';
import { UsageError } from '../exitCodes';

/** The parsed options of one STS subcommand (camelCase, as commander names them). */
export type OperationOptions = Readonly<Record<string, unknown>>;

export function str(options: OperationOptions, key: string): string | undefined {
  const value = options[key];
  return typeof value === 'string' ? value : undefined;
}

/** An integer option, checked here so the message names the option and the rule. */
export function int(options: OperationOptions, key: string, flag: string): number | undefined {
  const text = str(options, key);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number of seconds`);
  return Number(text);
}

export function policyArns(options: OperationOptions): PolicyDescriptorType[] | undefined {
  const text = str(options, 'policyArns');
  return text === undefined
    ? undefined
    : text
        .split(',')
        .filter((arn) => arn !== '')
        .map((arn) => ({ arn: arn.trim() }));
}

export function tags(options: OperationOptions): Tag[] | undefined {
  const given = options.tag;
  if (!Array.isArray(given) || given.length === 0) return undefined;
  return given.map((pair: string) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError('--tag must be Key=Value');
    return { Key: pair.slice(0, at), Value: pair.slice(at + 1) };
  });
}

export function common(options: OperationOptions) {
  const policy = str(options, 'policy');
  const arns = policyArns(options);
  const duration = int(options, 'durationSeconds', '--duration-seconds');
  return {
    ...(duration === undefined ? {} : { DurationSeconds: duration }),
    ...(policy === undefined ? {} : { Policy: policy }),
    ...(arns === undefined ? {} : { PolicyArns: arns }),
  };
}

/** A secret given directly or read from a file (kept off the command line, where `ps` shows it). */
export async function secretInput(
  context: Context,
  options: OperationOptions,
  key: string,
  flag: string,
): Promise<string> {
  const direct = str(options, key);
  const file = str(options, `${key}File`);
  if ((direct === undefined) === (file === undefined)) throw new UsageError(`pass one of ${flag} or ${flag}-file`);
  if (direct !== undefined) return context.secrets.add(direct);
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(file as string, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return context.secrets.add(text.trim());
}

/** The TokenCode for a SerialNumber, through core's MFA coordination (checked to be 6 digits). */
export async function tokenCode(context: Context, serial: string | undefined, operation: string, roleArn?: string) {
  if (serial === undefined) return {};
  const code = await requestMfaCode(serial, context.mfaCodeProvider, {
    provider: `credchain ${operation}`,
    ...(roleArn === undefined ? {} : { roleArn }),
  });
  return { SerialNumber: serial, TokenCode: context.secrets.add(code) };
}

/** Sends a command; STS refusing the MFA code becomes MfaCodeRejectedError. */
export async function send<O>(operation: string, serial: string | undefined, call: () => Promise<O>): Promise<O> {
  try {
    return await sendSts(operation, call);
  } catch (error) {
    if (serial !== undefined && isMfaRejection(error)) throw new MfaCodeRejectedError(serial, { cause: error });
    throw error;
  }
}
