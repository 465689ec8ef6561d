import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

// `npm run build:web` writes web/dist, which the server serves at `/` (src/http/dashboard.ts).
// `npm run dev:web` proxies /api and /c to a server on :3000 for hot reloading.
export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', sourcemap: false, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': 'http://localhost:3000', '/c': 'http://localhost:3000' } },
});
