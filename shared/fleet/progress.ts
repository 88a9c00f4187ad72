// How far a fleet run has come, told to whoever watches (the command line shows it to a person):
// once the fleet is planned, then as each instance to enable is done. Watching changes nothing in
// the run.
import type { FleetApplyPort } from './apply.ts';

/** Instances listed, matched, to enable, and of those done (enabled, queued, or failed). */
export interface FleetProgress {
  readonly listed: number;
  readonly matched: number;
  readonly toEnable: number;
  readonly done: number;
}

export type OnFleetProgress = (progress: FleetProgress) => void;

export interface ProgressCounter {
  /** The port, telling each instance it enables as done. */
  counting(apply: FleetApplyPort): FleetApplyPort;
  /** Every instance to enable is done (those queued all at once). */
  finished(): void;
}

/** Tells `onProgress` the plan at once; nothing happens without it. */
export function fleetProgress(onProgress: OnFleetProgress | undefined, planned: Omit<FleetProgress, 'done'>): ProgressCounter {
  let done = 0;
  const tell = () => onProgress?.({ ...planned, done });
  tell();
  return {
    counting(apply) {
      if (!onProgress || !('enableOne' in apply)) return apply;
      return {
        ...apply,
        async enableOne(request) {
          try {
            return await apply.enableOne(request);
          } finally {
            done += 1;
            tell();
          }
        },
      };
    },
    finished() {
      if (done === planned.toEnable) return;
      done = planned.toEnable;
      tell();
    },
  };
}
