import { PROBLEM_CONTENT_TYPE } from '@vigil/contracts';
import { z } from 'zod';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One documented operation. `path` uses OpenAPI templates: `/v1/incidents/{id}`. */
export interface RouteDoc {
  method: Method;
  path: string;
  summary: string;
  /** The API-key scope it needs; omitted for public endpoints. */
  scope?: 'ingest' | 'respond' | 'read' | 'admin';
  query?: z.ZodObject;
  headers?: Record<string, { description: string; required?: boolean }>;
  body?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;

const ProblemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

/**
 * An OpenAPI 3.1 document built from the same zod schemas the handlers validate with,
 * so the document cannot drift from what the API accepts.
 *
 * @example
 * const document = openApiDocument({ title: 'Vigil producer', version: '0.1.0', routes });
 */
export function openApiDocument({
  title,
  version,
  description,
  routes,
}: {
  title: string;
  version: string;
  description?: string;
  routes: RouteDoc[];
}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters = [
      ...[...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
        name: match[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...Object.entries(route.query?.shape ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: !(schema as z.ZodType).safeParse(undefined).success,
        schema: jsonSchema(schema as z.ZodType, 'input'),
      })),
      ...Object.entries(route.headers ?? {}).map(([name, header]) => ({
        name,
        in: 'header',
        required: header.required ?? false,
        description: header.description,
        schema: { type: 'string' },
      })),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema && {
          content: {
            [response.contentType ?? 'application/json']: { schema: jsonSchema(response.schema, 'output') },
          },
        }),
      };
    }
    if (route.scope) {
      responses['401'] ??= {
        description: 'No API key, or an unknown or revoked one.',
        content: problemContent,
      };
      responses['403'] ??= {
        description: `The key lacks the "${route.scope}" scope.`,
        content: problemContent,
      };
    }
    if (route.body || route.query) {
      responses['400'] ??= {
        description: 'Invalid input; `errors` names the failing fields.',
        content: problemContent,
      };
    }
    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      summary: route.summary,
      ...(route.scope && { security: [{ bearer: [] }], 'x-vigil-scope': route.scope }),
      ...(parameters.length > 0 && { parameters }),
      ...(route.body && {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
        },
      }),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title, version, ...(description && { description }) },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A Vigil API key.' } },
      schemas: { Problem: ProblemSchema },
    },
  };
}

const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } };
