// Events and a Lambda-like context for the benchmark's child processes, shaped like the samples in
// events/ (an IAM-authorised HTTP API 2.0 request with a base64 body; an SQS batch), but built for
// the instances the simulator was seeded with. Tiny on purpose: every runner imports it, whatever it
// measures, so it costs each side the same.

/**
 * API Gateway HTTP API (payload 2.0) enable request, as events/http-api-v2-enable.json.
 * @param {string} projectId
 * @param {string} instanceId
 * @param {string} requestId
 */
export function httpEvent(projectId, instanceId, requestId) {
  const path = `/v2/${projectId}/instances/${instanceId}/connector`;
  const body = Buffer.from('{"node_cnt": 2}').toString('base64');
  return {
    version: '2.0',
    routeKey: 'POST /v2/{project_id}/instances/{instance_id}/connector',
    rawPath: path,
    rawQueryString: '',
    headers: {
      accept: 'application/json',
      'content-length': '15',
      'content-type': 'application/json; charset=utf-8',
      host: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
      'user-agent': 'aws-sdk-js/3.700.0 ua/2.1 os/linux lang/js md/nodejs#22.12.0',
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-amz-date': '20261125T093000Z',
      'x-amzn-trace-id': 'Root=1-6744a1b2-0123456789abcdef01234567',
      'x-forwarded-for': '203.0.113.10',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      authorizer: {
        iam: {
          accessKey: 'ASIAEXAMPLEACCESSKEY',
          accountId: '123456789012',
          callerId: 'AROAEXAMPLEROLEID:automation',
          cognitoIdentity: null,
          principalOrgId: 'o-exampleorg',
          userArn: 'arn:aws:sts::123456789012:assumed-role/automation/automation',
          userId: 'AROAEXAMPLEROLEID:automation',
        },
      },
      domainName: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'aws-sdk-js/3.700.0' },
      requestId,
      routeKey: 'POST /v2/{project_id}/instances/{instance_id}/connector',
      stage: '$default',
      time: '25/Nov/2026:09:30:00 +0000',
      timeEpoch: 1795599000000,
    },
    pathParameters: { project_id: projectId, instance_id: instanceId },
    body,
    isBase64Encoded: true,
  };
}

/**
 * SQS batch, one plain enable request per record, as the first record of events/sqs-batch.json.
 * @param {string} projectId
 * @param {readonly string[]} instanceIds
 * @param {string} batchId distinguishes the message ids of one batch from another's
 */
export function sqsEvent(projectId, instanceIds, batchId) {
  return {
    Records: instanceIds.map((instanceId, index) => ({
      messageId: `${batchId}-${index}`,
      receiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a${batchId}${index}`,
      body: JSON.stringify({ project_id: projectId, instance_id: instanceId, node_cnt: 2 }),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1795599000000',
        SenderId: 'AROAEXAMPLEROLEID:automation',
        ApproximateFirstReceiveTimestamp: '1795599000010',
      },
      messageAttributes: {},
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:smart-connect-enabler-dev-enable',
      awsRegion: 'eu-west-1',
    })),
  };
}

/**
 * What the Lambda runtime hands a handler (the timeouts serverless.yml gives: http 29 s, queue 120 s).
 * @param {number} timeoutMs
 * @param {string} requestId
 */
export function lambdaContext(timeoutMs, requestId) {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'smart-connect-enabler-bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:smart-connect-enabler-bench',
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/smart-connect-enabler-bench',
    logStreamName: `2026/11/25/[$LATEST]${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
