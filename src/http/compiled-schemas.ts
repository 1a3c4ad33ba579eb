/**
 * Route schemas compiled ahead of time. Building the server has Fastify compile a validator (Ajv)
 * and a serializer (fast-json-stringify) for the schemas of every route: about a second of CPU at
 * each start. `npm run build` records the code the compilers generate (`writeCompiledSchemas`, run
 * by scripts/build-startup.mjs) in dist/http/compiled-schemas/, a file per schema named by a hash
 * of the schema and the compiler options, and an index naming the compilers' versions. A start
 * looks each schema up there and loads its file when a request first needs it. A schema changed
 * since the build, other compiler versions, or no directory (the tests, run from the sources): the
 * schema is compiled here, as Fastify does by default.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyServerOptions } from 'fastify';
import type { Ordo } from '../engine/ordo.js';

export type SchemaCompilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/** Beside this module in dist/; never in src/, so the tests compile at run time. */
export const COMPILED_SCHEMAS_DIR = fileURLToPath(new URL('./compiled-schemas', import.meta.url));
const INDEX = 'index.json';

interface Index {
  readonly toolchain: string;
  readonly validators: readonly string[];
  readonly serializers: readonly string[];
}

/** The generated code of one function, as the body of a CommonJS module. */
type ModuleBody = (require: NodeJS.Require, module: { exports: unknown }, exports: unknown) => void;
type Compiled = ((...args: unknown[]) => unknown) & { errors?: unknown };
interface RouteSchema { schema: unknown; httpPart?: string }
type Compile = (route: RouteSchema) => Compiled;
type Builder = (externalSchemas: unknown, options?: Record<string, unknown>) => Compile;

const here = createRequire(import.meta.url);
// The compilers Fastify itself uses, resolved from where Fastify is installed, and the places their
// generated code requires its run-time helpers from (ajv, ajv-formats, fast-json-stringify).
const fromFastify = createRequire(here.resolve('fastify'));
const fromAjvCompiler = createRequire(fromFastify.resolve('@fastify/ajv-compiler'));
const fromFjsCompiler = createRequire(fromFastify.resolve('@fastify/fast-json-stringify-compiler'));
const fromFjs = createRequire(fromFjsCompiler.resolve('fast-json-stringify'));

/** The versions that generated code depends on: any other, and none of it is used. */
function toolchain(): string {
  const version = (req: NodeJS.Require, name: string) => (req(`${name}/package.json`) as { version: string }).version;
  return [
    `fastify@${version(here, 'fastify')}`,
    `@fastify/ajv-compiler@${version(fromFastify, '@fastify/ajv-compiler')}`,
    `ajv@${version(fromAjvCompiler, 'ajv')}`,
    `ajv-formats@${version(fromAjvCompiler, 'ajv-formats')}`,
    `@fastify/fast-json-stringify-compiler@${version(fromFastify, '@fastify/fast-json-stringify-compiler')}`,
    `fast-json-stringify@${version(fromFjsCompiler, 'fast-json-stringify')}`,
    `fjs:ajv@${version(fromFjs, 'ajv')}`,
    `fjs:ajv-formats@${version(fromFjs, 'ajv-formats')}`,
  ].join(' ');
}

interface Kind {
  readonly name: 'validators' | 'serializers';
  /** Fastify's default builder (a new pool of compilers). */
  readonly fallback: () => Builder;
  /** A builder whose compile returns the function and hands its standalone code to `store`. */
  readonly standalone: (store: (route: RouteSchema, code: string) => void) => Builder;
  /** Where the generated code's require() looks. */
  readonly from: NodeJS.Require;
}

const VALIDATORS: Kind = {
  name: 'validators',
  fallback: () => (fromFastify('@fastify/ajv-compiler') as () => Builder)(),
  standalone: (store) => (fromFastify('@fastify/ajv-compiler') as { StandaloneValidator: (o: object) => Builder }).StandaloneValidator({ readMode: false, storeFunction: store }),
  from: fromAjvCompiler,
};

const SERIALIZERS: Kind = {
  name: 'serializers',
  fallback: () => (fromFastify('@fastify/fast-json-stringify-compiler') as { SerializerSelector: () => Builder }).SerializerSelector(),
  standalone: (store) => {
    const make = (fromFastify('@fastify/fast-json-stringify-compiler') as { StandaloneSerializer: (o: object) => Builder }).StandaloneSerializer({ readMode: false, storeFunction: store });
    // The validators a serializer uses to pick a branch (anyOf) go into its code too, rather than compiled when loaded.
    return (externalSchemas, options) => make(externalSchemas, { ...options, inlineValidators: true });
  },
  from: fromFjs,
};

const fileOf = (dir: string, kind: Kind, key: string) => path.join(dir, `${kind.name}-${key}.cjs`);

const hash = (text: string) => createHash('sha256').update(text).digest('base64url');

/** Options JSON cannot key (Ajv plugins, an onCreate hook): every schema is then compiled here. */
const keyable = (options: Record<string, unknown> | undefined) =>
  !options || ((!Array.isArray(options.plugins) || options.plugins.length === 0) && options.onCreate === undefined);

/** Fastify lower-cases header names only for its own compiler; Ordo's header schemas are flat objects. */
function lowerCaseHeaderNames(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as { properties?: Record<string, unknown>; required?: unknown };
  return {
    ...s,
    ...(s.properties ? { properties: Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k.toLowerCase(), v])) } : {}),
    ...(Array.isArray(s.required) ? { required: s.required.map((k: unknown) => (typeof k === 'string' ? k.toLowerCase() : k)) } : {}),
  };
}

/** Runs a module body, its require() resolving where its compiler's does. */
function run(body: ModuleBody, kind: Kind): Compiled {
  const module = { exports: {} as unknown };
  body(kind.from, module, module.exports);
  return module.exports as Compiled;
}

/** Stands in for the function `get` makes, which it makes on the first call. */
function onFirstCall(get: () => Compiled): Compiled {
  let fn: Compiled | undefined;
  const lazy: Compiled = function (this: unknown, ...args: unknown[]) {
    fn ??= get();
    const result = fn.apply(this, args);
    // Fastify reads a failed validation's errors from the function it holds.
    lazy.errors = fn.errors;
    return result;
  };
  return lazy;
}

export interface CompileCounts { precompiled: number; compiledHere: number }

interface Source {
  readonly dir: string;
  readonly keys: Record<Kind['name'], ReadonlySet<string>>;
}

/** The code recorded so far, by kind and key: what `writeCompiledSchemas` saves. */
type Recorded = Record<Kind['name'], Map<string, string>>;

function builder(kind: Kind, counts: CompileCounts, source: Source | undefined, recorded?: Recorded): Builder {
  let pool: Builder | undefined;
  return (externalSchemas, options) => {
    // Fastify keeps `options` (its `ajv` or `serializerOpts`) and hands them to each builder; they are part of the key.
    const base = JSON.stringify([options ?? null, externalSchemas ?? null]);
    const keyOf = (schema: unknown) => hash(`${kind.name} ${base} ${JSON.stringify(schema)}`);
    const usable = keyable(options);
    let fallback: Compile | undefined;
    let recording: Compile | undefined;
    const compileHere = (route: RouteSchema) => {
      fallback ??= (pool ??= kind.fallback())(externalSchemas, options);
      return fallback(route);
    };
    return (asked) => {
      const route = kind === VALIDATORS && asked.httpPart === 'headers' ? { ...asked, schema: lowerCaseHeaderNames(asked.schema) } : asked;
      if (recorded && usable) {
        recording ??= kind.standalone((r, code) => recorded[kind.name].set(keyOf(r.schema), code))(externalSchemas, { ...options });
        recording(route);
        // Served by the code just recorded, so that the build proves it runs.
        return run(new Function('require', 'module', 'exports', recorded[kind.name].get(keyOf(route.schema))!) as ModuleBody, kind);
      }
      const key = usable && source ? keyOf(route.schema) : undefined;
      if (key === undefined || !source?.keys[kind.name].has(key)) {
        counts.compiledHere++;
        return compileHere(route);
      }
      counts.precompiled++;
      return onFirstCall(() => {
        try {
          return run(here(fileOf(source.dir, kind, key)) as ModuleBody, kind);
        } catch {
          return compileHere(route); // its file gone since the start: compiled now instead
        }
      });
    };
  };
}

