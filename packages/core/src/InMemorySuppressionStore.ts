import type { Suppression, SuppressionStore } from './suppression';

/** Suppressions in a Map: tests, the replay's `--suppressions FILE`, the local stack. */
export class InMemorySuppressionStore implements SuppressionStore {
  private readonly byPrincipal = new Map<string, Map<string, Suppression>>();

  constructor(initial: readonly Suppression[] = []) {
    for (const s of initial) this.putSync(s);
  }

  async put(suppression: Suppression): Promise<void> {
    this.putSync(suppression);
  }

  async remove(principal: string, id: string): Promise<boolean> {
    return this.byPrincipal.get(principal)?.delete(id) ?? false;
  }

  async forPrincipal(principal: string): Promise<Suppression[]> {
    return [...(this.byPrincipal.get(principal)?.values() ?? [])].map((s) => ({ ...s }));
  }

  async list(): Promise<Suppression[]> {
    return [...this.byPrincipal.values()].flatMap((m) => [...m.values()].map((s) => ({ ...s })));
  }

  private putSync(s: Suppression): void {
    let m = this.byPrincipal.get(s.principal);
    if (!m) {
      m = new Map();
      this.byPrincipal.set(s.principal, m);
    }
    m.set(s.id, { ...s });
  }
}
