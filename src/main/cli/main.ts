/** Entry point of `fashion-sorter` and `npm run cli`. */
import { runCli } from './cli.ts';

const terminal = process.stderr.isTTY;
process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  status: terminal ? (text) => process.stderr.write(`\r\x1b[2K${text}`) : undefined,
  // Ctrl-C, and a polite request to stop (SIGTERM, as service managers and `kill` send): both cancel the
  // running job after its current batch, so that it is recorded as cancelled.
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
});
// Leave nothing (a finished training process's handles) keeping the CLI alive.
process.exit();
