import type { StateCreator } from 'zustand';
import type { LabelChangeEntry, LabelImage, ScanGuidelines } from '../../../shared/label-api.ts';
import type { LabelIssue, LabelScanSummary } from '../../../shared/label-scan.ts';
import type { ModelKind, TaskJobUpdate } from '../../../shared/types.ts';
import { api } from '../lib/api-client.ts';
import type { Store } from './store.ts';

/** Issues fetched per page. */
export const ISSUE_PAGE = 60;

export type LabelTab = 'confusion' | 'issues' | 'changes' | 'flagged';

export type IssueWithPixels = LabelIssue & { pixels: Uint8Array };

/** An action in the issues view that U can take back. */
export type IssueAction = { kind: 'relabel'; imageId: number } | { kind: 'confirm'; imageId: number };

/** The issues left after acting on the one at `index`: it leaves the list; the selection stays at the same place. */
export function afterResolving(issues: readonly IssueWithPixels[], index: number): { issues: IssueWithPixels[]; selected: number | null } {
  const rest = issues.filter((_, i) => i !== index);
  return { issues: rest, selected: rest.length === 0 ? null : Math.min(index, rest.length - 1) };
}

/** Words for a scan's freshness: current, or how many labels changed since. */
export function scanFreshness(scan: LabelScanSummary): string {
  return scan.labelsChangedSince === 0 ? 'current' : `out of date: ${scan.labelsChangedSince.toLocaleString('en-US')} label${scan.labelsChangedSince === 1 ? '' : 's'} changed since`;
}

export interface LabelsSlice {
  labelTab: LabelTab;
  scans: LabelScanSummary[];
  scanJob: TaskJobUpdate | null;
  /** Empty fields take the back end's defaults, which depend on the engine it trains on. */
  scanForm: { model?: ModelKind; folds?: number; epochs?: number };
  issues: IssueWithPixels[];
  issueTotal: number;
  selectedIssue: number | null;
  /** Typical examples of each class (from the current scan), for the candidate classes beside an issue. */
  typical: Record<number, LabelImage[]>;
  /** Guideline cards: for pair "a-b", a's images nearest b and b's nearest a. */
  guidelines: Record<string, [LabelImage[], LabelImage[]]>;
  issueActions: IssueAction[];
  changes: LabelChangeEntry[];
  changesTotal: number;
  changesFilter: number | null;
  flagged: (LabelImage & { source: string })[];
  /** Guideline cards for Classify: the newest scan's top overlapping pairs for a run's dataset, and which run. */
  photoGuidelines: { runId: number; guidelines: ScanGuidelines | null } | null;
  /** Loads the guideline cards Classify shows beside photos of a run (once per run, again after a scan). */
  loadPhotoGuidelines(runId: number): Promise<void>;
  setLabelTab(tab: LabelTab): void;
  setScanForm(form: Partial<LabelsSlice['scanForm']>): void;
  loadScans(): Promise<void>;
  startScan(): Promise<void>;
  cancelScan(): Promise<void>;
  receiveScanJob(update: TaskJobUpdate): void;
  loadIssues(): Promise<void>;
  selectIssue(index: number | null): void;
  takeSuggestion(): Promise<void>;
  setIssueLabel(label: number): Promise<void>;
  confirmIssue(): Promise<void>;
  undoIssueAction(): Promise<void>;
  loadChanges(filter?: number | null): Promise<void>;
  undoChange(changeId: number): Promise<void>;
  loadFlagged(): Promise<void>;
}

