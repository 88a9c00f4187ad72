// The callback: callback_url's one rule (a CallbackUrl, checked once), the SSRF guard that makes it
// a target, and a result reported to that target (signed, guarded at connect time, retried).
export { asCallbackUrl, CALLBACK_URL_EXPECTED, CALLBACK_URL_MAX_LENGTH, callbackUrlSchema, type CallbackUrl } from './url.ts';
export { parseAllowedHost } from './allowed-hosts.ts';
export { checkCallbackTarget, type CallbackTarget } from './target.ts';
export type { Resolve } from './lookup.ts';
export { deliverWebhook, type DeliveryOutcome } from './delivery.ts';
export { webhookIdOf, type WebhookMessage } from './message.ts';
export { logDelivery, reportResult, reportToUrl, type ReportOptions } from './report.ts';
