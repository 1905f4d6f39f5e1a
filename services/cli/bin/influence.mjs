#!/usr/bin/env node
// The `influence` command. The CLI is TypeScript run by Node's type stripping (Node 22.18+);
// npx and npm scripts put the project's own Node 24 (the `node` devDependency) first on PATH.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `influence needs Node 22.18 or newer (this is ${process.version}). ` +
      'Run it as `npx influence …` inside the project after `npm ci`, which uses the bundled Node 24.\n',
  );
  process.exit(78);
}
await import('../main.ts');
