import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, test } from 'vitest';
import { lintSpec } from '../../src/spec/lint.js';
import type { OpenApiDocument } from '../../src/spec/openapi-document.js';

const specPath = new URL('../../spec/openapi.yaml', import.meta.url).pathname;
const load = async () => (await SwaggerParser.dereference(specPath)) as unknown as OpenApiDocument;

describe('spec lint', () => {
  test('the authored spec keeps every rule', async () => {
    expect(lintSpec(await load())).toEqual([]);
  });

  test('every operation has an operationId, scopes, the request-id header and problem+json errors', async () => {
    const doc = await load();
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item)) {
        if (typeof op !== 'object' || !op || !('responses' in op)) continue;
        expect(op.operationId, `${method} ${path}`).toBeTruthy();
        expect(
          op.security?.flatMap((r: Record<string, string[]>) => Object.values(r).flat()).length,
          `${method} ${path} scopes`,
        ).toBeGreaterThan(0);
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          expect(response.headers?.['upvest-request-id']?.required, `${method} ${path} ${status}`).toBe(true);
          if (/^[45]/.test(status))
            expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
        }
      }
    }
  });

  test.for([
    [
      'missing operationId',
      (d: OpenApiDocument): unknown => delete d.paths!['/accounts/{account_id}/valuations']!.get!.operationId,
      '/paths/~1accounts~1{account_id}~1valuations/get',
      'no operationId',
    ],
    [
      'no scopes',
      (d: OpenApiDocument): unknown =>
        (d.paths!['/accounts/{account_id}/valuations']!.get!.security = [{ 'oauth-client-credentials': [] }]),
      '/paths/~1accounts~1{account_id}~1valuations/get/security',
      'no OAuth2 scope',
    ],
    [
      'error served as JSON',
      (d: OpenApiDocument): unknown =>
        (d.paths!['/accounts/{account_id}/valuations']!.get!.responses!['404'] = {
          description: 'x',
          headers: d.paths!['/accounts/{account_id}/valuations']!.get!.responses!['404'].headers,
          content: { 'application/json': { schema: { type: 'object' } } },
        }),
      '/paths/~1accounts~1{account_id}~1valuations/get/responses/404/content',
      'no application/problem+json body',
    ],
    [
      'duplicate operationId',
      (d: OpenApiDocument): unknown => (d.paths!['/accounts/{account_id}/valuations']!.get!.operationId = 'getCurrentAccountValuation'),
      '/paths/~1accounts~1{account_id}~1valuations/get/operationId',
      'already used',
    ],
  ] as const)('reports %s with its pointer', async ([, breakIt, pointer, message]) => {
    const doc = await load();
    breakIt(doc);
    const problems = lintSpec(doc);
    expect(
      problems.some((p) => p.pointer === pointer && p.message.includes(message)),
      JSON.stringify(problems),
    ).toBe(true);
  });
});
