import type { Command } from '../command.ts';
import { runsTable } from '../format.ts';
import { request } from '../request.ts';

/** `fashion-sorter runs`: every run, newest first. */
export const runsCommand: Command = {
  summary: 'List training runs, newest first',
  usage: 'runs [--json]',
  options: {},
  async run({ backend, values, io }) {
    const runs = await request(backend, 'run:list');
    if (values.json) io.out(JSON.stringify(runs));
    else io.out(runs.length ? runsTable(runs) : 'No runs yet. Train one with: fashion-sorter train --model mlp');
  },
};