/** The keys `npm run build` compiled, if it used these very compiler versions. */
function readIndex(dir: string): Source | undefined {
  try {
    const index = JSON.parse(readFileSync(path.join(dir, INDEX), 'utf8')) as Index;
    if (index.toolchain !== toolchain()) return undefined;
    return { dir, keys: { validators: new Set(index.validators), serializers: new Set(index.serializers) } };
  } catch {
    return undefined; // none (run from the sources) or unreadable: every schema is compiled here
  }
}

/** Fastify's compilers, served from the build's compiled code where it has the schema; with how many were which. */
export function precompiledSchemas(dir = COMPILED_SCHEMAS_DIR): SchemaCompilers & { readonly counts: CompileCounts } {
  const source = readIndex(dir);
  const counts = { precompiled: 0, compiledHere: 0 };
  return {
    buildValidator: builder(VALIDATORS, counts, source) as unknown as SchemaCompilers['buildValidator'],
    buildSerializer: builder(SERIALIZERS, counts, source) as unknown as SchemaCompilers['buildSerializer'],
    counts,
  };
}

/** Compilers that record each schema's code, and a function that writes what they recorded. */
export function recordingSchemas(): { compilers: SchemaCompilers; write: (dir?: string) => Promise<{ validators: number; serializers: number }> } {
  const recorded: Recorded = { validators: new Map(), serializers: new Map() };
  const counts = { precompiled: 0, compiledHere: 0 };
  return {
    compilers: {
      buildValidator: builder(VALIDATORS, counts, undefined, recorded) as unknown as SchemaCompilers['buildValidator'],
      buildSerializer: builder(SERIALIZERS, counts, undefined, recorded) as unknown as SchemaCompilers['buildSerializer'],
    },
    write: async (dir = COMPILED_SCHEMAS_DIR) => {
      // Made aside and then put in place, so that a start never reads half of it.
      const temp = `${dir}.${process.pid}.tmp`;
      await rm(temp, { recursive: true, force: true });
      await mkdir(temp, { recursive: true });
      for (const kind of [VALIDATORS, SERIALIZERS]) {
        for (const [key, code] of recorded[kind.name]) await writeFile(fileOf(temp, kind, key), `'use strict';\nmodule.exports = function (require, module, exports) {\n${code}\n};\n`);
      }
      const index: Index = { toolchain: toolchain(), validators: [...recorded.validators.keys()], serializers: [...recorded.serializers.keys()] };
      await writeFile(path.join(temp, INDEX), `${JSON.stringify(index, null, 1)}\n`);
      await rm(dir, { recursive: true, force: true });
      // Another build may have put its own (the same) in place meanwhile: then that one stays.
      await rename(temp, dir).catch(() => rm(temp, { recursive: true, force: true }));
      return { validators: recorded.validators.size, serializers: recorded.serializers.size };
    },
  };
}

/**
 * What `npm run build` runs: builds the server as `ordo serve` does (with the test clock's route
 * too) on an Ordo that is never called, and writes the code of every schema compiled on the way.
 */
export async function writeCompiledSchemas(dir = COMPILED_SCHEMAS_DIR): Promise<{ validators: number; serializers: number }> {
  const [{ buildServer }, { ManualClock }] = await Promise.all([import('./server.js'), import('../engine/clock.js')]);
  // Building the routes reads only these; the rest would serve requests, and none is made.
  const ordo = { clock: new ManualClock(), access: { enforcePrices: false, simulation: true, corsOrigins: [], rateLimitPerMinute: 300 } };
  const recording = recordingSchemas();
  const app = await buildServer(ordo as unknown as Ordo, { schemaCompilers: recording.compilers });
  await app.close();
  return recording.write(dir);
}
