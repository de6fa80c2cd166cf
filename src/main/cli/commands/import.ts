import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { datasetJson, datasetText } from '../format.ts';
import { request } from '../request.ts';

/** `fashion-sorter import`: files or folders into a dataset, all or nothing. */
export const importCommand: Command = {
  summary: 'Import IDX files, Kaggle CSV files, or a folder with one subfolder per class',
  usage: 'import <files or folder> [--split train|test] [--name NAME] [--json]',
  options: { split: { type: 'string' }, name: { type: 'string' } },
  async run({ backend, values, positionals, io }) {
    if (positionals.length === 0) throw new UsageError('Name the files or folder to import.');
    const result = await request(backend, 'dataset:import', { paths: positionals, split: values.split, name: values.name }, { split: '--split', name: '--name', paths: '<files or folder>' });
    if (values.json) io.out(JSON.stringify(datasetJson(result)));
    else io.out(`Imported ${result.added} new images (${result.skippedDuplicates} already present).\n${datasetText(result)}`);
  },
};
