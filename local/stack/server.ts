// The local stack's one HTTP server on 127.0.0.1. It listens before the functions are loaded (with
// PORT=0 its port names the callback URL and the allowed hosts); requests wait until the routes are
// ready. Each request's body is read whole (API Gateway's 10 MiB limit), one line is printed per
// request that is not a GET, and a route that fails answers a JSON 500.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HOST } from './defaults.ts';
import { writeJson } from './json-response.ts';

// API Gateway's payload limit; SQS's message size limit is the queue's own.
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export type Route = (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void>;

export interface StackServer {
  readonly url: string;
  readonly port: number;
  /** Starts answering requests (those already waiting included). */
  serve(route: Route): void;
  close(): Promise<void>;
}

export async function startStackServer({ port, print }: { port: number; print: (line: string) => void }): Promise<StackServer> {
  let route: Route | undefined;
  let ready = () => {};
  const routed = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void answer(
      req,
      res,
      routed.then(() => route),
      print,
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${HOST}:${bound}`,
    port: bound,
    serve(given) {
      route = given;
      ready();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, route: Promise<Route | undefined>, print: (line: string) => void): Promise<void> {
  const started = Date.now();
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  // Callbacks print their own line; GETs are what tests and people poll.
  if (req.method !== 'GET' && path !== '/callbacks') {
    res.once('finish', () => print(`${req.method} ${path} -> ${res.statusCode} (${Date.now() - started} ms)`));
  }
  try {
    const body = await readBody(req);
    if (body === undefined) {
      writeJson(res, 413, { error_code: 'PAYLOAD_TOO_LARGE', error_msg: `the body is larger than ${MAX_BODY_BYTES} bytes` });
      return;
    }
    await (await route)?.(req, res, body);
  } catch (error) {
    print(`${req.method} ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
    if (!res.headersSent) writeJson(res, 500, { error_code: 'INTERNAL_ERROR', error_msg: 'the local stack failed to answer' });
    else res.destroy();
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
