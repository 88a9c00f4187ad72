// The one rule every callback URL meets, wherever it comes from (a request's callback_url, the
// CALLBACK_URL default): checked once into a CallbackUrl, which travels typed from there on (to the
// destination check, which only resolves its host; sealed into the tracking message) and is never
// checked by the rule again.
import * as v from 'valibot';
import { isAllowedCallbackHost } from './allowed-hosts.ts';
import { quote } from '../runtime/index.ts';

/** The longest callback URL accepted anywhere (as browsers and most servers take URLs). */
export const CALLBACK_URL_MAX_LENGTH = 2_048;

/** A callback URL that met the rule: absolute, short enough, without credentials, https (http to an allowed host). */
export type CallbackUrl = string & v.Brand<'CallbackUrl'>;

export const CALLBACK_URL_EXPECTED = 'an absolute https URL (plain http only for hosts in CALLBACK_ALLOWED_HOSTS)';

/** Whether a callback URL's scheme is acceptable: https, or http to an allowed host. */
function isAcceptableCallbackUrl(url: URL, allowedHosts: readonly string[]): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isAllowedCallbackHost(url, allowedHosts);
}

/** What is wrong with a callback URL, said as "must ..."; undefined when it meets the rule. */
function problemWith(text: string, allowedHosts: readonly string[]): string | undefined {
  if (text.length > CALLBACK_URL_MAX_LENGTH) return `must be at most ${CALLBACK_URL_MAX_LENGTH} characters long`;
  const url = URL.parse(text);
  if (!url) return `must be ${CALLBACK_URL_EXPECTED}`;
  // Credentials in a URL end up in logs and proxies; the callback is signed instead.
  if (url.username || url.password) return 'must not carry credentials (user:password@)';
  return isAcceptableCallbackUrl(url, allowedHosts) ? undefined : `must be ${CALLBACK_URL_EXPECTED}, not ${quote(url.protocol)}`;
}

/** The last step of a schema that has checked a callback URL: its brand. */
export const asCallbackUrl = v.brand<string, 'CallbackUrl'>('CallbackUrl');

/** The rule as a schema: text in, a CallbackUrl out, or one issue saying what is wrong. */
export function callbackUrlSchema(allowedHosts: readonly string[]) {
  return v.pipe(
    v.string(`must be ${CALLBACK_URL_EXPECTED}`),
    v.trim(),
    // The problem is worked out again only to word the issue of a URL that has one.
    v.check(
      (text) => problemWith(text, allowedHosts) === undefined,
      (issue) => problemWith(String(issue.input), allowedHosts) as string,
    ),
    asCallbackUrl,
  );
}
