// Events arrive in any shape; an object that is not a list is what every trigger reads fields of.
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
