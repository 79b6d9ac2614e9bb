import type { Attribute, ReceivedSpan } from '../otlp/received-span.ts';

/**
 * What never reaches the store. Spans come from any SDK, an agency system's included,
 * so the store does not trust them to be clean: attributes whose name says they carry a
 * secret or a letter's content are dropped, and text that looks like a token is masked
 * wherever it appears (attribute values, status messages, event attributes).
 */
const SECRET_KEY =
  /pass(word|wd)?|secret|token|authori[sz]ation|cookie|credential|api[._-]?key|private[._-]?key|session|variables|(^|[._])(subject|body|content|perihal|isi)($|[._])|attachment\.data|http\.request\.header|http\.response\.header/i;

const MASKS: [RegExp, string][] = [
  // JWTs (our access tokens, and anybody's).
  [/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[token]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [token]'],
  // graphql-js repeats a rejected value (a variable's, a literal's) in its messages: all of
  // what follows is dropped, as the value may be a letter's subject or a password.
  [/(got invalid value)[\s\S]*$/, '$1 [value]'],
  [/(cannot represent (?:a )?(?:non[- ][\w-]+ )?value)[\s\S]*$/i, '$1 [value]'],
  [/(Expected value of type )[\s\S]*$/, '$1[value]'],
  [/\bValue "[^"]*" does not exist/g, 'Value [value] does not exist'],
  // key=value / "key": "value" pairs whose key names a secret.
  [/((?:password|secret|token)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&}]+)/gi, '$1[redacted]'],
];

export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of MASKS) out = out.replace(pattern, replacement);
  return out;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function scrubAttributes(attributes: Attribute[]): Attribute[] {
  return attributes.filter((a) => !isSecretKey(a.key)).map((a) => ({ key: a.key, value: scrubText(a.value).slice(0, 4_000) }));
}

export function scrubSpan(span: ReceivedSpan): ReceivedSpan {
  return {
    ...span,
    name: scrubText(span.name).slice(0, 500),
    statusMessage: span.statusMessage === null ? null : scrubText(span.statusMessage).slice(0, 2_000),
    attributes: scrubAttributes(span.attributes),
    events: span.events.map((e) => ({ ...e, name: scrubText(e.name).slice(0, 500), attributes: scrubAttributes(e.attributes) })),
  };
}
