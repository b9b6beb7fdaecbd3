/**
 * The write capacity units one write of `items` consumes, as DynamoDB documents it: 1 per KB
 * (rounded up) of the largest item involved, at least 1. For PutItem that is the item written
 * (or the item replaced, when larger); for UpdateItem the larger of the item before and after;
 * a conditional write whose condition fails still consumes the units of the existing item.
 */
export function writeUnits(...items: (Record<string, unknown> | undefined)[]): number {
  let largest = 0;
  for (const item of items) if (item !== undefined) largest = Math.max(largest, itemSize(item));
  return Math.max(1, Math.ceil(largest / 1024));
}

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** An item's size as DynamoDB counts it: attribute names plus values (unmarshalled item). */
export function itemSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    size += utf8(name) + valueSize(value);
  }
  return size;
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    // About one byte per two significant digits, plus one.
    const digits = String(value)
      .replace(/^-/, '')
      .replace(/e.*$/i, '')
      .replace('.', '')
      .replace(/^0+/, '')
      .replace(/0+$/, '');
    return Math.ceil(Math.max(1, digits.length) / 2) + 1;
  }
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + valueSize(v), 0);
  if (value instanceof Set) return [...value].reduce((n: number, v) => n + valueSize(v), 0);
  if (typeof value === 'object')
    return 3 + itemSize(value as Record<string, unknown>) + Object.keys(value).length;
  return utf8(String(value));
}
