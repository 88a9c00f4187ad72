// Runs the example receiver: `CALLBACK_SECRET=whsec_... node examples/callback-receiver/main.ts`
// (Node.js 22 runs TypeScript as it is). Prints one JSON line per callback it takes; replace
// `onEvent` with your own processing.
import { createServer } from 'node:http';
import { createReceiver } from './receiver.ts';

const secret = process.env.CALLBACK_SECRET;
if (!secret) {
  process.stderr.write('CALLBACK_SECRET is not set: the whsec_ secret the enabler signs its callbacks with\n');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';

const server = createServer(
  createReceiver({
    secret,
    onEvent: (event) => {
      const data = (event.data ?? {}) as Record<string, unknown>;
      process.stdout.write(`${JSON.stringify({ id: event.id, type: event.type, instance_id: data.instance_id, status: data.status })}\n`);
    },
    onRefused: (status, reason) => process.stderr.write(`refused (${status}): ${reason}\n`),
  }),
);
// A slow or stalled sender cannot hold a connection for long.
server.requestTimeout = 10_000;
server.headersTimeout = 5_000;
server.listen(port, host, () => process.stdout.write(`callback receiver on http://${host}:${port}/\n`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)));
