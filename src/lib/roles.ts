/**
 * Roles and what each may do (least privilege). The server checks these in every action and
 * endpoint; pages use the same table only to decide which controls to show.
 */
import { m, translated } from './i18n';

export const userRoles = ['admin', 'supervisor', 'staff', 'leader'] as const;
export type UserRole = (typeof userRoles)[number];

export const roleLabels = translated<UserRole>({
	admin: m.role_admin,
	supervisor: m.role_supervisor,
	staff: m.role_staff,
	leader: m.role_leader
});

export const permissions = {
	/** users, units, settings */
	manageUsers: ['admin'],
	viewAudit: ['admin'],
	manageSettings: ['admin'],
	/** create and edit items and milestones, review reports, approve closures and extensions */
	manageItems: ['supervisor'],
	reviewReports: ['supervisor'],
	/** issue and void 督办单 (slips that press a unit) */
	issueSlips: ['supervisor'],
	/** report, ask for extensions and closure, answer instructions: for one's own unit's items (checked per item) */
	writeReports: ['staff'],
	writeInstructions: ['leader'],
	/** everyone signed in reads every summary; staff download the ledger to fill in and import */
	exportSummaries: ['leader', 'supervisor', 'admin', 'staff'],
	/** upload a filled-in monthly ledger: staff for their unit's items, the office for any */
	importReports: ['staff', 'supervisor']
} as const satisfies Record<string, readonly UserRole[]>;

export type Permission = keyof typeof permissions;

export function can(role: UserRole | null | undefined, permission: Permission): boolean {
	return !!role && (permissions[permission] as readonly UserRole[]).includes(role);
}
