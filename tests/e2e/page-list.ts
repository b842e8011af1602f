/** Every page a person opens, by the role that opens it: the page tests and the language test go through them all. */
export const month = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
export const pages: [string, string, () => string][] = [
	['leader', 'dashboard', () => '/'],
	['leader', 'item', () => '/initiatives/YRD-02'],
	['leader', 'source', () => '/sources/1'],
	['leader', 'theme', () => '/themes/ECO'],
	['leader', 'unit', () => '/units/1'],
	['leader', 'dashboard-as-of', () => '/?asOf=2024-06-30'],
	['leader', 'reports', () => '/reports'],
	['leader', 'monthly-summary', () => `/reports/${month()}`],
	['staff', 'todo-staff', () => '/todo'],
	['staff', 'report-form', () => `/initiatives/YRD-01/report/${month()}`],
	['staff', 'import', () => `/reports/${month()}/import`],
	['staff', 'item-staff', () => '/initiatives/YRD-02'],
	['supervisor', 'reviews', () => '/reviews'],
	['supervisor', 'edit-item', () => '/initiatives/YRD-01/edit'],
	['supervisor', 'new-item', () => '/initiatives/new'],
	['supervisor', 'todo-supervisor', () => '/todo'],
	['admin', 'users', () => '/admin/users'],
	['admin', 'audit', () => '/admin/audit'],
	['admin', 'settings', () => '/admin/settings'],
	['leader', 'password', () => '/account/password'],
	['staff', 'help', () => '/help'],
	['staff', 'contribution', () => `/initiatives/LIV-03/contribution/${month()}`],
	['supervisor', 'slip-register', () => '/slips'],
	['staff', 'slip', () => '/slips/1'],
	['supervisor', 'item-office', () => '/initiatives/YRD-01']
];
