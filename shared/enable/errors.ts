// The enable room's error code.

/** Smart Connect can be enabled this way only on a pay-per-use instance (this one is billed yearly/monthly). */
export const NOT_PAY_PER_USE = 'NOT_PAY_PER_USE';
