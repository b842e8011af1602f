/**
 * Rate limits of the read API, in memory (one server per database): a token bucket per key (a
 * steady rate with a burst), and a stricter one per address for calls without a valid key, so that
 * guessing keys is slow. A refused call learns when to try again (Retry-After).
 */
export type Bucket = { tokens: number; at: number };

export class RateLimiter {
	private buckets = new Map<string, Bucket>();

	constructor(
		/** Calls allowed per minute, on average. */
		readonly perMinute: number,
		/** Calls allowed at once after a quiet spell. */
		readonly burst: number
	) {}

	/** Takes one call from `key`'s bucket: 0 when allowed, else the seconds to wait. */
	take(key: string, now = Date.now()): number {
		const rate = this.perMinute / 60_000;
		const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
		bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * rate);
		bucket.at = now;
		if (this.buckets.size > 10_000) this.forgetFull(now);
		this.buckets.set(key, bucket);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return 0;
		}
		return Math.ceil((1 - bucket.tokens) / rate / 1000);
	}

	/** Calls left now in `key`'s bucket. */
	left(key: string): number {
		return Math.floor(this.buckets.get(key)?.tokens ?? this.burst);
	}

	/** Drops the buckets that have refilled: they hold nothing a new bucket would not. */
	private forgetFull(now: number) {
		const rate = this.perMinute / 60_000;
		for (const [key, b] of this.buckets) if (b.tokens + (now - b.at) * rate >= this.burst) this.buckets.delete(key);
	}
}
