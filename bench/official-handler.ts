// The baseline for the benchmark: the same Lambda written the way a user of Huawei's official Node SDK
// naturally writes it. Parse the HTTP API 2.0 event (path parameters, JSON body, maybe base64),
// validate minimally, call CreateConnector with the official KafkaClient, answer 202 or the error as
// JSON. The queue variant runs every SQS record at once (Promise.all) and lists the failed ones.
// Bundled by bench/run.mjs exactly as our functions are (esbuild, minified ESM, platform node).
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger.js';
import { CreateConnectorReq, CreateConnectorRequest, KafkaClient, KafkaRegion } from '@huaweicloud/huaweicloud-sdk-kafka';

// The SDK logs every error answer, signed headers included, to stdout: off, as LOG_LEVEL=SILENT does for ours.
Logger4jInstance.level = 'off';

const ak = process.env.HUAWEICLOUD_SDK_AK ?? process.env.CLOUD_SDK_AK;
const sk = process.env.HUAWEICLOUD_SDK_SK ?? process.env.CLOUD_SDK_SK;
const region = process.env.HUAWEICLOUD_REGION;
const endpoint = process.env.HUAWEICLOUD_DMS_ENDPOINT;
if (!ak || !sk) throw new Error('HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are required');
if (!region && !endpoint) throw new Error('HUAWEICLOUD_REGION is required');

const PROJECT_ID = /^[0-9a-f]{32}$/i;
const INSTANCE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The SDK takes the project from the credentials: one client per project, built on first use.
const clients = new Map<string, KafkaClient>();

function clientFor(projectId: string): KafkaClient {
  let client = clients.get(projectId);
  if (!client) {
    const credentials = new BasicCredentials()
      .withAk(ak ?? '')
      .withSk(sk ?? '')
      .withProjectId(projectId);
    const builder = KafkaClient.newBuilder().withCredential(credentials);
    client = (endpoint ? builder.withEndpoint(endpoint) : builder.withRegion(KafkaRegion.valueOf(region ?? ''))).build();
    clients.set(projectId, client);
  }
  return client;
}

interface EnableInput {
  project_id?: unknown;
  instance_id?: unknown;
  node_cnt?: unknown;
}

interface Enabled {
  job_id: string | undefined;
  connector_id: string | undefined;
}

class BadRequest extends Error {}

interface SdkError {
  httpStatusCode?: string | number;
  errorCode?: string;
  errorMsg?: string;
  requestId?: string;
}

async function enable(input: EnableInput): Promise<Enabled> {
  const { project_id: projectId, instance_id: instanceId, node_cnt: nodeCnt = 2 } = input;
  if (typeof projectId !== 'string' || !PROJECT_ID.test(projectId)) throw new BadRequest('project_id must be 32 hex characters');
  if (typeof instanceId !== 'string' || !INSTANCE_ID.test(instanceId)) throw new BadRequest('instance_id must be a UUID');
  const nodes = Number(nodeCnt);
  if (!Number.isInteger(nodes) || nodes < 2) throw new BadRequest('node_cnt must be an integer >= 2');
  const request = new CreateConnectorRequest().withInstanceId(instanceId).withBody(new CreateConnectorReq().withNodeCnt(nodes));
  // The typings promise a model class with getters; at run time it is the parsed JSON.
  const answer = (await clientFor(projectId).createConnector(request)) as unknown as Record<string, unknown>;
  return { job_id: stringOrUndefined(answer['job_id']), connector_id: stringOrUndefined(answer['connector_id']) };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function json(statusCode: number, body: object): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function errorAnswer(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (error instanceof BadRequest) return json(400, { error_code: 'INVALID_REQUEST', error_msg: error.message });
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  const status = Number(sdk.httpStatusCode) || 502;
  return json(status, {
    error_code: sdk.errorCode ?? 'UPSTREAM_ERROR',
    error_msg: sdk.errorMsg ?? (error instanceof Error ? error.message : String(error)),
    request_id: sdk.requestId,
  });
}

function parseBody(event: APIGatewayProxyEventV2): EnableInput {
  if (!event.body) return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequest('the body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('the body must be a JSON object');
  return body as EnableInput;
}

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    const body = parseBody(event);
    const { job_id, connector_id } = await enable({
      ...body,
      project_id: event.pathParameters?.project_id,
      instance_id: event.pathParameters?.instance_id,
    });
    return json(202, { status: 'accepted', job_id, connector_id });
  } catch (error) {
    return errorAnswer(error);
  }
}

export async function queueHandler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failed: string[] = [];
  await Promise.all(
    event.Records.map(async (record) => {
      try {
        await enable(JSON.parse(record.body) as EnableInput);
      } catch {
        failed.push(record.messageId);
      }
    }),
  );
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}
