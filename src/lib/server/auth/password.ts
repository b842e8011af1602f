/**
 * Password hashing with argon2id (@node-rs/argon2, a maintained binding of the reference
 * implementation), at its defaults: 19 MiB, 2 passes, 1 lane, OWASP's recommended minimum.
 */
import { hash, hashSync, verify } from '@node-rs/argon2';

export function hashPassword(password: string): Promise<string> {
	return hash(password); // argon2id is the library's default algorithm
}

/** For loading data inside a synchronous transaction (the demo accounts). */
export function hashPasswordSync(password: string): string {
	return hashSync(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

/** A hash to verify against when the username is unknown, so that both paths take the same time. */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
	decoy ??= hashPassword('not a password of anybody: only spends the same time');
	return decoy;
}
