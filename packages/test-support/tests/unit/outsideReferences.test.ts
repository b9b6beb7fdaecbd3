import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findOutsideReferences } from '../../src/outsideReferences';

const REPO = path.resolve(__dirname, '../../../..');

function repoWith(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'outside-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('findOutsideReferences()', () => {
  it('finds a ../ path that leaves the repository, from the file that holds it', () => {
    const root = repoWith({
      'packages/a/src/x.ts': "const dir = path.resolve(__dirname, '../../../../data');\n",
      'packages/a/src/ok.ts': "import { y } from '../../b/src/y';\n",
    });
    const found = findOutsideReferences(root, ['packages/a/src/x.ts', 'packages/a/src/ok.ts']);
    expect(found).toEqual([expect.objectContaining({ file: 'packages/a/src/x.ts', line: 1 })]);
  });

  it('finds the sibling folders by name in prose and links', () => {
    // Built from parts so that this file does not itself name the folder.
    const sibling = ['..', 'shared', 'DESIGN.md'].join('/');
    const root = repoWith({ 'README.md': `See [the design](${sibling}).\nok line\n` });
    expect(findOutsideReferences(root, ['README.md'])).toEqual([
      expect.objectContaining({
        file: 'README.md',
        line: 1,
        reason: 'names a folder outside the repository',
      }),
    ]);
  });

  it('finds nothing outside this repository', () => {
    expect(findOutsideReferences(REPO)).toEqual([]);
  });
});
