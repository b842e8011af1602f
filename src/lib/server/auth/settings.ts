/** Security settings, from the environment with these defaults (README: "Security settings"). */
export type SecuritySettings = {
	/** A session unused this long ends (会话空闲超时). */
	sessionIdleMinutes: number;
	/** A session ends this long after login whatever happens (会话最长有效期). */
	sessionMaxHours: number;
	/** Failed logins in a row that lock an account… */
	maxFailedLogins: number;
	/** …for this long. */
	lockoutMinutes: number;
	/** Failed logins from one address within the lockout window before it is refused. */
	maxFailuresPerAddress: number;
};

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
	return value;
}

export function readSecuritySettings(env: NodeJS.ProcessEnv = process.env): SecuritySettings {
	return {
		sessionIdleMinutes: positive(env, 'SESSION_IDLE_MINUTES', 30),
		sessionMaxHours: positive(env, 'SESSION_MAX_HOURS', 12),
		maxFailedLogins: positive(env, 'LOGIN_MAX_FAILURES', 5),
		lockoutMinutes: positive(env, 'LOGIN_LOCKOUT_MINUTES', 15),
		maxFailuresPerAddress: positive(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 20)
	};
}
