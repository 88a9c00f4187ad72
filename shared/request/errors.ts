// The request room's error code.

/** The input is not a valid request: nothing was sent upstream; the issues say why, by field. */
export const INVALID_REQUEST = 'INVALID_REQUEST';
