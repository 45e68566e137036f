// `npm start`: the demo daemon in real time. Ends by itself; exit code 1 if any call failed or waited,
// 2 if SECONDS is refused.
import { DEFAULT_SECONDS, MIN_SECONDS, demoSeconds, formatSummary, runDaemon } from './index';

const parsed = demoSeconds(process.argv[2]);
if ('error' in parsed) {
  console.error(`npm start: ${parsed.error}`);
  console.error(
    `usage: npm start [-- SECONDS]  (how long the signed-call loop runs; default ${DEFAULT_SECONDS}, ` +
      `at least ${MIN_SECONDS})`,
  );
  process.exitCode = 2;
} else {
  runDaemon({ durationMs: parsed.seconds * 1000, log: (line) => console.log(line) }).then(
    (summary) => {
      for (const line of formatSummary(summary)) console.log(line);
      process.exitCode = summary.ok ? 0 : 1;
    },
    (error: unknown) => {
      console.error('demo failed:', error);
      process.exitCode = 1;
    },
  );
}
