import { describe, expect, it } from 'vitest';
import { requestSchemas } from '../../src/shared/api.ts';
import { gateSettingsFromFields } from '../../src/shared/review.ts';

describe('the accepted error rate and audit share, as typed in percent', () => {
  const shown = { ratePercent: 1, auditPercent: 2 };

  it('saves only what changed, as fractions the contract accepts', () => {
    expect(gateSettingsFromFields({ ratePercent: 2.5, auditPercent: 2 }, shown)).toEqual({ save: { maxError: 0.025 } });
    expect(gateSettingsFromFields({ ratePercent: 1, auditPercent: 5 }, shown)).toEqual({ save: { auditShare: 0.05 } });
    expect(gateSettingsFromFields(shown, shown)).toEqual({ save: {} });
    for (const ratePercent of [0.1, 50]) {
      const checked = gateSettingsFromFields({ ratePercent, auditPercent: 2 }, shown);
      expect(requestSchemas['review:set-settings'].safeParse((checked as { save: object }).save).success).toBe(true);
    }
  });

  it('refuses a rate outside 0.1–50% or an audit outside 0–100% in the field\'s words, keeping what is in force', () => {
    for (const ratePercent of [0, -1, 0.04, 80, Number.NaN]) {
      expect(gateSettingsFromFields({ ratePercent, auditPercent: 2 }, shown)).toEqual({ problem: 'The accepted error rate must be between 0.1% and 50%; it stays at 1%.' });
    }
    expect(gateSettingsFromFields({ ratePercent: 1, auditPercent: 120 }, shown)).toEqual({ problem: 'The audit share must be between 0% and 100%; it stays at 2%.' });
  });
});
