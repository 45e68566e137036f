// Preloaded (`node -r`) into a credchain child process by a test: loading '@credchain/sts-local' fails
// as it does where the CLI's optional peer is not installed, without touching node_modules.
const Module = require('node:module');

const load = Module._load;
Module._load = function withoutStsLocal(request, ...rest) {
  if (request === '@credchain/sts-local') {
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return load.call(this, request, ...rest);
};
