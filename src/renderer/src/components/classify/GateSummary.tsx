import { useRef, useState, type KeyboardEvent } from 'react';
import { ACCEPTED_ERROR_RANGE, gateSettingsFromFields } from '../../../../shared/review.ts';
import { CLASS_NAMES } from '../../../../shared/classes.ts';
import type { BatchSummary, ReviewGate } from '../../../../shared/types.ts';
import type { ReviewSettingsView } from '../../../../shared/api.ts';

const pct = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`;

/** In words: which photos this batch's gate lets skip review, and what the audit measured. */
export function GateSummary({ gate, batch }: { gate: ReviewGate; batch: BatchSummary | null }) {
  const audit = batch?.audit;
  return (
    <div className="gate-summary" data-testid="gate-summary">
      {gate.kind === 'single' ? (
        <p className="hint" data-testid="gate-kind">
          This model was trained before per-class gates: one threshold for every class. Photos under {pct(gate.threshold)} confidence go to review. Retrain to get a gate set by the error rate you accept.
        </p>
      ) : (
        <details>
          <summary data-testid="gate-kind">
            Gate for at most {pct(gate.maxError)} wrong among photos that skip review · about {pct(gate.expectedReviewShare, 0)} of photos need review
          </summary>
          <table className="gate-table" data-testid="gate-table">
            <tbody>
              {gate.classes.map((c, label) => (
                <tr key={label}>
                  <td>{CLASS_NAMES[label]}</td>
                  <td>{c.threshold === null ? 'always reviewed (the validation images cannot show this class meets the rate)' : `skips review from ${pct(c.threshold)}`}</td>
                  <td className="hint">{c.validationImages} validation images</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {audit && audit.size > 0 && (
        <p data-testid="audit-result">
          Audit: {audit.size} photo{audit.size === 1 ? '' : 's'} that passed the gate sent to review ({pct(gate.auditShare, 0)}).{' '}
          {audit.checked === 0 ? 'None checked yet.' : `${audit.wrong} of ${audit.checked} checked were wrong (${pct(audit.wrong / audit.checked, 0)} measured error).`}
        </p>
      )}
    </div>
  );
}

/**
 * The error rate a person accepts, and the share of audits. Enter, the Apply button or leaving a field
 * applies it. It sets the gate of batches classified afterwards: a batch keeps the gate it was classified
 * with, so while one is open the field says that the new rate is for the next batch.
 */
export function GateSettings({ settings, openBatchGate, onSave }: { settings: ReviewSettingsView; openBatchGate: ReviewGate | null; onSave(s: { maxError?: number; auditShare?: number }): void }) {
  const rate = useRef<HTMLInputElement>(null);
  const audit = useRef<HTMLInputElement>(null);
  const shownRate = (settings.maxError * 100).toFixed(1);
  const shownAudit = (settings.auditShare * 100).toFixed(0);
  const [problem, setProblem] = useState<string | null>(null);
  /** Saves the fields a person changed (compared with what they showed, so a rounded value is not written back). */
  const apply = (): void => {
    // An emptied field is left as it was, not read as 0.
    const shown = { ratePercent: Number(shownRate), auditPercent: Number(shownAudit) };
    const typed = {
      ratePercent: rate.current?.value ? Number(rate.current.value) : shown.ratePercent,
      auditPercent: audit.current?.value ? Number(audit.current.value) : shown.auditPercent,
    };
    const checked = gateSettingsFromFields(typed, shown);
    if ('problem' in checked) {
      // Said in the field's words, and the field shows again what is in force.
      setProblem(checked.problem);
      if (rate.current) rate.current.value = shownRate;
      if (audit.current) audit.current.value = shownAudit;
      return;
    }
    setProblem(null);
    if (checked.save.maxError !== undefined || checked.save.auditShare !== undefined) onSave(checked.save);
  };
  const onEnter = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    apply();
  };
  return (
    <div className="toolbar gate-settings">
      <label className="check">
        At most
        <input
          ref={rate}
          type="number"
          min={ACCEPTED_ERROR_RANGE.min * 100}
          max={ACCEPTED_ERROR_RANGE.max * 100}
          step={0.1}
          defaultValue={shownRate}
          key={settings.maxError}
          aria-label="Accepted error rate (%)"
          onBlur={apply}
          onKeyDown={onEnter}
        />
        % wrong among photos that skip review
      </label>
      <label className="check">
        Audit
        <input
          ref={audit}
          type="number"
          min={0}
          max={100}
          step={1}
          defaultValue={shownAudit}
          key={`a${settings.auditShare}`}
          aria-label="Audit share (%)"
          onBlur={apply}
          onKeyDown={onEnter}
        />
        % of them
      </label>
      <button className="small" onClick={apply}>
        Apply
      </button>
      {problem && (
        <span className="problem" role="alert" data-testid="gate-problem">
          {problem}
        </span>
      )}
      {openBatchGate && (
        <span className="hint" data-testid="gate-applies">
          Applies to the next batch you classify; the open batch keeps the gate it was classified with
          {openBatchGate.kind === 'per-class' ? ` (at most ${pct(openBatchGate.maxError)} wrong)` : ` (one threshold of ${pct(openBatchGate.threshold)})`}.
        </span>
      )}
      {settings.gate && settings.gate.kind === 'per-class' && (
        <span className="hint" data-testid="expected-review">
          With the active model about {pct(settings.gate.expectedReviewShare, 0)} of photos will need review.
        </span>
      )}
      {settings.gate && settings.gate.kind === 'single' && <span className="hint">The active model was trained before per-class gates; it uses one threshold of {pct(settings.gate.threshold)}.</span>}
    </div>
  );
}
