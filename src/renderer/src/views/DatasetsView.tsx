import { useEffect, useRef } from 'react';
import { CLASS_NAMES } from '../../../shared/classes.ts';
import type { DatasetSummary, ImageRecord } from '../../../shared/types.ts';
import { PixelImage } from '../components/PixelImage.tsx';
import { useFileDrop } from '../lib/use-file-drop.ts';
import { ImportProgress } from '../components/ImportProgress.tsx';
import { useStoreFields } from '../store/store.ts';

function DatasetCard({ dataset, samples }: { dataset: DatasetSummary; samples: ImageRecord[] }) {
  return (
    <section className="card dataset" data-testid={`dataset-${dataset.datasetId}`}>
      <header>
        <h2>{dataset.name}</h2>
        <p className="counts">
          <span data-testid="dataset-total">{dataset.images.toLocaleString('en-US')}</span> images ·{' '}
          <span data-testid="dataset-train">{dataset.bySplit.train.toLocaleString('en-US')}</span> training ·{' '}
          <span data-testid="dataset-test">{dataset.bySplit.test.toLocaleString('en-US')}</span> test
          {dataset.bySplit.user > 0 && <> · {dataset.bySplit.user.toLocaleString('en-US')} labeled photos</>}
        </p>
      </header>
      <table className="sample-grid" data-testid="sample-grid">
        <tbody>
          {CLASS_NAMES.map((name, label) => (
            <tr key={name}>
              <th scope="row">
                {name}
                <span className="class-count">{dataset.labelCounts[label].toLocaleString('en-US')}</span>
              </th>
              <td>
                {samples
                  .filter((s) => s.label === label)
                  .map((s) => (
                    <PixelImage key={s.imageId} pixels={s.pixels} size={42} title={`${name} #${s.imageId} (${s.split})`} />
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Datasets in the workspace with counts and samples; import by button or by dropping files and folders. */
export function DatasetsView() {
  const { datasets, datasetsLoaded, samples, importing, info, importBundled, importPicked } = useStoreFields('datasets', 'datasetsLoaded', 'samples', 'importing', 'info', 'importBundled', 'importPicked');
  const { dragging, dropZone, onPicked } = useFileDrop(importPicked);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const open = (): void => fileInput.current?.click();
    window.addEventListener('fashion-sorter:import', open);
    return () => window.removeEventListener('fashion-sorter:import', open);
  }, []);


  const hasFashionMnist = datasets.some((d) => d.name === 'Fashion-MNIST' && d.bySplit.train >= 60000);

  return (
    <div className={`view datasets-view${dragging ? ' dragging' : ''}`} data-testid="datasets-view" {...dropZone}>
      <div className="toolbar">
        <h1>Datasets</h1>
        <button onClick={() => fileInput.current?.click()} disabled={importing}>
          Import files…
        </button>
        <button onClick={() => folderInput.current?.click()} disabled={importing}>
          Import folder…
        </button>
        <input ref={fileInput} type="file" multiple hidden data-testid="import-files" onChange={(e) => onPicked(e.currentTarget)} />
        <input
          ref={folderInput}
          type="file"
          hidden
          data-testid="import-folder"
          onChange={(e) => onPicked(e.currentTarget)}
          {...{ webkitdirectory: '' }}
        />
      </div>

      {datasetsLoaded && !hasFashionMnist && info?.bundledDatasetPath && (
        <section className="card first-run">
          <h2>Start with Fashion-MNIST</h2>
          <p>70,000 labeled images of clothing (60,000 for training, 10,000 for testing) ship with the app. Loading them needs no network.</p>
          <button className="primary" onClick={() => void importBundled()} disabled={importing}>
            {importing ? 'Loading…' : 'Load Fashion-MNIST'}
          </button>
        </section>
      )}

      <ImportProgress />

      <p className="hint">
        Drop IDX files, Kaggle CSV files, or a folder with one subfolder per class (T-shirt, Trouser, …) anywhere here. An import adds everything or
        nothing, and never adds the same image twice.
      </p>

      {datasets.map((dataset) => (
        <DatasetCard key={dataset.datasetId} dataset={dataset} samples={samples[dataset.datasetId] ?? []} />
      ))}
    </div>
  );
}
