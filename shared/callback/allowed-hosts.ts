// CALLBACK_ALLOWED_HOSTS: hosts a callback may reach over plain http and without the address check
// (a receiver inside the deployment's own network, the local stack). `host` allows any port,
// `host:port` that port only. One matching rule for the schema, the check and delivery.

export interface AllowedHost {
  /** As WHATWG URL writes a hostname: lower case, IPv4 dotted, IPv6 compressed in brackets. */
  readonly hostname: string;
  /** undefined: any port. */
  readonly port: number | undefined;
}

const ENTRY = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

/** One CALLBACK_ALLOWED_HOSTS entry (`host` or `host:port`), or undefined when it is not one. */
export function parseAllowedHost(entry: string): AllowedHost | undefined {
  const match = ENTRY.exec(entry.trim());
  if (!match?.[1]) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65_535)) return undefined;
  // The URL parser spells the host as a callback URL's hostname will be spelled ([0::1] is [::1]).
  const url = URL.parse(`http://${match[1]}/`);
  return url ? { hostname: url.hostname, port } : undefined;
}

/** The port a URL connects to: its own, or its scheme's default. */
function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** Whether a URL's host (and port) is in CALLBACK_ALLOWED_HOSTS. */
export function isAllowedCallbackHost(url: URL, allowedHosts: readonly string[]): boolean {
  return allowedHosts.some((entry) => {
    const allowed = parseAllowedHost(entry);
    return allowed !== undefined && allowed.hostname === url.hostname && (allowed.port === undefined || allowed.port === portOf(url));
  });
}

/** host[:port] of a URL, as logs and refusal reasons name it. */
export function hostWithPort(url: URL): string {
  return url.port ? `${url.hostname}:${url.port}` : url.hostname;
}
