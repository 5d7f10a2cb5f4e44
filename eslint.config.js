// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'test/support/*.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@kubernetes/client-node'],
              message: 'Only src/kube/ talks to @kubernetes/client-node (DESIGN.md, "The house").',
            },
          ],
        },
      ],
    },
  },
  {
    // The one module allowed to import the client library, and the test support that plays kube-apiserver
    // (its conformance tests must go through the real client).
    files: ['src/kube/**', 'test/support/**', 'test/kube/**', 'test/cluster/**', 'e2e/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // client-node's generated models are classes without behaviour (object literals are its documented
    // usage), and winston's transports are typed by a base class their subclasses do not share a constructor with.
    files: ['src/kube/**', 'src/log/**', 'test/**', 'e2e/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-unsafe-class-instance-assignment': 'off' },
  },
  {
    files: ['test/**', 'e2e/**', 'bench/**'],
    rules: {
      // mocha's describe/it return values and chai-less assertions.
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['**/*.js', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly' },
    },
  },
);
