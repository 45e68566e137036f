import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { DEFAULT_SECONDS, MIN_SECONDS, demoSeconds } from '../src';

test('npm start [-- SECONDS]: the default, the minimum and anything longer are accepted', () => {
  expect(demoSeconds(undefined)).toEqual({ seconds: DEFAULT_SECONDS });
  expect(demoSeconds(String(MIN_SECONDS))).toEqual({ seconds: MIN_SECONDS });
  expect(demoSeconds('90')).toEqual({ seconds: 90 });
  expect(demoSeconds('20.5')).toEqual({ seconds: 20.5 });
});

test.each(['5', '14.9', '0', '-30'])('%s seconds is refused, naming the minimum', (arg) => {
  expect(demoSeconds(arg)).toEqual({
    error:
      `SECONDS must be at least ${MIN_SECONDS}, not ${arg}: ` +
      'the demo shows two background refreshes of a role session that lasts 6 s',
  });
});

test.each(['soon', '', ' ', '1e999'])('%j is no number of seconds', (arg) => {
  expect(demoSeconds(arg)).toEqual({ error: `SECONDS must be a number of seconds, not ${JSON.stringify(arg)}` });
});

test('`npm start -- 5` as the README writes it: exit 2, the minimum named, no demo started', () => {
  const run = spawnSync('npm', ['start', '--', '5'], {
    cwd: join(__dirname, '..', '..', '..'),
    encoding: 'utf8',
    timeout: 170_000,
  });
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/^npm start: SECONDS must be at least 15, not 5: /m);
  expect(run.stderr).toMatch(/^usage: npm start \[-- SECONDS\] .*default 30, at least 15\)$/m);
  expect(run.stdout).not.toMatch(/sts-local on/);
});
