// Redaction: secrets taken out of text and values, whole or in part, in any encoding.
export { FIELD_MAX, MESSAGE_MAX, redact, redactBounded, redactFields } from './redact.ts';
