// Events arrive in any shape; an object that is not a list is what every trigger reads fields of.
export { isJsonObject } from '../shared/runtime/index.ts';
