// How a project lookup fails: one of the catalogue's codes (shared/errors: PROJECT_NOT_FOUND,
// PROJECT_AMBIGUOUS, DOMAIN_NOT_FOUND), or, for failures IAM itself reports, IAM's code (the
// CallError's), with a message that names IAM.

export interface ProjectError {
  readonly code: string;
  readonly message: string;
}

/** A lookup that found nothing usable; `retryable` when asking again later may do better. */
export interface ProjectFailure {
  readonly kind: 'failed';
  readonly error: ProjectError;
  readonly retryable: boolean;
}
