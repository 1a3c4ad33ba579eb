// `npm start`: serve from the compiled build. The build is made at `npm install` (prepare); it is
// made again here only when a source file is newer than it, so a normal start compiles nothing.
import console from 'node:console';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { buildIfStale, startEntry } from './build-if-stale.mjs';
import { buildAdminIfStale } from './build-admin-if-stale.mjs';

try {
  buildIfStale((line) => console.log(line));
  buildAdminIfStale((line) => console.log(line));
} catch (err) {
  console.error(`ordo: ${err.message}`);
  process.exit(1);
}
const main = startEntry();
process.argv = [process.argv[0], main, 'serve', ...process.argv.slice(2)];
await import(pathToFileURL(main).href);
