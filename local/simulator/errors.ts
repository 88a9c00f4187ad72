// Error bodies in Huawei's shapes: DMS (the service) answers {error_code, error_msg}; the API gateway
// in front of it adds request_id; IAM's Keystone APIs answer {error: {code, message, title}}, the
// code being the HTTP status. Codes and messages follow Huawei's published tables.

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent as is (for malformed answers); otherwise body is serialised as JSON. */
  raw?: string;
}

export function dmsError(status: number, code: string, message: string): Answer {
  return { status, body: { error_code: code, error_msg: message } };
}

export function gatewayError(status: number, code: string, message: string, requestId: string): Answer {
  return { status, body: { error_code: code, error_msg: message, request_id: requestId } };
}

export function keystoneError(status: number, title: string, message: string): Answer {
  return { status, body: { error: { code: status, message, title } } };
}

export const DMS = {
  invalidParameter: (field: string, why: string): Answer => dmsError(400, 'DMS.00400002', `Invalid parameter: ${field}. ${why}`),
  invalidBody: (): Answer => dmsError(400, 'DMS.00400002', 'Invalid request body: it must be a JSON object.'),
  instanceNotFound: (): Answer => dmsError(404, 'DMS.00404022', 'The instance does not exist.'),
  taskNotFound: (): Answer => dmsError(404, 'DMS.00404033', 'The background task does not exist.'),
  wrongStatus: (): Answer => dmsError(400, 'DMS.00400026', "This operation is not allowed in the instance's current status."),
  // Huawei documents neither of the next three; clients must read the instance detail instead.
  notPayPerUse: (): Answer => dmsError(400, 'DMS.00400090', 'This operation is not supported for yearly/monthly instances.'),
  alreadyEnabled: (): Answer => dmsError(400, 'DMS.00400957', 'Smart connect has been enabled.'),
  notEnabled: (): Answer => dmsError(400, 'DMS.00400958', 'Smart connect is not enabled.'),
  internal: (): Answer => dmsError(500, 'DMS.00500000', 'Internal service error.'),
};

export const unknownApi = (requestId: string): Answer =>
  gatewayError(404, 'APIG.0101', 'The API does not exist or has not been published in the environment.', requestId);

export const unauthorized = (reason: string, requestId: string): Answer =>
  gatewayError(401, 'APIG.0301', `Incorrect IAM authentication information: ${reason}`, requestId);

/** What the gateway (or DMS, for a plain 500) says for a status when a fault names no body. */
export function defaultErrorBody(status: number, requestId: string): unknown {
  const gateway = (code: string, message: string) => ({ error_code: code, error_msg: message, request_id: requestId });
  switch (status) {
    case 401:
      return gateway('APIG.0301', 'Incorrect IAM authentication information.');
    case 403:
      return gateway('APIG.0302', 'The IAM user is not authorized to access the API.');
    case 404:
      return gateway('APIG.0101', 'The API does not exist or has not been published in the environment.');
    case 413:
      return gateway('APIG.0201', 'Request entity too large.');
    case 429:
      return gateway('APIG.0308', 'The throttling threshold has been reached.');
    case 500:
      return DMS.internal().body;
    case 502:
    case 503:
      return gateway('APIG.0202', 'Backend unavailable.');
    case 504:
      return gateway('APIG.0203', 'Backend timeout.');
    default:
      return status >= 500 ? gateway('APIG.0202', 'Backend unavailable.') : gateway('APIG.0201', 'API request error.');
  }
}
