import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const base: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false };

/**
 * Query strings and path parameters arrive as text and are coerced to their declared types; JSON
 * bodies are not, so `"name": 123` is a validation error rather than silently becoming "123".
 */
export function installValidators(app: FastifyInstance): void {
  const coercing = new Ajv({ ...base, coerceTypes: 'array' });
  const strict = new Ajv({ ...base, coerceTypes: false });
  for (const ajv of [coercing, strict]) addFormats.default(ajv);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
}
