/**
 * The DynamoDB calls the alternatives make, on a table held in memory, counted one request per
 * call. Items carry only what the alternatives read: the TTL attribute (`expiresAt`, epoch ms).
 */
export class CountingTable {
  private readonly items = new Map<string, { expiresAt: number }>();
  getItem = 0;
  putItem = 0;
  updateItem = 0;

  get reads(): number {
    return this.getItem;
  }

  get writes(): number {
    return this.putItem + this.updateItem;
  }

  /** GetItem; an item past its TTL counts as absent (TTL deletion is lazy, readers filter). */
  get(pk: string, now: number): { expiresAt: number } | undefined {
    this.getItem++;
    const item = this.items.get(pk);
    return item === undefined || item.expiresAt < now ? undefined : item;
  }

  /** PutItem, unconditional. */
  put(pk: string, expiresAt: number): void {
    this.putItem++;
    this.items.set(pk, { expiresAt });
  }

  /** PutItem with `attribute_not_exists(pk) OR expiresAt < :now`; true when it wrote. */
  putIfAbsent(pk: string, now: number, expiresAt: number): boolean {
    this.putItem++;
    const item = this.items.get(pk);
    if (item !== undefined && item.expiresAt >= now) return false;
    this.items.set(pk, { expiresAt });
    return true;
  }

  /** UpdateItem SET expiresAt (the TTL refresh). */
  touch(pk: string, expiresAt: number): void {
    this.updateItem++;
    const item = this.items.get(pk);
    if (item === undefined) this.items.set(pk, { expiresAt });
    else item.expiresAt = Math.max(item.expiresAt, expiresAt);
  }
}
