// The staff web app (src/web): `npm run build` writes dist/web, which the server serves at `/`
// (src/server/http/static.ts); `npm run dev` runs this config's dev server with hot reload,
// proxying /api to the API server (src/server/http/dev.ts).
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiPort = process.env.RELEASE_DESK_DEV_API_PORT ?? '3000';

export default defineConfig({
  root: path.resolve(import.meta.dirname, 'src/web'),
  base: '/',
  plugins: [react()],
  // src/server/http/web-build.ts builds beside dist/web (--outDir) and swaps the result in whole.
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    host: '127.0.0.1',
    port: Number(process.env.RELEASE_DESK_DEV_WEB_PORT ?? 5173),
    strictPort: false,
    proxy: { '/api': { target: `http://127.0.0.1:${apiPort}`, changeOrigin: false } },
  },
  clearScreen: false,
  logLevel: process.env.RELEASE_DESK_WEB_BUILD_QUIET === 'true' ? 'warn' : 'info',
});
