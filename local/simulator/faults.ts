// Injected faults: an ordered list of rules, each good for a number of matching requests.
import type { ChaosOptions, Fault, FaultRule } from './types.ts';

interface ActiveRule {
  rule: FaultRule;
  left: number;
}

export class FaultQueue {
  #rules: ActiveRule[] = [];
  #chaos: { options: ChaosOptions; random: () => number } | undefined;
  #chaosCounts = new Map<string, number>();

  /** Random faults at given rates, from a seeded generator so a failing run can be replayed. */
  chaos(options: ChaosOptions | undefined): void {
    if (options) for (const entry of options.faults) validateFault(entry.fault);
    this.#chaos = options ? { options, random: mulberry32(options.seed ?? 1) } : undefined;
    this.#chaosCounts = new Map();
  }

  /** How many faults chaos injected, by kind (status:429, reset, delay, ...). */
  chaosCounts(): Record<string, number> {
    return Object.fromEntries(this.#chaosCounts);
  }

  inject(rule: FaultRule): void {
    const times = rule.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`fault times must be a positive integer, got ${times}`);
    validateFault(rule.fault);
    this.#rules.push({ rule, left: times });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The fault for this request, if a rule matches; using it counts against the rule's times. */
  take(method: string, path: string, query = ''): Fault | undefined {
    const index = this.#rules.findIndex(({ rule }) => matches(rule, method, path, query));
    const active = this.#rules[index];
    if (!active) return this.#roll(method, path);
    active.left -= 1;
    if (active.left === 0) this.#rules.splice(index, 1);
    return active.rule.fault;
  }

  #roll(method: string, path: string): Fault | undefined {
    if (!this.#chaos) return undefined;
    let dice = this.#chaos.random();
    for (const entry of this.#chaos.options.faults) {
      if (dice < entry.probability) {
        if (!matches({ ...entry, fault: entry.fault }, method, path)) return undefined;
        const key = entry.fault.kind === 'status' ? `status:${entry.fault.status}` : entry.fault.kind;
        this.#chaosCounts.set(key, (this.#chaosCounts.get(key) ?? 0) + 1);
        return entry.fault;
      }
      dice -= entry.probability;
    }
    return undefined;
  }
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matches(rule: FaultRule, method: string, path: string, query = ''): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  return matchesText(rule.path, path) && matchesText(rule.query, query);
}

function matchesText(pattern: RegExp | string | undefined, text: string): boolean {
  if (pattern === undefined) return true;
  if (typeof pattern === 'string') return text.includes(pattern);
  // A /g or /y pattern keeps state between test() calls; matching must not depend on history.
  pattern.lastIndex = 0;
  return pattern.test(text);
}

function validateFault(fault: Fault): void {
  if (fault.kind === 'status' && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
    throw new RangeError(`fault status must be an HTTP status, got ${fault.status}`);
  }
  if (fault.kind === 'delay') {
    if (!(Number.isFinite(fault.ms) && fault.ms >= 0)) throw new RangeError(`fault delay must be >= 0 ms, got ${fault.ms}`);
    if (fault.then) validateFault(fault.then);
  }
  if (fault.kind === 'list' && fault.change.kind === 'duplicate' && !(Number.isInteger(fault.change.index) && fault.change.index >= 0)) {
    throw new RangeError(`a duplicated list entry needs an index of at least 0, got ${fault.change.index}`);
  }
}
