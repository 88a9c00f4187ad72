// The callback room's error codes: why a callback was not delivered, or why nothing was enabled
// because of the callback.

/** The guard refused the callback's address (at check or connect time): nothing was sent. */
export const CALLBACK_URL_REFUSED = 'CALLBACK_URL_REFUSED';
/** The receiver answered with a redirect, which is never followed. */
export const CALLBACK_REDIRECT_REFUSED = 'CALLBACK_REDIRECT_REFUSED';
/** The receiver refused the message, or did not take it in the attempts and time there were. */
export const CALLBACK_FAILED = 'CALLBACK_FAILED';
/** The callback host could not be resolved in time: nothing was enabled; asking again may pass. */
export const CALLBACK_LOOKUP_FAILED = 'CALLBACK_LOOKUP_FAILED';
