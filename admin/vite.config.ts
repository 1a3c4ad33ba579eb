// The admin UI's build: a single-page app served by Ordo at /admin, built into ../dist/admin.
import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/admin/',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: path.resolve(import.meta.dirname, '../dist/admin'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    // Rolldown's report of slow plugins (Tailwind's one pass) is noise in `npm install` and `npm start`.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  // `npx vite admin` beside `npm start`: the API answers from the running server.
  server: { proxy: { '/v1': 'http://127.0.0.1:3000', '/openapi.json': 'http://127.0.0.1:3000' } },
});
