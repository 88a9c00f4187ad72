// API Gateway HTTP API (payload 2.0; REST payload 1.0 tolerated), on Huawei's own path:
//   POST /v2/{project_id}/instances/{instance_id}/connector   enable Smart Connect
//   GET  /v2/{project_id}/instances/{instance_id}/connector   whether it is enabled
import middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { Context } from 'aws-lambda';
import { METHOD_NOT_ALLOWED } from '../shared/errors/index.ts';
import { quote } from '../shared/runtime/index.ts';
import { startFunction, type FunctionHost } from './lambda.ts';
import { answersWithoutSecrets } from './middleware/answers-without-secrets.ts';
import { httpEventShape } from './middleware/http-event-shape.ts';
import { jsonBodyShape } from './middleware/json-body.ts';
import { jsonContentType } from './middleware/json-content-type.ts';
import { jsonErrors } from './middleware/json-errors.ts';
import { errorAnswer, type HttpAnswer } from './http/answers.ts';
import { enableOverHttp, type HttpEvent } from './http/enable-route.ts';
import { givenMethod, onlyFor, routeMethod } from './http/method.ts';
import { statusOverHttp } from './http/status-route.ts';

const ALLOW = 'GET, POST';

export function createHandler(host: FunctionHost = {}) {
  const started = startFunction('http', host);

  async function route(event: HttpEvent, context: Context): Promise<HttpAnswer> {
    switch (routeMethod(event)) {
      case 'POST':
        return enableOverHttp(event, context, started);
      case 'GET':
        return statusOverHttp(event, context, started);
      default: {
        const message = `${quote(givenMethod(event))} is not allowed; use ${ALLOW}`;
        return errorAnswer({ status: 405, requestId: event.requestContext.requestId, code: METHOD_NOT_ALLOWED, message, headers: { allow: ALLOW } });
      }
    }
  }

  // In order: errors as JSON; the event's shape before anything reads it; then, for a POST, the
  // content type (none means JSON; its header's name in any case) and the body.
  return started.invoked(
    answersWithoutSecrets(
      middy<HttpEvent, HttpAnswer>(route)
        .use(jsonErrors(started.loggerOf))
        .use(httpEventShape())
        .use(onlyFor('POST', jsonContentType()))
        .use(onlyFor('POST', jsonBodyShape()))
        .use(onlyFor('POST', httpJsonBodyParser({ disableContentTypeCheck: true }))),
      () => started.deployment.secrets(),
    ),
  );
}

export const handler = createHandler();
