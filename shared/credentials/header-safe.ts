// Credentials travel in HTTP headers: the AK and the security token are sent, and the SK signs them.

/**
 * What an HTTP header can carry: visible ASCII, no spaces, no line breaks. A key or token with
 * anything else would load fine and then fail every call as if the network were down.
 */
export function isHeaderSafe(value: string): boolean {
  return /^[\x21-\x7e]+$/.test(value);
}

export const HEADER_SAFE_EXPECTED = 'visible ASCII characters only (no spaces, line breaks or non-ASCII), as an HTTP header carries';
