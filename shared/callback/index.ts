// The callback: callback_url's one rule (a CallbackUrl, checked once), the SSRF guard that makes it
// a destination, and a result reported to that destination (signed, guarded at connect time, retried).
export { asCallbackUrl, CALLBACK_URL_EXPECTED, CALLBACK_URL_MAX_LENGTH, callbackUrlSchema, type CallbackUrl } from './url.ts';
export { parseAllowedHost } from './allowed-hosts.ts';
export { checkCallbackDestination, type CallbackDestination } from './destination.ts';
export type { Resolve } from './lookup.ts';
export { deliverWebhook, type DeliveryOutcome } from './delivery.ts';
export { webhookIdOf, type WebhookMessage } from './message.ts';
export { logDelivery, reportResult, reportToUrl, type ReportOptions } from './report.ts';
