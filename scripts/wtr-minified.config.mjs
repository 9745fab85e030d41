// `npm run test:minified`: the whole browser suite with src/'s Lit templates minified as in
// dist/parley.js (scripts/minify-templates.mjs), so a minifier bug shows as a failing test of the
// behaviour it broke, not only in the bundle test.
import { minifyLitTemplates } from './minify-templates.mjs';
import base from '../web-test-runner.config.mjs';

const minifyTemplates = {
  name: 'parley-minify-lit-templates',
  transform(context) {
    if (!/^\/src\/.*\.ts$/.test(context.path)) return undefined;
    const result = minifyLitTemplates(context.body, context.path);
    return result ? { body: result.code } : undefined;
  },
};

export default { ...base, plugins: [minifyTemplates, ...base.plugins] };
