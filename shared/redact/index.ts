// Redaction: secrets taken out of text and values, whole or in part, in any encoding.
export { MESSAGE_MAX, OUTPUT_STRING_MAX, redact, redactBounded, redactFields } from './redact.ts';
