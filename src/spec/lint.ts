/**
 * The project's own rules for the authored spec, beyond what OpenAPI 3.1 itself requires.
 * Run by the generator (a broken rule stops generation) and by the spec lint test.
 * Works on the dereferenced document.
 */
import { operationsOf, pointerSegment, type OpenApiDocument } from './openapi-document.js';

export type { OpenApiDocument } from './openapi-document.js';

export interface LintProblem {
  pointer: string;
  message: string;
}

export const REQUEST_ID_HEADER = 'upvest-request-id';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const JSON_CONTENT_TYPE = 'application/json';

export function lintSpec(doc: OpenApiDocument): LintProblem[] {
  const problems: LintProblem[] = [];
  const seenIds = new Map<string, string>();
  if (!doc.openapi.startsWith('3.1')) problems.push({ pointer: '/openapi', message: `must be 3.1.x, found ${doc.openapi}` });

  const checkOperationId = (id: string | undefined, pointer: string) => {
    if (!id) {
      problems.push({ pointer, message: 'operation has no operationId' });
      return;
    }
    const previous = seenIds.get(id);
    if (previous) problems.push({ pointer: `${pointer}/operationId`, message: `operationId "${id}" is already used at ${previous}` });
    seenIds.set(id, pointer);
  };

  for (const { operation, pointer } of operationsOf(doc.paths, '/paths')) {
    checkOperationId(operation.operationId, pointer);
    const security = operation.security ?? doc.security ?? [];
    const scopes = security.flatMap((requirement) => Object.values(requirement).flat());
    if (scopes.length === 0) problems.push({ pointer: `${pointer}/security`, message: 'operation names no OAuth2 scope' });
    const responses = Object.entries(operation.responses ?? {});
    if (!responses.some(([status]) => status.startsWith('2')))
      problems.push({ pointer: `${pointer}/responses`, message: 'no success response' });
    for (const [status, response] of responses) {
      const at = `${pointer}/responses/${pointerSegment(status)}`;
      const header = response.headers?.[REQUEST_ID_HEADER];
      if (!header) problems.push({ pointer: `${at}/headers`, message: `response does not document the ${REQUEST_ID_HEADER} header` });
      else if (!header.required)
        problems.push({ pointer: `${at}/headers/${REQUEST_ID_HEADER}`, message: `${REQUEST_ID_HEADER} must be required` });
      else if (header.schema?.format !== 'uuid')
        problems.push({ pointer: `${at}/headers/${REQUEST_ID_HEADER}`, message: `${REQUEST_ID_HEADER} must be a uuid` });
      const contentTypes = Object.keys(response.content ?? {});
      if (/^[45]/.test(status)) {
        if (!response.content?.[PROBLEM_CONTENT_TYPE]?.schema)
          problems.push({ pointer: `${at}/content`, message: `error response has no ${PROBLEM_CONTENT_TYPE} body` });
        const other = contentTypes.filter((type) => type !== PROBLEM_CONTENT_TYPE);
        if (other.length > 0)
          problems.push({ pointer: `${at}/content`, message: `error response documents other content types: ${other.join(', ')}` });
        const required = response.content?.[PROBLEM_CONTENT_TYPE]?.schema?.required;
        if (!Array.isArray(required) || !required.includes('type') || !required.includes('status')) {
          problems.push({
            pointer: `${at}/content/${pointerSegment(PROBLEM_CONTENT_TYPE)}/schema`,
            message: 'a problem document requires type and status',
          });
        }
      } else if (status.startsWith('2') && !response.content?.[JSON_CONTENT_TYPE]?.schema) {
        problems.push({ pointer: `${at}/content`, message: `success response has no ${JSON_CONTENT_TYPE} body` });
      }
    }
    const pagination = operation['x-pagination'];
    if (pagination) {
      const params = new Set((operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
      for (const name of ['offset', 'limit', 'sort', 'order']) {
        if (!params.has(name))
          problems.push({ pointer: `${pointer}/parameters`, message: `paginated operation lacks the ${name} query parameter` });
      }
      if (pagination.dateFilter) {
        for (const name of [pagination.dateFilter.start, pagination.dateFilter.end]) {
          if (!params.has(name))
            problems.push({
              pointer: `${pointer}/x-pagination/dateFilter`,
              message: `names query parameter ${name}, which the operation lacks`,
            });
        }
      }
    }
    for (const [index, identity] of (operation['x-resource-identity'] ?? []).entries()) {
      if (!(operation.parameters ?? []).some((p) => p.in === 'path' && p.name === identity.parameter)) {
        problems.push({
          pointer: `${pointer}/x-resource-identity/${index}`,
          message: `names path parameter ${identity.parameter}, which the operation lacks`,
        });
      }
    }
  }

  for (const { operation, pointer } of operationsOf(doc.webhooks, '/webhooks')) {
    checkOperationId(operation.operationId, pointer);
    const schema = operation.requestBody?.content?.[JSON_CONTENT_TYPE]?.schema;
    if (!schema) {
      problems.push({ pointer: `${pointer}/requestBody`, message: 'webhook has no application/json event schema' });
      continue;
    }
    const type = (schema.properties as Record<string, { enum?: unknown[] }> | undefined)?.type;
    if (!Array.isArray(type?.enum) || type.enum.length === 0) {
      problems.push({ pointer: `${pointer}/requestBody`, message: 'webhook event schema has no `type` enum of event types' });
    }
  }
  return problems;
}
