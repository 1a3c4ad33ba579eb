/**
 * JSON Schema -> fast-check arbitrary, for the subset the Ordo document uses: const, enum,
 * anyOf/oneOf, type (or a list of types), string formats and patterns, integer bounds, arrays,
 * objects with properties, required keys and pattern-keyed records. Strings now and then carry
 * text PostgreSQL cannot store, so the generated requests are not all polite.
 */
import fc from 'fast-check';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON Schema is read field by field
type Schema = any;

const hostileChar = fc.constantFrom('\u0000', '\ud800', '\u202e', '"', '\\', '🙂', 'é');
const text = (min: number, max: number) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.oneof(fc.string({ minLength: 1, maxLength: 1 }), hostileChar), minLength: Math.max(min, 1), maxLength: Math.max(max, 1) }) },
  );

function stringOf(s: Schema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, Math.max(min, 40));
  switch (s.format) {
    case 'uuid': return fc.uuid();
    case 'date-time': return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'email': return fc.emailAddress().filter((e) => e.length <= (s.maxLength ?? 320));
    case 'uri': return fc.webUrl().filter((u) => u.length <= (s.maxLength ?? 2000));
    default:
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= min && v.length <= (s.maxLength ?? Infinity));
      return text(min, max);
  }
}

function integerOf(s: Schema): fc.Arbitrary<number> {
  const min = s.minimum ?? -1_000_000;
  const max = s.maximum ?? 1_000_000;
  // Small values find the interesting answers; the whole range finds the edges.
  return fc.oneof({ weight: 3, arbitrary: fc.integer({ min, max: Math.min(max, min + 50) }) }, { weight: 1, arbitrary: fc.integer({ min, max }) });
}

function objectOf(s: Schema, depth: number): fc.Arbitrary<unknown> {
  const props: Record<string, Schema> = s.properties ?? {};
  if (Object.keys(props).length === 0 && (s.patternProperties || typeof s.additionalProperties === 'object')) {
    const [pattern, value] = s.patternProperties ? Object.entries(s.patternProperties)[0]! : [undefined, s.additionalProperties];
    const key = pattern ? fc.stringMatching(new RegExp(pattern as string)) : fc.string({ maxLength: 12 });
    return fc.dictionary(key, arbitraryOf(value, depth + 1), { minKeys: s.minProperties ?? 0, maxKeys: 3 });
  }
  const record = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arbitraryOf(v, depth + 1)]));
  return fc.record(record, { requiredKeys: (s.required ?? []).filter((k: string) => k in props) });
}

export function arbitraryOf(s: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (s === undefined || s === true || depth > 6) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum);
  const union = s.anyOf ?? s.oneOf;
  if (Array.isArray(union)) return fc.oneof(...union.map((u: Schema) => arbitraryOf(u, depth)));
  if (Array.isArray(s.type)) return fc.oneof(...s.type.map((type: string) => arbitraryOf({ ...s, type }, depth)));
  switch (s.type) {
    case 'string': return stringOf(s);
    case 'integer': return integerOf(s);
    case 'number': return fc.double({ noNaN: true, noDefaultInfinity: true, min: s.minimum, max: s.maximum });
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'array': {
      const min = s.minItems ?? 0;
      return fc.array(arbitraryOf(s.items, depth + 1), { minLength: min, maxLength: Math.min(s.maxItems ?? 3, Math.max(min, 3)) });
    }
    case 'object': return objectOf(s, depth);
    default: return fc.jsonValue({ maxDepth: 2 });
  }
}
