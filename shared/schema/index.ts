// Schema building blocks: valibot's own, put together from fewer of its functions (a bundle carries
// each function it uses once, whatever uses it).
export { LOWER_CASE, matching, TRIMMED } from './steps.ts';
export { strictObject } from './strict-object.ts';
export { trueOrFalse } from './true-or-false.ts';
