// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SessionUser } from '$lib/server/auth/sessions';

declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			user: SessionUser | null;
			sessionId: string | null;
			/** Set by a load whose page shows only what can no longer change (page-cache.ts). */
			keptAcrossWrites?: boolean;
			/** The signed-in person's inbox as this request found it (read once: the page cache's key and the header's count). */
			inbox?: { last: number; unread: number };
		}
	}
}

export {};
