import { defineConfig, type Plugin } from 'vite';

/** `/` opens the demo, so `npm run demo` prints a URL that shows it. */
const openDemo: Plugin = {
  name: 'parley-demo-index',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      if (req.url === '/' || req.url === '/index.html') {
        res.statusCode = 302;
        res.setHeader('Location', '/demo/');
        res.end();
        return;
      }
      next();
    });
  },
};

export default defineConfig({
  plugins: [openDemo],
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1' },
});
