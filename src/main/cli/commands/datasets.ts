import type { Command } from '../command.ts';
import { datasetJson, table } from '../format.ts';
import { request } from '../request.ts';

/** `fashion-sorter datasets`: the workspace's datasets with their counts. */
export const datasetsCommand: Command = {
  summary: 'List the datasets in the workspace with their counts',
  usage: 'datasets [--json]',
  options: {},
  async run({ backend, values, io }) {
    const summaries = await request(backend, 'dataset:list');
    if (values.json) {
      io.out(JSON.stringify(summaries.map(datasetJson)));
      return;
    }
    if (summaries.length === 0) {
      io.out('No datasets yet. Import one with: fashion-sorter import <files or folder>');
      return;
    }
    io.out(
      table(
        ['id', 'name', 'images', 'train', 'test', 'user'],
        summaries.map((s) => [s.datasetId, s.name, s.images, s.bySplit.train, s.bySplit.test, s.bySplit.user]),
      ),
    );
  },
};
