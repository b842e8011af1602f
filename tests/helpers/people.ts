/** The demo's people as the workflow commands take them, and a report as a form would send it. */
import { and, eq } from 'drizzle-orm';
import type { SessionUser } from '$lib/server/auth/sessions';
import type { Db } from '$lib/server/db';
import { user } from '$lib/server/db/schema';
import type { ReportInput } from '$lib/server/workflow/reports';

function asSession(u: typeof user.$inferSelect): SessionUser {
	return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, unitId: u.unitId, mustChangePassword: false };
}

/** The signed-in user `username` (who must exist). */
export function sessionUser(db: Db, username: string): SessionUser {
	return asSession(db.select().from(user).where(eq(user.username, username)).get()!);
}

/** A staff member of the unit `unitId`, or null when it has none. */
export function staffOf(db: Db, unitId: number): SessionUser | null {
	const u = db
		.select()
		.from(user)
		.where(and(eq(user.unitId, unitId), eq(user.role, 'staff')))
		.get();
	return u ? asSession(u) : null;
}

/** A month's report as the form sends it, with `over` changed. */
export const reportInput = (over: Partial<ReportInput> = {}): ReportInput => ({
	progress: '完成年度重点项目建设。',
	problems: '暂无。',
	nextSteps: '推进下一节点。',
	milestonesMet: [],
	version: null,
	submit: false,
	...over
});
