/**
 * Answers kept per database connection, at most `max` of them, the least recently used going first:
 * the evaluated portfolio, a month's reports and a closed month's summary keep theirs here. A kept
 * answer is shared by every caller: read it, never change it.
 */
export class KeptAnswers<T> {
	private readonly stores = new WeakMap<object, Map<string, T>>();

	constructor(private readonly max: number) {}

	private store(db: object): Map<string, T> {
		let store = this.stores.get(db);
		if (!store) this.stores.set(db, (store = new Map()));
		return store;
	}

	/** The answer kept under `key`, or `compute`'s, then kept. */
	answer(db: object, key: string, compute: () => T): T {
		return this.kept(db, key) ?? this.keep(db, key, compute());
	}

	/** The answer kept under `key`, if there is one. */
	kept(db: object, key: string): T | undefined {
		const store = this.store(db);
		const hit = store.get(key);
		if (hit !== undefined) {
			store.delete(key); // most recently used last
			store.set(key, hit);
		}
		return hit;
	}

	/** Keeps `value` under `key`, the least recently used answer going if there are too many. */
	keep(db: object, key: string, value: T): T {
		const store = this.store(db);
		store.set(key, value);
		if (store.size > this.max) store.delete(store.keys().next().value!);
		return value;
	}

	/**
	 * The key of `key` for the data's `version` (answers kept while the data stays the same): the
	 * answers of every other version are dropped, being stale.
	 */
	versioned(db: object, version: string, key: string): string {
		const prefix = `${version}|`;
		const store = this.store(db);
		for (const kept of store.keys()) if (!kept.startsWith(prefix)) store.delete(kept);
		return `${prefix}${key}`;
	}
}
