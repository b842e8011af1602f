/** Chinese names of what the audit pages list. */
import type { SecurityEventKind } from './server/db/schema';

export const securityEventLabels: Record<SecurityEventKind, string> = {
	login_succeeded: '登录成功',
	login_failed: '登录失败',
	login_refused_locked: '锁定期间尝试登录',
	login_rate_limited: '登录请求过于频繁',
	account_locked: '账户锁定',
	logout: '退出登录',
	session_expired: '会话超时',
	password_changed: '修改密码',
	password_reset: '重置密码',
	user_created: '新建用户',
	user_updated: '修改用户',
	user_disabled: '停用用户',
	user_enabled: '启用用户',
	access_denied: '拒绝访问'
};

export const entityLabels: Record<string, string> = {
	source: '任务来源',
	theme: '类别',
	unit: '单位',
	user: '用户',
	initiative: '重点任务',
	initiative_co_unit: '配合单位',
	milestone: '时间节点',
	progress_report: '月度进展'
};

export const actionLabels: Record<string, string> = { insert: '新增', update: '修改', delete: '删除' };
