// valibot's own schemas and actions under the names tracking/message.ts, tracking/seal.ts and
// huawei/dms.ts still import: every other file imports valibot directly. When those three do too,
// this room goes.
export { boolean as trueOrFalse, regex as matching, strictObject } from 'valibot';
