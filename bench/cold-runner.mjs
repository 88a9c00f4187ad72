// One cold start, in a fresh process spawned by bench/run.mjs: import the bundle, build the event,
// call the handler once against the loopback simulator, print what it answered and exit. The floor
// does instead what any fetch-based function must: one fetch POST to the simulator (unsigned, so the
// answer is a 401). Prints one JSON line: {status, answered_ms, import_ms, max_rss_kb}; answered_ms
// counts from process start (performance.timeOrigin). Every side imports the fixtures first.

/** @type {{kind: 'handler' | 'floor', fixtures: string, bundle?: string, url: string, projectId: string, instanceId: string}} */
const spec = JSON.parse(process.argv[2] ?? '{}');
/** @type {typeof import('./fixtures.ts')} */
const { httpEvent, contextFor } = await import(spec.fixtures);
const requestId = `bench-${spec.instanceId}`;
let status = 0;
let importMs = 0;

if (spec.kind === 'floor') {
  const response = await fetch(`${spec.url}/v2/${spec.projectId}/instances/${spec.instanceId}/connector`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"node_cnt":"2"}',
  });
  await response.text();
  status = response.status;
} else {
  const started = performance.now();
  const { handler } = await import(spec.bundle ?? '');
  importMs = performance.now() - started;
  const answer = await handler(httpEvent(spec.projectId, spec.instanceId, requestId), contextFor('http', requestId));
  status = answer.statusCode;
}

const answeredMs = performance.now();
process.stdout.write(`${JSON.stringify({ status, answered_ms: answeredMs, import_ms: importMs, max_rss_kb: process.resourceUsage().maxRSS })}\n`);
// The answer is what a cold start is waiting for: whatever timers or sockets are left do not count.
process.exit(0);
