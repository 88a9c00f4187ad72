// The local stack's own JSON answers (its routes, the gateway's failures, the callback sink).
import type { ServerResponse } from 'node:http';

export function writeJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': String(body.length) });
  res.end(body);
}
