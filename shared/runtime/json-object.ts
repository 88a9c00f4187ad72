// Input arrives in any shape; an object that is not a list is what every reader takes fields from.
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
