import { CLASS_NAMES } from '../../../shared/classes.ts';
import type { Command } from '../command.ts';
import { evaluationText } from '../format.ts';
import { request, runIdArgument } from '../request.ts';

/** `fashion-sorter evaluate`: a run's accuracy, per-class metrics and confusion matrix. */
export const evaluateCommand: Command = {
  summary: 'Test accuracy, per-class metrics and the confusion matrix of a run',
  usage: 'evaluate <runId> [--split test|train] [--json]',
  options: { split: { type: 'string' } },
  async run({ backend, values, positionals, io }) {
    const split = (values.split as string | undefined) ?? 'test';
    const evaluation = await request(backend, 'run:evaluation', { runId: runIdArgument(positionals), split }, { runId: '<runId>', split: '--split' });
    if (!values.json) {
      io.out(evaluationText(evaluation));
      return;
    }
    io.out(
      JSON.stringify({
        runId: evaluation.runId,
        split,
        images: evaluation.images,
        testAccuracy: split === 'test' ? evaluation.accuracy : undefined,
        accuracy: evaluation.accuracy,
        loss: evaluation.loss,
        perClass: evaluation.perClass.map((m, label) => ({ label, className: CLASS_NAMES[label], ...m })),
        confusion: evaluation.confusion,
        topConfusions: evaluation.topConfusions,
      }),
    );
  },
};
