/**
 * Validation problems in a person's words ("Epochs must be at most 500"), from the contract's own zod
 * schemas, so the form and the back end agree on every limit.
 */
import type { z } from 'zod';

/** How a field is named and shown: validation shares are fractions stored, percentages shown. */
export interface FieldWords {
  label: string;
  /** Multiply limits by this to show them (100 for a share shown in percent). */
  scale?: number;
  unit?: string;
}

const show = (value: number | bigint, field: FieldWords): string => `${Number(value) * (field.scale ?? 1)}${field.unit ?? ''}`;

/** One problem as a sentence; fields not in `fields` are named by their path. */
export function issueInWords(issue: z.core.$ZodIssue, fields: Readonly<Record<string, FieldWords>>): string {
  const key = issue.path.join('.');
  const field = fields[key] ?? { label: key || 'the argument' };
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'string') return `${field.label} must have at most ${issue.maximum} ${issue.origin === 'array' ? 'items' : 'characters'}`;
      return `${field.label} must be ${issue.inclusive ? 'at most' : 'less than'} ${show(issue.maximum, field)}`;
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'string') return `${field.label} must have at least ${issue.minimum} ${issue.origin === 'array' ? 'item' : 'character'}${Number(issue.minimum) === 1 ? '' : 's'}`;
      return `${field.label} must be ${issue.inclusive ? 'at least' : 'more than'} ${show(issue.minimum, field)}`;
    case 'invalid_type':
      return issue.expected === 'int' ? `${field.label} must be a whole number` : issue.expected === 'number' ? `${field.label} must be a number` : `${field.label}: ${issue.message}`;
    default:
      return `${field.label}: ${issue.message}`;
  }
}
