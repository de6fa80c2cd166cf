import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { request, runIdArgument } from '../request.ts';

/** `fashion-sorter export-predictions`: through `run:export-predictions`, like the menu and the web UI. */
export const exportPredictionsCommand: Command = {
  summary: "Write a run's predictions for every image to a CSV file",
  usage: 'export-predictions <runId> --out FILE.csv',
  options: { out: { type: 'string' } },
  async run({ backend, values, positionals, io }) {
    const runId = runIdArgument(positionals);
    if (!values.out) throw new UsageError('Name the file to write with --out FILE.csv.');
    const result = await request(backend, 'run:export-predictions', { runId, out: values.out }, { runId: '<runId>', out: '--out' });
    if (values.json) io.out(JSON.stringify({ runId: result.runId, file: result.written[0], predictions: result.count }));
    else io.out(`Wrote ${result.count} predictions of run ${result.runId} to ${result.written[0]}.`);
  },
};

/** `fashion-sorter export-model`: through `run:export-model`, like the menu and the web UI. */
export const exportModelCommand: Command = {
  summary: "Write a run's model in the TensorFlow.js layers format (model.json, weights.bin)",
  usage: 'export-model <runId> --out DIR',
  options: { out: { type: 'string' } },
  async run({ backend, values, positionals, io }) {
    const runId = runIdArgument(positionals);
    if (!values.out) throw new UsageError('Name the folder to write with --out DIR.');
    const result = await request(backend, 'run:export-model', { runId, out: values.out }, { runId: '<runId>', out: '--out' });
    const [modelJson, weightsFile] = result.written;
    if (values.json) io.out(JSON.stringify({ runId: result.runId, modelJson, weightsFile }));
    else io.out(`Wrote ${modelJson} and ${weightsFile}; load it with tf.loadLayersModel('…/model.json').`);
  },
};