export const createLabelsSlice: StateCreator<Store, [], [], LabelsSlice> = (set, get) => {
  const fail = (error: unknown): void => set({ notice: { kind: 'error', text: (error as Error).message } });
  const datasetId = (): number | null => get().datasets[0]?.datasetId ?? null;
  const currentScan = (): LabelScanSummary | null => get().scans.find((s) => s.status === 'succeeded') ?? null;

  /** Loads the typical examples of a class once per scan. */
  const loadTypical = async (scanId: number, label: number): Promise<void> => {
    if (get().typical[label]) return;
    const images = await api.invoke('scan:typical', { scanId, label, count: 6 });
    set({ typical: { ...get().typical, [label]: images } });
  };

  /** Acts on the selected issue, then drops it from the list and remembers how to undo it. */
  const resolveSelected = async (act: (issue: IssueWithPixels) => Promise<IssueAction>): Promise<void> => {
    const { issues, selectedIssue } = get();
    if (selectedIssue === null || !issues[selectedIssue]) return;
    try {
      const action = await act(issues[selectedIssue]);
      const next = afterResolving(issues, selectedIssue);
      set({ issues: next.issues, selectedIssue: next.selected, issueTotal: get().issueTotal - 1, issueActions: [...get().issueActions, action] });
      if (next.selected !== null) get().selectIssue(next.selected);
      void get().loadScans();
    } catch (error) {
      fail(error);
    }
  };

  return {
    labelTab: 'confusion',
    scans: [],
    scanJob: null,
    scanForm: {},
    issues: [],
    issueTotal: 0,
    selectedIssue: null,
    typical: {},
    guidelines: {},
    issueActions: [],
    changes: [],
    changesTotal: 0,
    changesFilter: null,
    flagged: [],
    photoGuidelines: null,
    loadPhotoGuidelines: async (runId) => {
      if (get().photoGuidelines?.runId === runId) return;
      try {
        set({ photoGuidelines: { runId, guidelines: await api.invoke('scan:guidelines', { runId }) } });
      } catch (error) {
        fail(error);
      }
    },
    setLabelTab: (labelTab) => {
      set({ labelTab });
      if (labelTab === 'issues') void get().loadScans().then(() => get().loadIssues());
      if (labelTab === 'changes') void get().loadChanges();
      if (labelTab === 'flagged') void get().loadFlagged();
    },
    setScanForm: (form) => set({ scanForm: { ...get().scanForm, ...form } }),
    loadScans: async () => {
      const id = datasetId();
      if (id === null) return;
      try {
        set({ scans: await api.invoke('scan:list', { datasetId: id }) });
      } catch (error) {
        fail(error);
      }
    },
    startScan: async () => {
      try {
        const { model, folds, epochs } = get().scanForm;
        const { jobId } = await api.invoke('scan:start', { datasetId: datasetId() ?? undefined, model, folds, epochs });
        set({ scanJob: { jobId, kind: 'scan', state: 'running', progress: { phase: 'starting', fraction: 0, done: 0, total: 0 } } });
      } catch (error) {
        fail(error);
      }
    },
    cancelScan: async () => {
      const job = get().scanJob;
      if (job) await api.invoke('job:cancel', { jobId: job.jobId }).catch(fail);
    },
    receiveScanJob: (update) => {
      set({ scanJob: update });
      if (update.state === 'succeeded') {
        set({ typical: {}, guidelines: {}, photoGuidelines: null });
        void get().loadScans().then(() => get().loadIssues());
      } else if (update.state === 'failed') fail(new Error(`The label scan failed: ${update.error ?? 'unknown error'}`));
    },
    loadIssues: async () => {
      const scan = currentScan();
      if (!scan) {
        set({ issues: [], issueTotal: 0, selectedIssue: null });
        return;
      }
      try {
        const page = await api.invoke('scan:issues', { scanId: scan.scanId, offset: 0, limit: ISSUE_PAGE });
        set({ issues: page.issues, issueTotal: page.total, selectedIssue: page.issues.length ? 0 : null });
        if (page.issues.length) get().selectIssue(0);
        const cards = (await api.invoke('scan:guidelines', { scanId: scan.scanId }))?.cards ?? [];
        set({ guidelines: Object.fromEntries(cards.map((card) => [`${card.a}-${card.b}`, card.typical])) });
      } catch (error) {
        fail(error);
      }
    },
    selectIssue: (index) => {
      set({ selectedIssue: index });
      const scan = currentScan();
      const issue = index === null ? undefined : get().issues[index];
      if (scan && issue) {
        void Promise.all([loadTypical(scan.scanId, issue.label), loadTypical(scan.scanId, issue.suggestedLabel)]).catch(fail);
      }
    },
    takeSuggestion: () =>
      resolveSelected(async (issue) => {
        await api.invoke('scan:relabel', { imageId: issue.imageId, label: issue.suggestedLabel });
        return { kind: 'relabel', imageId: issue.imageId };
      }),
    setIssueLabel: (label) =>
      resolveSelected(async (issue) => {
        await api.invoke('scan:relabel', { imageId: issue.imageId, label });
        return { kind: 'relabel', imageId: issue.imageId };
      }),
    confirmIssue: () =>
      resolveSelected(async (issue) => {
        await api.invoke('scan:confirm', { imageId: issue.imageId });
        return { kind: 'confirm', imageId: issue.imageId };
      }),
    undoIssueAction: async () => {
      const last = get().issueActions.at(-1);
      if (!last) return;
      try {
        if (last.kind === 'relabel') await api.invoke('image:undo-relabel', { imageId: last.imageId, runId: null });
        else await api.invoke('scan:unconfirm', { imageId: last.imageId });
        set({ issueActions: get().issueActions.slice(0, -1) });
        await get().loadScans();
        await get().loadIssues();
        // The undone issue is back in the list: select it again, where the person was.
        const back = get().issues.findIndex((i) => i.imageId === last.imageId);
        if (back >= 0) get().selectIssue(back);
      } catch (error) {
        fail(error);
      }
    },
    loadChanges: async (filter = get().changesFilter) => {
      const id = datasetId();
      if (id === null) return;
      set({ changesFilter: filter });
      try {
        const page = await api.invoke('labels:changes', { datasetId: id, label: filter ?? undefined, offset: 0, limit: 500 });
        set({ changes: page.changes, changesTotal: page.total });
      } catch (error) {
        fail(error);
      }
    },
    undoChange: async (changeId) => {
      try {
        await api.invoke('labels:undo-change', { changeId });
        await get().loadChanges();
      } catch (error) {
        fail(error);
      }
    },
    loadFlagged: async () => {
      const id = datasetId();
      if (id === null) return;
      try {
        set({ flagged: await api.invoke('labels:flagged', { datasetId: id }) });
      } catch (error) {
        fail(error);
      }
    },
  };
};
