// Injected faults: an ordered list of rules, each good for a number of matching requests.
import type { Fault, FaultRule } from './types.ts';

interface ActiveRule {
  rule: FaultRule;
  left: number;
}

export class FaultQueue {
  #rules: ActiveRule[] = [];

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
  take(method: string, path: string): Fault | undefined {
    const index = this.#rules.findIndex(({ rule }) => matches(rule, method, path));
    const active = this.#rules[index];
    if (!active) return undefined;
    active.left -= 1;
    if (active.left === 0) this.#rules.splice(index, 1);
    return active.rule.fault;
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.path === undefined) return true;
  if (typeof rule.path === 'string') return path.includes(rule.path);
  // A /g or /y pattern keeps state between test() calls; matching must not depend on history.
  rule.path.lastIndex = 0;
  return rule.path.test(path);
}

function validateFault(fault: Fault): void {
  if (fault.kind === 'status' && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
    throw new RangeError(`fault status must be an HTTP status, got ${fault.status}`);
  }
  if (fault.kind === 'delay') {
    if (!(Number.isFinite(fault.ms) && fault.ms >= 0)) throw new RangeError(`fault delay must be >= 0 ms, got ${fault.ms}`);
    if (fault.then) validateFault(fault.then);
  }
}
