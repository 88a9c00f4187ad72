// The credentials room's failure: the credentials could not be read or used, so nothing was sent to
// Huawei Cloud. A CallError like Huawei's own, so every caller of the Huawei client handles both
// alike, but never a HuaweiApiError: Huawei said nothing.
import { CallError } from '../huawei/index.ts';
import type { CREDENTIALS_INVALID, CREDENTIALS_UNAVAILABLE } from '../errors/index.ts';

export class CredentialsError extends CallError {
  override readonly name: string = 'CredentialsError';

  /** CREDENTIALS_UNAVAILABLE: not readable now (transient); CREDENTIALS_INVALID: unusable as configured. */
  constructor(errorCode: typeof CREDENTIALS_UNAVAILABLE | typeof CREDENTIALS_INVALID, errorMsg: string) {
    // No answer from Huawei (status 0), and nothing that could have taken effect.
    super({ status: 0, errorCode, errorMsg, ambiguous: false });
  }
}
