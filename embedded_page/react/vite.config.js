// Vite builds the React checkout into dist/, which embedded_page serves at /react (index.html)
// and /react/assets/ (the bundle). `make react` runs `npm ci && npm run build` here.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: '/react/',
  plugins: [react()],
  // The guide names its component file Checkout.js: let esbuild read JSX in .js files too.
  esbuild: { loader: 'jsx', include: /src\/.*\.jsx?$/, exclude: [] },
  optimizeDeps: { esbuildOptions: { loader: { '.js': 'jsx' } } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  // `npm run dev`: the page server (make page, port 4242) answers /config, /secret, /static, /order.
  server: {
    proxy: Object.fromEntries(
      ['/config', '/secret', '/static', '/order', '/payment'].map((path) => [
        path,
        'http://127.0.0.1:4242',
      ]),
    ),
  },
});
