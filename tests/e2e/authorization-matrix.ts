/**
 * Who may call which mutating action or endpoint: the one table the authorization test is
 * generated from. A route file with an action or a POST/PUT/PATCH/DELETE handler that has no row
 * here fails that test, so a new action cannot ship without a decision.
 *
 * Each call sends an empty form: an allowed actor then gets past the permission check and is
 * stopped by validation (400), so the test changes nothing.
 */
export const actors = ['anonymous', 'admin', 'supervisor', 'staff', 'staffOtherUnit', 'leader'] as const;
export type Actor = (typeof actors)[number];

/** The demo account each actor signs in as. */
export const accounts: Record<Exclude<Actor, 'anonymous'>, string> = {
	admin: 'admin',
	supervisor: 'supervisor',
	staff: 'staff',
	staffOtherUnit: 'staff-gxj',
	leader: 'leader'
};

const signedIn: Actor[] = ['admin', 'supervisor', 'staff', 'staffOtherUnit', 'leader'];

export type MatrixRow = {
	/** The route as in src/routes, with [params]. */
	route: string;
	/** A form action's name (`default` for the unnamed one), or an HTTP method for an endpoint. */
	action: string;
	allowed: readonly Actor[];
	/** Open to everyone by design (login, logout, language): only checked to answer without a server error. */
	public?: boolean;
	/** The item for [code], when not YRD-02. */
	code?: string;
};

