import { readFile } from 'node:fs/promises';

import { CredchainError } from '@credchain/core';

/**
 * The web identity token file could not be read, or held no token. Not marked final: a projected
 * service-account token that is missing or empty is usually being written, and a retry finds it.
 */
export class WebIdentityTokenFileError extends CredchainError {
  override name = 'WebIdentityTokenFileError';

  constructor(
    message: string,
    /** The file's path (a path is not a secret; its content is). */
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Reads the token from `path`, every time: Kubernetes rewrites the file as the token rotates. */
export async function readTokenFile(path: string): Promise<string> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = typeof code === 'string' ? code : 'read failed';
    throw new WebIdentityTokenFileError(`cannot read the web identity token file ${path} (${why})`, path, {
      cause: error,
    });
  }
  // Editors and `echo` add a final newline; a token never contains whitespace.
  const token = content.trim();
  if (token === '') throw new WebIdentityTokenFileError(`the web identity token file ${path} is empty`, path);
  return token;
}
