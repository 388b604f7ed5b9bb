// ESLint with typescript-eslint's type-aware rules over the sources, scripts and tests.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-output/**',
      'bench-results/**',
      '.tap/**',
      'examples/playwright/**',
      'server/storefront/pages/assets/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.tests.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_name` marks a parameter a signature needs but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Fastify route handlers and hooks are async by contract, whether or not they await.
      '@typescript-eslint/require-await': 'off',
      // The mock escapes, refuses and tests control characters on purpose.
      'no-control-regex': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // tap awaits the subtests it is handed, and its callbacks are async by convention.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        TextEncoder: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
        setTimeout: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly' } },
    // CommonJS files load with require(): that is what they exist to show.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Jest puts its functions in every test file's scope.
    files: ['examples/jest/**', 'examples/msw-jest/**'],
    languageOptions: {
      globals: {
        test: 'readonly',
        expect: 'readonly',
        beforeEach: 'readonly',
        afterEach: 'readonly',
        beforeAll: 'readonly',
        afterAll: 'readonly',
      },
    },
  },
  {
    // The MSW examples' code runs in browsers and under jsdom as well as in Node.
    files: ['examples/msw-*/**'],
    languageOptions: {
      globals: { document: 'readonly', location: 'readonly', crypto: 'readonly', atob: 'readonly', URLSearchParams: 'readonly' },
    },
  },
)
