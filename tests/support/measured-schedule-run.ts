// One invocation of the built schedule function in a process of its own, measured (tests/load/
// fleet-memory.test.ts starts it with script-process.ts): the bundle is loaded as Lambda loads it
// (a cold start reading this process's environment), the resident set noted, the target given as
// the argument run, and the peak resident set (maxRSS) read after. Whatever answers the run (the DMS
// simulator) lives in another process, so the growth is the run's own. Prints one line,
// "measured: {rss_before, peak_rss, fleets: [{matched, counts, error?, longest_name}]}".
import { functionContext, loadHandler, type Handler } from '../../local/hosting/index.ts';
import type { ScheduleSummary } from '../../functions/schedule.ts';
import type { FleetSummary } from '../../shared/fleet/index.ts';

const target: unknown = JSON.parse(process.argv[2] ?? '{}');
const schedule = await loadHandler<Handler<unknown, ScheduleSummary>>('schedule');
const before = process.memoryUsage().rss;
const answer = await schedule({ targets: [target] }, functionContext('schedule'));
const peak = process.resourceUsage().maxRSS * 1024;
const fleets = ((answer.fleets ?? []) as FleetSummary[]).map(({ matched, counts, error, instances }) => ({
  matched,
  counts,
  ...(error && { error }),
  longest_name: Math.max(0, ...instances.map((instance) => instance.name.length)),
}));
process.stdout.write(`measured: ${JSON.stringify({ rss_before: before, peak_rss: peak, fleets })}\n`);
process.exit(0);
