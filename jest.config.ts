import type { Config } from 'jest';

// One Jest run covers every workspace. Type errors are caught by `npm run typecheck`
// (tsc over the whole repo), so ts-jest only transpiles: that keeps the suite fast.
const transform: Config['transform'] = {
  '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: '<rootDir>/tsconfig.base.json' }],
};

const roots = ['packages', 'handlers', 'infra', 'scripts'];

const config: Config = {
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: roots.map((r) => `<rootDir>/${r}/**/tests/unit/**/*.test.ts`),
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: roots.map((r) => `<rootDir>/${r}/**/tests/integration/**/*.test.ts`),
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
  ],
};

export default config;
