/**
 * The password policy (口令复杂度): long enough, of at least three character classes, and not the
 * username. Returns the reasons a password is refused, in the interface language, empty when it is accepted.
 */
import { m } from './i18n';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

const classes: RegExp[] = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/];

export const passwordPolicyText = () => m.password_policy({ min: PASSWORD_MIN_LENGTH });

export function passwordProblems(password: string, username: string): string[] {
	const problems: string[] = [];
	if (password.length < PASSWORD_MIN_LENGTH) problems.push(m.password_too_short({ min: PASSWORD_MIN_LENGTH }));
	if (password.length > PASSWORD_MAX_LENGTH) problems.push(m.password_too_long({ max: PASSWORD_MAX_LENGTH }));
	const present = classes.filter((re) => re.test(password)).length;
	if (present < 3) problems.push(m.password_classes());
	if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push(m.password_has_username());
	return problems;
}
