/**
 * The password policy (口令复杂度): long enough, of at least three character classes, and not the
 * username. Returns the reasons a password is refused, in Chinese, empty when it is accepted.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

const classes: [RegExp, string][] = [
	[/[a-z]/, '小写字母'],
	[/[A-Z]/, '大写字母'],
	[/[0-9]/, '数字'],
	[/[^A-Za-z0-9]/, '特殊字符']
];

export const passwordPolicyText = `至少 ${PASSWORD_MIN_LENGTH} 位,且包含小写字母、大写字母、数字、特殊字符中的至少三类,不得包含用户名`;

export function passwordProblems(password: string, username: string): string[] {
	const problems: string[] = [];
	if (password.length < PASSWORD_MIN_LENGTH) problems.push(`密码长度不足 ${PASSWORD_MIN_LENGTH} 位`);
	if (password.length > PASSWORD_MAX_LENGTH) problems.push(`密码不能超过 ${PASSWORD_MAX_LENGTH} 位`);
	const present = classes.filter(([re]) => re.test(password)).length;
	if (present < 3) problems.push('密码须包含小写字母、大写字母、数字、特殊字符中的至少三类');
	if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('密码不得包含用户名');
	return problems;
}
