// Lint: TypeScript rules, no circular imports, and the folder boundaries of docs/ARCHITECTURE.md.
import js from '@eslint/js'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'

const restrict = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
  },
})

const NODE = { group: ['node:*'], message: 'shared/ runs in browsers too: no Node built-ins.' }
const UI = { group: ['react', 'react-dom', 'react/*', 'lexical', '@lexical/*'], message: 'No UI framework here.' }
const IO = { group: ['y-websocket', 'y-indexeddb', 'ws', 'better-sqlite3'], message: 'shared/ does no I/O.' }
const OURS_FROM_SHARED = { group: ['**/client/**', '**/server/**'], message: 'shared/ depends on nothing of ours.' }
const YJS_IN_PLAIN = {
  group: ['yjs'],
  message: 'model/ and protocol/ are plain values; Yjs lives in schema/, ops/ and read/.',
}
const SERVER = { group: ['**/server/**', 'ws', 'better-sqlite3'], message: 'The client never imports the relay.' }
const PROVIDERS = { group: ['y-websocket', 'y-indexeddb'], message: 'Only client/src/collab/ creates providers.' }
const LEXICAL_BINDING = { group: ['@lexical/yjs'], message: 'Only client/src/editor/ touches the Lexical binding.' }
const YJS_IN_UI = {
  group: ['yjs'],
  allowTypeImports: true,
  message: 'Components do not touch Yjs: use shared ops and reads.',
}
const SHARED_IN_UI = { group: ['**/shared/**'], message: 'ui/ is presentational: no shared imports.' }
const CLIENT_FROM_SERVER = { group: ['**/client/**'], message: 'The relay never imports the client.' }

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'client/public/**', 'bench/out/**', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        localStorage: 'readonly',
        console: 'readonly',
        process: 'readonly',
      },
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "ExportDefaultDeclaration",
          message: 'Named exports only.',
        },
      ],
    },
  },
  // Config files need default exports.
  { files: ['*.config.ts', '*.config.js'], rules: { 'no-restricted-syntax': 'off' } },

  // Boundaries (docs/ARCHITECTURE.md). A rule's options do not merge across config blocks, so
  // each folder gets exactly one block with its whole list.
  restrict(['shared/src/model/**', 'shared/src/protocol/**'], [NODE, UI, IO, OURS_FROM_SHARED, YJS_IN_PLAIN]),
  restrict(['shared/**'], [NODE, UI, IO, OURS_FROM_SHARED], ['shared/src/model/**', 'shared/src/protocol/**']),
  restrict(['client/src/collab/**'], [SERVER]),
  restrict(['client/src/editor/**'], [SERVER, PROVIDERS]),
  restrict(['client/src/ui/**'], [SERVER, PROVIDERS, LEXICAL_BINDING, { ...YJS_IN_UI, allowTypeImports: false }, SHARED_IN_UI]),
  restrict(['client/**'], [SERVER, PROVIDERS, LEXICAL_BINDING, YJS_IN_UI], [
    'client/src/collab/**',
    'client/src/editor/**',
    'client/src/ui/**',
  ]),
  restrict(['server/**'], [UI, CLIENT_FROM_SERVER]),
)
