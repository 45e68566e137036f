// Preloaded (`node -r`) into a credchain child process by tests that must control its time: Date reads
// the time, in ms since the epoch, from the file named by CREDCHAIN_TEST_CLOCK_FILE, which the test
// rewrites to move time; timers stay real. Nothing in credchain itself reads that variable.
const { readFileSync } = require('node:fs');

const file = process.env.CREDCHAIN_TEST_CLOCK_FILE;
if (!file) throw new Error('fileClock.js needs CREDCHAIN_TEST_CLOCK_FILE');
const RealDate = Date;
const now = () => Number(readFileSync(file, 'utf8'));

function FileDate(...args) {
  if (new.target === undefined) return new RealDate(now()).toString();
  return args.length === 0 ? new RealDate(now()) : new RealDate(...args);
}
FileDate.prototype = RealDate.prototype;
FileDate.now = now;
FileDate.parse = RealDate.parse;
FileDate.UTC = RealDate.UTC;
globalThis.Date = FileDate;
