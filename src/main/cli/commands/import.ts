import type { JobUpdate } from '../../../shared/types.ts';
import type { Command, EventListener } from '../command.ts';
import { UsageError } from '../command.ts';
import { datasetJson, datasetText } from '../format.ts';
import { request } from '../request.ts';

/** `fashion-sorter import`: files or folders into a dataset, all or nothing, with its progress on a terminal. */
export const importCommand: Command = {
  summary: 'Import IDX files, Kaggle CSV files, or a folder with one subfolder per class',
  usage: 'import <files or folder> [--split train|test] [--name NAME] [--json]',
  writes: true,
  options: { split: { type: 'string' }, name: { type: 'string' } },
  async run({ backend, values, positionals, io, events }) {
    if (positionals.length === 0) throw new UsageError('Name the files or folder to import.');
    // The import runs as a job; its progress is the only one running in this process.
    const listener: EventListener = (channel, payload) => {
      const update = payload as JobUpdate;
      if (channel === 'job:update' && update.kind === 'import' && update.state === 'running' && update.progress.total > 0) {
        io.status?.(`Importing: ${update.progress.phase}, ${update.progress.done} of ${update.progress.total} sources read`);
      }
    };
    events.add(listener);
    try {
      const result = await request(backend, 'dataset:import', { paths: positionals, split: values.split, name: values.name }, { split: '--split', name: '--name', paths: '<files or folder>' });
      io.status?.('');
      if (values.json) io.out(JSON.stringify(datasetJson(result)));
      else io.out(`Imported ${result.added} new images (${result.skippedDuplicates} already present).\n${datasetText(result)}`);
    } finally {
      events.delete(listener);
    }
  },
};
