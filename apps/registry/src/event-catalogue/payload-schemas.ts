import { Ajv, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * JSON Schemas of event payloads, checked with Ajv. A schema is refused when it is not
 * a valid JSON Schema, when it uses a keyword or format Ajv does not know (strict mode:
 * a typo such as `requird` would otherwise silently validate nothing), when it points
 * at a schema outside itself, or when it does not describe an object: an event's
 * `data` is always an object.
 */
const MAX_SCHEMA_BYTES = 64 * 1024;
const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';

// ajv-formats is CommonJS; its default export arrives as the module or as its `default`.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

function newAjv(kind: 'draft-07' | '2020-12'): Ajv {
  const options = { strict: true, allErrors: true, validateSchema: true, addUsedSchema: false } as const;
  const ajv = kind === '2020-12' ? (new Ajv2020(options) as unknown as Ajv) : new Ajv(options);
  return addFormats(ajv);
}

const engines = { 'draft-07': newAjv('draft-07'), '2020-12': newAjv('2020-12') };

export type SchemaCheck = { ok: true; schema: Record<string, unknown> } | { ok: false; reason: string };

/** Parses and checks a declared schema (JSON text). */
export function checkPayloadSchema(text: string): SchemaCheck {
  if (Buffer.byteLength(text, 'utf8') > MAX_SCHEMA_BYTES) return { ok: false, reason: `is larger than ${MAX_SCHEMA_BYTES} bytes` };
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `is not JSON: ${(error as Error).message}` };
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return { ok: false, reason: 'must be a JSON object (a JSON Schema)' };
  const record = schema as Record<string, unknown>;
  if (record.type !== 'object') return { ok: false, reason: 'must describe an object ("type": "object"): an event\'s data is always an object' };
  const engine = engineFor(record);
  if (!engine.ok) return engine;
  try {
    engine.ajv.compile(record as AnySchema);
  } catch (error) {
    return { ok: false, reason: `is not a valid JSON Schema: ${(error as Error).message}` };
  }
  return { ok: true, schema: record };
}

function engineFor(schema: Record<string, unknown>): { ok: true; ajv: Ajv } | { ok: false; reason: string } {
  const declared = schema.$schema;
  if (declared === undefined || declared === DRAFT_2020 || declared === `${DRAFT_2020}#`) return { ok: true, ajv: engines['2020-12'] };
  if (declared === DRAFT_07 || declared === DRAFT_07.slice(0, -1)) return { ok: true, ajv: engines['draft-07'] };
  return { ok: false, reason: `uses "$schema": ${JSON.stringify(declared)}; only JSON Schema draft 2020-12 (the default) and draft-07 are supported` };
}

export type PayloadCheck = { ok: true } | { ok: false; reason: string };

/**
 * Compiled validators, one per event type version (versions never change once declared,
 * so a compiled validator is never stale).
 */
export class PayloadValidators {
  private readonly compiled = new Map<string, ValidateFunction>();

  validate(key: string, schema: unknown, data: unknown): PayloadCheck {
    let validate = this.compiled.get(key);
    if (!validate) {
      const record = schema as Record<string, unknown>;
      const engine = engineFor(record);
      if (!engine.ok) return { ok: false, reason: `the declared schema ${engine.reason}` };
      validate = engine.ajv.compile(record as AnySchema);
      this.compiled.set(key, validate);
    }
    if (validate(data)) return { ok: true };
    return { ok: false, reason: describeErrors(validate.errors ?? []) };
  }
}

/** Ajv's errors as one sentence a publisher can act on: `data/amount must be integer; data must have required property 'nip'`. */
export function describeErrors(errors: readonly ErrorObject[]): string {
  return errors
    .slice(0, 5)
    .map(
      (e) =>
        `data${e.instancePath} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` ('${String((e.params as { additionalProperty?: string }).additionalProperty)}')` : ''}`,
    )
    .join('; ');
}
