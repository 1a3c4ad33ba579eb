// What the build makes after tsc, so that `npm start` need not do it at every start: the route
// schemas' validators and serializers, compiled (src/http/compiled-schemas.ts), and Ordo's own
// modules in one file (dist/cli/main.bundle.js). Run by `npm run build` and by the rebuild
// `npm start` makes when the sources changed (build-if-stale.mjs).
import console from 'node:console';
import { readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
export const bundleFile = path.join(dist, 'cli', 'main.bundle.js');

/** Whether Node loads this file as CommonJS: .cjs, or .js in a package that does not say "type": "module". */
function isCommonJs(file) {
  if (file.endsWith('.cjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    let json;
    try {
      json = JSON.parse(readFileSync(manifest, 'utf8'));
    } catch {
      continue;
    }
    return json.type !== 'module';
  }
  return true;
}

/** Written whole or not at all: a start reading it meanwhile sees the old file or the new one. */
async function writeAtomically(file, contents) {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, contents);
  await rename(temp, file);
}

/**
 * Ordo's ~200 modules (and TypeBox's ~700) cost more to find, read and link one by one than to
 * run: as one file the start spends about 0.3 s less CPU. Other packages stay where they are:
 * several find files of their own beside their code. Without esbuild (installed with the dev
 * dependencies) there is no bundle, and `npm start` runs dist/cli/main.js.
 */
async function bundle() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    console.warn('ordo: esbuild is not installed; npm start runs the build module by module');
    return false;
  }
  const out = path.dirname(bundleFile);
  // TypeBox (pure code) goes in. Other packages stay in node_modules; those written as CommonJS
  // are loaded with require(): imported from an ES module, Node 20 first scans every one of
  // their files for its exports, which cost about 0.3 s more CPU. ES-module packages and the
  // dynamic imports (loaded only when needed) stay imports.
  const fromDist = createRequire(path.join(dist, 'cli', 'main.js'));
  const packages = {
    name: 'packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path === 'typebox' || args.path.startsWith('typebox/')) return undefined;
        if (args.kind === 'import-statement' && !isBuiltin(args.path) && isCommonJs(fromDist.resolve(args.path))) return { path: args.path, namespace: 'require' };
        return { path: args.path, external: true };
      });
      build.onLoad({ filter: /.*/, namespace: 'require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
    },
  };
  // Each module's import.meta.url stays its own file's, from wherever the bundle runs.
  const ownUrls = {
    name: 'own-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!args.path.startsWith(dist + path.sep)) return undefined;
        const relative = path.relative(out, args.path).split(path.sep).join('/');
        const contents = (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`);
        // Anything else of import.meta (dirname, resolve) would speak of the bundle's place: no bundle then.
        if (/import\.meta(?!\.url)/.test(contents.replaceAll('import.meta.url', ''))) return { errors: [{ text: `${relative} uses import.meta beyond import.meta.url` }] };
        return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
  const result = await esbuild.build({
    entryPoints: [path.join(dist, 'cli', 'main.js')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [packages, ownUrls],
    // The bundle's require(), for the packages above: resolved from dist/cli, as the modules' own imports were.
    banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
    sourcemap: 'linked',
    outfile: bundleFile,
    write: false,
    logLevel: 'warning',
  });
  for (const file of result.outputFiles) await writeAtomically(file.path, file.contents);
  return true;
}

/** The compiled schemas, from the modules tsc wrote (the bundle holds the same schemas, so the same keys). */
async function compileSchemas() {
  const { writeCompiledSchemas } = await import(pathToFileURL(path.join(dist, 'http', 'compiled-schemas.js')).href);
  return writeCompiledSchemas();
}

export async function buildStartup() {
  // Without a bundle `npm start` still works, module by module: not a reason to fail the build.
  const bundled = await bundle().catch((err) => {
    console.warn(`ordo: no bundle made (npm start runs the build module by module): ${err.message.split('\n')[0]}`);
    return false;
  });
  // Last: compiled schemas newer than dist/cli/main.js say that this step is done (build-if-stale.mjs).
  return { ...(await compileSchemas()), bundled };
}

// Quiet when it succeeds, as tsc is: `npm run build` runs it, and so does `npm install`.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildStartup();
