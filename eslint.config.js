// Lint: the recommended rules of ESLint and typescript-eslint, type-aware where it pays off.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.ordo/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The domain is pure: no I/O, no clock, no randomness, nothing from the outer layers.
    files: ['src/domain/**/*.ts', 'src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'pg', 'fastify', '../engine/*', '../store/*', '../http/*', '../../engine/*', '../../store/*', '../../http/*'] }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'The domain takes the time as an argument.' },
        { object: 'Math', property: 'random', message: 'The domain is deterministic.' }],
    },
  },
);
