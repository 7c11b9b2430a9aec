/** A bash word that stays one literal argument, whatever it contains ('...' with ' as '\''). */
export function bashQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A PowerShell literal string ('...' with ' doubled). */
export function psQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
