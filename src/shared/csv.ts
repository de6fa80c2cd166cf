/** One CSV field: quoted (with inner quotes doubled) when it holds a comma, a quote or a line break. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line from its fields. */
export function csvLine(fields: readonly (string | number)[]): string {
  return fields.map(csvField).join(',');
}
