// Native ESM jest: our dependencies (chalk, ora, execa, @kubernetes/client-node) are ESM-only,
// so tests run as ES modules (NODE_OPTIONS=--experimental-vm-modules, set by the npm scripts)
// and @swc/jest strips TypeScript without changing the module syntax.
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'es6' } },
];
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  // Sources import siblings as './x.js' (NodeNext); in tests those resolve to the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  // The test cluster's state (etcd's *.snap files look like jest snapshots to jest) and builds.
  modulePathIgnorePatterns: ['<rootDir>/.cluster/', '<rootDir>/dist/'],
};
export default {
  // A global option: jest ignores it inside projects. Unit tests finish far below it.
  testTimeout: 120000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/cluster/jest-global-setup.ts',
      globalTeardown: '<rootDir>/test/cluster/jest-global-teardown.ts',
    },
  ],
};
