// The least a function on the product card can do for the same call, written as plainly as the card
// allows: @middy/core with @middy/http-json-body-parser, valibot for the path and the body, the
// request signed as Huawei's SDK signs it (our signer: tests/contract holds it to Huawei's own), sent
// with ky over our node:http transport (the one place our client departs from ky as it comes, taken
// here too). Nothing else: no redaction, deadline, credentials gate, retries, metrics, error
// catalogue, checked config, callback or tracking. Ours against this is what those cost at a cold
// start; this against the floor is what the card's libraries cost. Bundled by bench/run.mjs with our
// functions' esbuild options.
import middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import ky from 'ky';
import * as v from 'valibot';
import { nodeTransport, signRequest, transportedText, type TransportOptions } from '../shared/huawei/index.ts';

const endpoint = process.env.HUAWEICLOUD_DMS_ENDPOINT ?? '';
const credentials = { ak: process.env.HUAWEICLOUD_SDK_AK ?? '', sk: process.env.HUAWEICLOUD_SDK_SK ?? '' };

const CONNECTOR_PATH = /^\/v2\/([^/]+)\/instances\/([^/]+)\/connector$/;
const Path = v.object({ project_id: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/i)), instance_id: v.pipe(v.string(), v.uuid()) });
const Body = v.strictObject({
  node_cnt: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(16))),
  specification: v.optional(v.pipe(v.string(), v.maxLength(64))),
  spec_code: v.optional(v.pipe(v.string(), v.maxLength(64))),
});

type Event = Omit<APIGatewayProxyEventV2, 'body'> & { body?: unknown };

async function enable(event: Event): Promise<APIGatewayProxyStructuredResultV2> {
  const [, projectId, instanceId] = CONNECTOR_PATH.exec(event.rawPath) ?? [];
  const path = v.safeParse(Path, { project_id: projectId, instance_id: instanceId });
  const body = v.safeParse(Body, event.body ?? {});
  if (!path.success || !body.success) return { statusCode: 400, body: JSON.stringify({ error: 'bad request' }) };
  const url = new URL(`${endpoint}/v2/${path.output.project_id}/instances/${path.output.instance_id}/connector`);
  const payload = JSON.stringify(body.output);
  const headers = { 'content-type': 'application/json', 'x-project-id': path.output.project_id };
  const signed = signRequest({ method: 'POST', url, headers, body: payload }, credentials);
  const options = { method: 'post', fetch: nodeTransport as typeof fetch, payload, headers: { ...headers, ...signed }, retry: 0, throwHttpErrors: false };
  const response = await ky(url, options satisfies TransportOptions);
  const answer = transportedText(response) ?? '';
  return response.ok ? { statusCode: 202, body: answer } : { statusCode: 502, body: answer };
}

export const handler = middy<Event, APIGatewayProxyStructuredResultV2>(enable).use(httpJsonBodyParser({ disableContentTypeCheck: true }));
