import type { ExportResult } from '../../../shared/types.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { request, runIdArgument } from '../request.ts';

/** An export command: through the same channel as the menu and the web UI, writing to `--out`. */
function exportCommand(options: {
  channel: 'run:export-predictions' | 'run:export-model';
  summary: string;
  usage: string;
  outHint: string;
  json(result: ExportResult): object;
  text(result: ExportResult): string;
}): Command {
  return {
    summary: options.summary,
    usage: options.usage,
    options: { out: { type: 'string' } },
    async run({ backend, values, positionals, io }) {
      const runId = runIdArgument(positionals);
      if (!values.out) throw new UsageError(`Name the ${options.outHint} to write with --out.`);
      const result = await request(backend, options.channel, { runId, out: values.out }, { runId: '<runId>', out: '--out' });
      io.out(values.json ? JSON.stringify(options.json(result)) : options.text(result));
    },
  };
}

/** `fashion-sorter export-predictions`: a run's predictions as a CSV file. */
export const exportPredictionsCommand = exportCommand({
  channel: 'run:export-predictions',
  summary: "Write a run's predictions for every image to a CSV file",
  usage: 'export-predictions <runId> --out FILE.csv',
  outHint: 'file (FILE.csv)',
  json: (r) => ({ runId: r.runId, file: r.written[0], predictions: r.count }),
  text: (r) => `Wrote ${r.count} predictions of run ${r.runId} to ${r.written[0]}.`,
});

/** `fashion-sorter export-model`: a run's model in the TensorFlow.js layers format. */
export const exportModelCommand = exportCommand({
  channel: 'run:export-model',
  summary: "Write a run's model in the TensorFlow.js layers format (model.json, weights.bin)",
  usage: 'export-model <runId> --out DIR',
  outHint: 'folder (DIR)',
  json: (r) => ({ runId: r.runId, modelJson: r.written[0], weightsFile: r.written[1] }),
  text: (r) => `Wrote ${r.written[0]} and ${r.written[1]}; load it with tf.loadLayersModel('…/model.json').`,
});
