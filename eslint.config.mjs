// ESLint for the library and its tests: typescript-eslint with type information, and the Lit,
// web-component and Lit accessibility rules. `npm run lint` must report zero warnings.
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import litA11y from 'eslint-plugin-lit-a11y';

/**
 * A flat config a plugin ships. The plugins type `configs` loosely (legacy or flat, maybe absent),
 * so this checks it is there and says which one is missing otherwise.
 * @param {import('eslint').ESLint.Plugin} plugin
 * @param {string} name
 * @returns {import('eslint').Linter.Config}
 */
function flatConfig(plugin, name) {
  const config = plugin.configs?.[name];
  if (!config || Array.isArray(config) || 'extends' in config)
    throw new Error(`eslint.config.mjs: the plugin has no flat config "${name}"`);
  return /** @type {import('eslint').Linter.Config} */ (config);
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'server/**',
      'node_modules/**',
      'bench/**',
      'scripts/**',
      'demo/**',
      '*.config.*',
      'custom-elements.json',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  flatConfig(lit, 'flat/recommended'),
  flatConfig(wc, 'flat/recommended'),
  flatConfig(wc, 'flat/best-practice'),
  litA11y.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Lit binds `@event=${this.handleX}` to the element itself; the rule cannot see that.
      '@typescript-eslint/unbound-method': 'off',
      // Misfires here: applying its fixes removed casts the type-checker needs (9 tsc errors).
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // User content is turned into HTML in one module only (src/content/markdown.ts).
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'lit/directives/unsafe-html.js',
              message: 'Render user content through src/content/markdown.ts only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/content/post-body.ts', 'src/components/composer/editor.ts'],
    // These render the output of src/content/markdown.ts (marked → DOMPurify), and nothing else.
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // @open-wc/testing types chai's Assertion as thenable: every expect() would need a void.
      '@typescript-eslint/no-floating-promises': 'off',
      // Tests reach into elements and fake adapters, and write async callbacks for uniformity.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      // fetch fakes read `String(input)` of a RequestInfo, and fake failures reject with anything.
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
);
