// `npm start`: the demo daemon in real time. Ends by itself; exit code 1 if any call failed or waited.
import { formatSummary, runDaemon } from './index';

const seconds = Number(process.argv[2] ?? 30);
if (!(seconds > 0)) {
  console.error('usage: npm start [-- SECONDS]  (how long the signed-call loop runs; default 30)');
  process.exit(2);
}

runDaemon({ durationMs: seconds * 1000, log: (line) => console.log(line) }).then(
  (summary) => {
    for (const line of formatSummary(summary)) console.log(line);
    process.exitCode = summary.ok ? 0 : 1;
  },
  (error: unknown) => {
    console.error('demo failed:', error);
    process.exitCode = 1;
  },
);
