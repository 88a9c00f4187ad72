// What the first tracking send pays before it sends anything: the lazily imported AWS SDK SQS client
// (functions/queue-sender.ts), loaded and constructed in a fresh process. In Lambda the SDK
// comes with the runtime; here it resolves from node_modules. Prints one JSON line.
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const { SQSClient } = await import('@aws-sdk/client-sqs');
const client = new SQSClient({});
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    ms,
    rss_added_kb: Math.round((process.memoryUsage().rss - rssBefore) / 1024),
    max_rss_kb: process.resourceUsage().maxRSS,
    constructed: typeof client.send === 'function',
  })}\n`,
);
process.exit(0);
