// Input is quoted, never echoed whole: answers and log lines carry at most a short prefix of it.
export const QUOTE_MAX = 64;

/** At most `max` characters of an input value, marked when cut. */
export function quote(value: string, max: number = QUOTE_MAX): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
