import path from 'node:path';
import { findOutsideReferences } from './outsideReferences';

// `.ci/run` runs this before the tests: a clone of the repository alone must build and test.
const root = path.resolve(__dirname, '../../..');
const found = findOutsideReferences(root);
for (const r of found) console.error(`${r.file}:${r.line}: ${r.reason}: ${r.text.slice(0, 160)}`);
if (found.length > 0) {
  console.error(`self-contained: ${found.length} reference(s) to paths outside the repository`);
  process.exit(1);
}
console.log('self-contained: no reference to a path outside the repository');
