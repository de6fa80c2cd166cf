import { TrainForm } from '../components/train/TrainForm.tsx';
import { TrainStatus } from '../components/train/TrainStatus.tsx';
import { currentJob } from '../store/training-slice.ts';
import { useStore } from '../store/store.ts';

/** Pick a model and its options, start training, and watch it: phase, progress with the time left, curves, cancel. */
export function TrainView() {
  const running = useStore((s) => currentJob(s.jobs, s.followedJobId)?.update.state === 'running');
  return (
    <div className="view train-view" data-testid="train-view">
      <div className="toolbar">
        <h1>Train</h1>
      </div>
      <TrainForm running={running} />
      <TrainStatus />
    </div>
  );
}
