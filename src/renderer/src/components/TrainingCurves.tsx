import type { EpochMetrics } from '../../../shared/types.ts';
import { LineChart } from './LineChart.tsx';
import { percent as formatPercent } from '../../../shared/format.ts';

const percent = (x: number): string => formatPercent(x, 1);

/** Loss and accuracy per epoch, training and validation, live or from a past run. */
export function TrainingCurves({ epochs, testId }: { epochs: readonly EpochMetrics[]; testId?: string }) {
  const validation = epochs.filter((e) => e.valLoss !== null && e.valAccuracy !== null);
  return (
    <div className="charts" data-testid={testId ?? 'training-curves'} data-epochs={epochs.length}>
      <LineChart
        title="Loss"
        testId="loss-chart"
        format={(v) => v.toFixed(3)}
        bounds={[0, Infinity]}
        series={[
          { name: 'train', colour: '#2f5fd0', points: epochs.map((e) => [e.epoch, e.loss]) },
          { name: 'validation', colour: '#d0602f', dashed: true, points: validation.map((e) => [e.epoch, e.valLoss!]) },
        ]}
      />
      <LineChart
        title="Accuracy"
        testId="accuracy-chart"
        format={percent}
        bounds={[0, 1]}
        series={[
          { name: 'train', colour: '#2f5fd0', points: epochs.map((e) => [e.epoch, e.accuracy]) },
          { name: 'validation', colour: '#d0602f', dashed: true, points: validation.map((e) => [e.epoch, e.valAccuracy!]) },
        ]}
      />
    </div>
  );
}