export const matrix: MatrixRow[] = [
	{ route: '/login', action: 'default', allowed: actors, public: true },
	{ route: '/logout', action: 'default', allowed: actors, public: true },
	{ route: '/language', action: 'default', allowed: actors, public: true },
	{ route: '/account/password', action: 'default', allowed: signedIn },
	{ route: '/admin/users', action: 'create', allowed: ['admin'] },
	{ route: '/admin/users/[id]', action: 'update', allowed: ['admin'] },
	{ route: '/admin/users/[id]', action: 'disable', allowed: ['admin'] },
	{ route: '/admin/users/[id]', action: 'enable', allowed: ['admin'] },
	{ route: '/admin/users/[id]', action: 'resetPassword', allowed: ['admin'] },
	{ route: '/admin/users/[id]', action: 'unlock', allowed: ['admin'] },
	{ route: '/admin/settings', action: 'save', allowed: ['admin'] },
	{ route: '/admin/calendar', action: 'save', allowed: ['admin'] },
	{ route: '/admin/api', action: 'issue', allowed: ['admin'] },
	{ route: '/admin/api', action: 'revoke', allowed: ['admin'] },
	{ route: '/admin/calendar', action: 'remove', allowed: ['admin'] },
	{ route: '/notifications', action: 'read', allowed: signedIn },
	{ route: '/notifications', action: 'readAll', allowed: signedIn },
	{ route: '/account/notifications', action: 'save', allowed: signedIn },
	{ route: '/account/notifications', action: 'feed', allowed: signedIn },
	{ route: '/account/notifications', action: 'confirmEmail', allowed: signedIn },
	{ route: '/account/notifications', action: 'resendCode', allowed: signedIn },
	{ route: '/account/notifications', action: 'cancelEmail', allowed: signedIn },
	...['smtp', 'smtpOff', 'testMail', 'webhookAdd', 'webhookRemove', 'webhookTest', 'reminders', 'retry'].map((action) => ({
		route: '/admin/notifications',
		action,
		allowed: ['admin'] as Actor[]
	})),
	// [code] is YRD-02, led by the demo staff's unit (市发展改革委); staffOtherUnit is in neither of its units.
	{ route: '/initiatives/[code]', action: 'instruct', allowed: ['leader'] },
	{ route: '/initiatives/[code]', action: 'answerInstruction', allowed: ['staff'] },
	{ route: '/initiatives/[code]', action: 'requestExtension', allowed: ['staff'] },
	{ route: '/initiatives/[code]', action: 'requestClosure', allowed: ['staff'] },
	{ route: '/initiatives/[code]', action: 'withdrawReport', allowed: ['staff'] },
	{ route: '/initiatives/[code]', action: 'decideExtension', allowed: ['supervisor'] },
	{ route: '/initiatives/[code]', action: 'decideClosure', allowed: ['supervisor'] },
	{ route: '/initiatives/[code]/report/[month]', action: 'default', allowed: ['staff'] },
	// LIV-03 is led by 市教育局; the demo staff's unit is one of its co-units, staffOtherUnit's is not.
	{ route: '/initiatives/[code]/contribution/[month]', action: 'default', code: 'LIV-03', allowed: ['staff'] },
	{ route: '/initiatives/[code]/report/[month]', action: 'default', code: 'LIV-03', allowed: [] },
	{ route: '/initiatives/[code]/edit', action: 'update', allowed: ['supervisor'] },
	{ route: '/initiatives/[code]/edit', action: 'addMilestone', allowed: ['supervisor'] },
	{ route: '/initiatives/[code]/edit', action: 'updateMilestone', allowed: ['supervisor'] },
	{ route: '/initiatives/[code]/edit', action: 'removeMilestone', allowed: ['supervisor'] },
	{ route: '/initiatives/new', action: 'create', allowed: ['supervisor'] },
	{ route: '/reviews', action: 'approve', allowed: ['supervisor'] },
	// Staff of any unit may upload; each row is then checked against their unit.
	{ route: '/reports/[month]/import', action: 'preview', allowed: ['staff', 'staffOtherUnit', 'supervisor'] },
	{ route: '/reports/[month]/import', action: 'apply', allowed: ['staff', 'staffOtherUnit', 'supervisor'] },
	{ route: '/reports/[month]/circular', action: 'register', allowed: ['supervisor'] },
	{ route: '/reviews', action: 'return', allowed: ['supervisor'] },
	{ route: '/initiatives/[code]', action: 'issueSlip', allowed: ['supervisor'] },
	{ route: '/initiatives/[code]', action: 'attachFiles', allowed: ['supervisor'] },
	{ route: '/slips/[id]', action: 'attachFiles', allowed: ['supervisor'] },
	{ route: '/slips', action: 'issueRed', allowed: ['supervisor'] },
	// [id] 999999 names no slip: the unit check of an answer comes after the permission, and gives a 404.
	{ route: '/slips/[id]', action: 'answer', allowed: ['staff', 'staffOtherUnit'] },
	{ route: '/slips/[id]', action: 'void', allowed: ['supervisor'] },
	// Source intake: the office's work. [id] 999999 names no source: allowed calls end in a 400 or 404.
	{ route: '/sources/new', action: 'add', allowed: ['supervisor'] },
	...['reject', 'merge', 'split', 'again'].map((action) => ({ route: '/sources/[id]/review', action, allowed: ['supervisor'] as Actor[] })),
	{ route: '/sources/[id]/proposals/[pid]', action: 'accept', allowed: ['supervisor'] }
];

/**
 * Who may read which route: the page, its data (`__data.json`, also with the layouts skipped) and
 * GET endpoints. Every route in src/routes has a row (the test checks), so a new page cannot ship
 * without a decision. [code] is YRD-02 (led by the demo staff's unit), [id] the first of each kind.
 */
export type ReadRow = { route: string; path: (month: string) => string; allowed: readonly Actor[]; public?: boolean; data?: false };

