// The projects room's error codes, each with one meaning. Failures IAM itself reports keep IAM's
// code (HuaweiApiError's), with a message that names IAM.

/** No enabled project is named after the region (the SDK would create one; this project never does): permanent. */
export const PROJECT_NOT_FOUND = 'PROJECT_NOT_FOUND';
/** IAM names more than one enabled project after the region, so none is chosen: permanent. */
export const PROJECT_AMBIGUOUS = 'PROJECT_AMBIGUOUS';
/** IAM names no account (domain) for the credentials, or one with an id no request could carry. */
export const DOMAIN_NOT_FOUND = 'DOMAIN_NOT_FOUND';

export interface ProjectError {
  readonly code: string;
  readonly message: string;
}

/** A lookup that found nothing usable; `retryable` when asking again later may do better. */
export interface ProjectFailure {
  readonly ok: false;
  readonly error: ProjectError;
  readonly retryable: boolean;
}
