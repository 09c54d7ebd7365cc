// Lint: ESLint's recommended rules and typescript-eslint's strict set over every
// TypeScript file the project builds or tests; layout is prettier's (see
// .prettierrc.json), so no formatting rule is enabled here.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'templates/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  prettier,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `noUncheckedIndexedAccess` is on: an index known to exist (a regex group that matched, a
      // checked length) is asserted with `!` where a runtime check would only repeat the compiler's.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // An unused binding is an error, except the `_`-named ones that say "deliberately ignored".
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
);
