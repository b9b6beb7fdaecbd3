import { itemSize, writeUnits } from '../../src/writeUnits';

describe('writeUnits()', () => {
  it('charges 1 unit per started KB of the largest item, at least 1', () => {
    expect(writeUnits()).toBe(1);
    expect(writeUnits({ pk: 'p' })).toBe(1);
    expect(itemSize({ pk: 'p', big: 'x'.repeat(1018) })).toBe(1024); // 2 + 1 + 3 + 1018
    expect(writeUnits({ pk: 'p', big: 'x'.repeat(1018) })).toBe(1);
    expect(writeUnits({ pk: 'p' }, { pk: 'p', big: 'x'.repeat(1019) })).toBe(2);
    expect(writeUnits({ pk: 'p', big: 'x'.repeat(3000) })).toBe(3);
  });

  it('sizes numbers by significant digits and booleans as one byte', () => {
    expect(itemSize({ n: 1_700_000_000_000 })).toBe(1 + 2); // "17": one byte, plus one
    expect(itemSize({ n: 123456 })).toBe(1 + 4);
    expect(itemSize({ b: true })).toBe(2);
  });
});