export const reads: ReadRow[] = [
	{ route: '/login', path: () => '/login', allowed: actors, public: true },
	{ route: '/language', path: () => '/language', allowed: actors, public: true },
	{ route: '/health', path: () => '/health', allowed: actors, public: true, data: false },
	// A calendar feed opens with the secret in its address, for anyone who has it (a wrong one is a 404).
	{ route: '/calendar/[feed]', path: () => '/calendar/not-a-feed.ics', allowed: actors, public: true, data: false },
	{ route: '/logout', path: () => '/logout', allowed: signedIn },
	{ route: '/', path: () => '/', allowed: signedIn },
	{ route: '/todo', path: () => '/todo', allowed: signedIn },
	{ route: '/help', path: () => '/help', allowed: signedIn },
	{ route: '/account/password', path: () => '/account/password', allowed: signedIn },
	{ route: '/initiatives/[code]', path: () => '/initiatives/YRD-02', allowed: signedIn },
	{ route: '/sources', path: () => '/sources', allowed: signedIn },
	{ route: '/sources/[id]', path: () => '/sources/1', allowed: signedIn },
	{ route: '/sources/new', path: () => '/sources/new', allowed: ['supervisor'] },
	{ route: '/sources/[id]/review', path: () => '/sources/1/review', allowed: ['supervisor'] },
	// The demo's minutes (source 2) come with their proposals waiting.
	{ route: '/sources/[id]/proposals/[pid]', path: () => '/sources/2/proposals/1', allowed: ['supervisor'] },
	{ route: '/themes/[id]', path: () => '/themes/ECO', allowed: signedIn },
	{ route: '/units/[id]', path: () => '/units/1', allowed: signedIn },
	{ route: '/reports', path: () => '/reports', allowed: signedIn },
	{ route: '/reports/[month]', path: (month) => `/reports/${month}`, allowed: signedIn },
	{
		route: '/reports/[month]/export/[format]',
		path: (month) => `/reports/${month}/export/csv`,
		allowed: ['admin', 'supervisor', 'staff', 'staffOtherUnit', 'leader'],
		data: false
	},
	{ route: '/reports/[month]/import', path: (month) => `/reports/${month}/import`, allowed: ['staff', 'staffOtherUnit', 'supervisor'] },
	{ route: '/initiatives/[code]/report/[month]', path: (month) => `/initiatives/YRD-02/report/${month}`, allowed: ['staff'] },
	{
		route: '/initiatives/[code]/contribution/[month]',
		path: (month) => `/initiatives/LIV-03/contribution/${month}`,
		allowed: ['staff']
	},
	{ route: '/initiatives/[code]/edit', path: () => '/initiatives/YRD-02/edit', allowed: ['supervisor'] },
	{ route: '/initiatives/new', path: () => '/initiatives/new', allowed: ['supervisor'] },
	{ route: '/reviews', path: () => '/reviews', allowed: ['supervisor'] },
	{ route: '/admin/users', path: () => '/admin/users', allowed: ['admin'] },
	{ route: '/admin/users/[id]', path: () => '/admin/users/1', allowed: ['admin'] },
	{ route: '/admin/audit', path: () => '/admin/audit?log=changes&page=2', allowed: ['admin'] },
	{ route: '/admin/settings', path: () => '/admin/settings', allowed: ['admin'] },
	{ route: '/admin/notifications', path: () => '/admin/notifications', allowed: ['admin'] },
	{ route: '/admin/calendar', path: () => '/admin/calendar', allowed: ['admin'] },
	{ route: '/admin/api', path: () => '/admin/api', allowed: ['admin'] },
	{ route: '/help/api', path: () => '/help/api', allowed: signedIn },
	// The read API answers by its own keys, not sessions: tests/e2e/api.test.ts is its matrix (endpoint × key scope).
	{ route: '/api/v1/[...path]', path: () => '/api/v1/openapi.json', allowed: actors, public: true, data: false },
	{ route: '/notifications', path: () => '/notifications', allowed: signedIn },
	{ route: '/account/notifications', path: () => '/account/notifications', allowed: signedIn },
	// File 1 is the demo's picture on an approved report of YRD-02: every signed-in reader may see it.
	{ route: '/files/[id]', path: () => '/files/1', allowed: signedIn, data: false },
	{ route: '/slips', path: () => '/slips', allowed: signedIn },
	{ route: '/slips/export', path: () => '/slips/export', allowed: signedIn, data: false },
	// Slip 1 of the demo is addressed to the demo staff's unit (市发展改革委); other units may not read it.
	{ route: '/slips/[id]', path: () => '/slips/1', allowed: ['admin', 'supervisor', 'staff', 'leader'] },
	{ route: '/slips/[id]/docx', path: () => '/slips/1/docx', allowed: ['admin', 'supervisor', 'staff', 'leader'], data: false },
	{ route: '/reports/[month]/circular', path: (month) => `/reports/${month}/circular`, allowed: ['supervisor'] },
	{ route: '/reports/[month]/circular/docx', path: (month) => `/reports/${month}/circular/docx`, allowed: ['supervisor'], data: false }
];
