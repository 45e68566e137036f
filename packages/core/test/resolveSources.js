// Lets a child process import @credchain/* from TypeScript sources, as jest does, with no build.
const Module = require('node:module');
const { join } = require('node:path');

const packages = join(__dirname, '..', '..');
const original = Module._resolveFilename;
Module._resolveFilename = function resolve(request, ...rest) {
  const match = /^@credchain\/([a-z-]+)$/.exec(request);
  if (match) return original.call(this, join(packages, match[1], 'src', 'index.ts'), ...rest);
  return original.call(this, request, ...rest);
};
