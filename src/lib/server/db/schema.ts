/**
 * The drizzle schema: the one description of the database. `npm run db:generate` turns a change here
 * into a migration under migrations/. Row types everywhere else come from these tables
 * (`typeof initiative.$inferSelect`), never from hand-written copies.
 *
 * Conventions:
 * - calendar dates (deadlines, due dates, completion dates) are TEXT `YYYY-MM-DD` in Suzhou time;
 * - months are TEXT `YYYY-MM`;
 * - instants (when something happened) are TEXT ISO-8601 in UTC with milliseconds, so they sort;
 * - `demo` marks rows that the demo generator invented, never real data.
 */
import { sql } from 'drizzle-orm';
import { blob, check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
// Relative, not $lib: drizzle-kit reads this file without SvelteKit's aliases.
import { userRoles, type UserRole } from '../../roles';
import { notificationEvents, outboxStates, webhookKinds, type NotificationEvent } from '../../notification-events';
import { slipColours } from '../../slips';
import { sourceKinds } from '../../source-kinds';

/** Key-value facts about this database, e.g. which dataset it was seeded with. */
export const appMeta = sqliteTable('app_meta', {
	key: text('key').primaryKey(),
	value: text('value').notNull()
});

/**
 * Views of the past computed once and kept (not data: derived from the history, which can no longer
 * change them; see kept-views.ts). A closed month's dashboard and summary read from here after a restart.
 */
export const keptView = sqliteTable('kept_view', {
	/** What the view is and of which instant, e.g. `dashboard|zh-CN|?asOf=2026-10-31`. */
	key: text('key').primaryKey(),
	/** The shape of the kept body; a view kept in another shape is computed again. */
	format: integer('format').notNull(),
	/** The view as JSON, gzipped (a month's whole summary: 11 MB of JSON at 20,000 items, 1.5 MB kept). */
	body: blob('body', { mode: 'buffer' }).notNull(),
	keptAt: text('kept_at').notNull()
});

/**
 * A document that commitments come from (任务来源): a speech like the lecture of 2021-07-06, minutes,
 * an instruction, a work report. Its text is kept exactly as received (line breaks made `\n`): every
 * item's quote is an offset span of it.
 */
export const source = sqliteTable('source', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	slug: text('slug').notNull().unique(),
	title: text('title').notNull(),
	/** The speaker or the issuing body (讲话人/发文机关). */
	speaker: text('speaker').notNull(),
	/** The date it was given or issued: relative deadlines (年底前, 两周内) count from it. */
	deliveredOn: text('delivered_on').notNull(),
	body: text('body').notNull(),
	kind: text('kind', { enum: sourceKinds }).notNull().default('speech')
});

export const proposalStatuses = ['open', 'accepted', 'rejected'] as const;

/**
 * 拟立项事项: a commitment the intake proposed from a source's text, waiting for a person. Accepted,
 * it points at the item made of it; rejected, it stays, so that proposing again does not offer it.
 */
export const proposal = sqliteTable(
	'proposal',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		sourceId: integer('source_id')
			.notNull()
			.references(() => source.id),
		quoteStart: integer('quote_start').notNull(),
		quoteEnd: integer('quote_end').notNull(),
		quote: text('quote').notNull(),
		title: text('title').notNull(),
		/** The lead unit as written, and the unit it matched (null: not on the unit list). */
		leadName: text('lead_name'),
		leadUnitId: integer('lead_unit_id').references(() => unit.id),
		/** JSON: the co-units, `[{ name, unitId }]`. */
		coUnits: text('co_units').notNull().default('[]'),
		dueOn: text('due_on'),
		/** JSON: dated steps, `[{ title, dueOn }]`. */
		milestones: text('milestones').notNull().default('[]'),
		/** JSON: why it was proposed, `[{ kind, words }]`. */
		why: text('why').notNull().default('[]'),
		/** JSON: the item it may repeat, `{ code, title, same }`, or null. */
		duplicateOf: text('duplicate_of'),
		status: text('status', { enum: proposalStatuses }).notNull().default('open'),
		initiativeId: integer('initiative_id').references(() => initiative.id),
		decidedBy: integer('decided_by').references(() => user.id),
		decidedAt: text('decided_at'),
		createdAt: text('created_at').notNull()
	},
	(t) => [index('proposal_source_idx').on(t.sourceId, t.quoteStart)]
);

/** 类别: a heading that groups items (the six "cities", Yangtze-Delta integration, party building). */
export const theme = sqliteTable('theme', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	code: text('code').notNull().unique(),
	name: text('name').notNull().unique(),
	position: integer('position').notNull()
});

/** 单位: a department or district of the city. */
export const unit = sqliteTable('unit', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	code: text('code').notNull().unique(),
	name: text('name').notNull().unique(),
	kind: text('kind', { enum: ['department', 'district'] }).notNull(),
	position: integer('position').notNull(),
	demo: integer('demo', { mode: 'boolean' }).notNull().default(false),
	/** 简称: the short names sources use for it (市发改委), separated by 、. */
	shortNames: text('short_names').notNull().default('')
});

export { userRoles, type UserRole };

/** A person who uses the system; `staff` belong to a unit. Authentication columns come with accounts. */
export const user = sqliteTable(
	'user',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		username: text('username').notNull().unique(),
		displayName: text('display_name').notNull(),
		role: text('role', { enum: userRoles }).notNull(),
		unitId: integer('unit_id').references(() => unit.id),
		disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
		demo: integer('demo', { mode: 'boolean' }).notNull().default(false),
		createdAt: text('created_at').notNull(),
		/** Where e-mail notifications go (the person's own choice); none: the inbox only. */
		email: text('email'),
		/** Optimistic concurrency: an administrator's form saved over another's change is refused, with the change shown. */
		version: integer('version').notNull().default(1)
	},
	(t) => [index('user_unit_idx').on(t.unitId)]
);

export const initiativeStatuses = ['active', 'completed', 'cancelled'] as const;
export type InitiativeStatus = (typeof initiativeStatuses)[number];

/** 重点任务: one commitment of a source, tracked until it is closed (销号). */
export const initiative = sqliteTable(
	'initiative',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		code: text('code').notNull().unique(),
		title: text('title').notNull(),
		themeId: integer('theme_id')
			.notNull()
			.references(() => theme.id),
		sourceId: integer('source_id')
			.notNull()
			.references(() => source.id),
		/** The verbatim sentence or clause of the source; always `source.body.slice(quoteStart, quoteEnd)`. */
		sourceQuote: text('source_quote').notNull(),
		quoteStart: integer('quote_start').notNull(),
		quoteEnd: integer('quote_end').notNull(),
		position: integer('position').notNull(),
		/** 牵头单位 */
		leadUnitId: integer('lead_unit_id').references(() => unit.id),
		/** 责任领导: a name or a post. */
		leader: text('leader'),
		startOn: text('start_on'),
		/** 完成时限 */
		dueOn: text('due_on'),
		status: text('status', { enum: initiativeStatuses }).notNull().default('active'),
		completedOn: text('completed_on'),
		/** True when the unit, leader and dates were invented by the demo generator. */
		demo: integer('demo', { mode: 'boolean' }).notNull().default(false),
		/** Bumped by every change; a save names the version it read (optimistic concurrency). */
		version: integer('version').notNull().default(1)
	},
	(t) => [
		index('initiative_theme_idx').on(t.themeId, t.position),
		index('initiative_lead_unit_idx').on(t.leadUnitId),
		index('initiative_source_idx').on(t.sourceId),
		check('initiative_quote_span', sql`${t.quoteStart} >= 0 AND ${t.quoteEnd} > ${t.quoteStart}`)
	]
);

/** 配合单位: units that share responsibility for an item without leading it. */
export const initiativeCoUnit = sqliteTable(
	'initiative_co_unit',
	{
		initiativeId: integer('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		unitId: integer('unit_id')
			.notNull()
			.references(() => unit.id)
	},
	(t) => [primaryKey({ columns: [t.initiativeId, t.unitId] }), index('initiative_co_unit_unit_idx').on(t.unitId)]
);

/** 时间节点: a dated, weighted step of an item. */
export const milestone = sqliteTable(
	'milestone',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		initiativeId: integer('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		dueOn: text('due_on').notNull(),
		weight: integer('weight').notNull(),
		position: integer('position').notNull(),
		completedOn: text('completed_on'),
		/** 佐证材料: what shows the milestone was met. */
		evidence: text('evidence'),
		/** Removed milestones stay, marked, so reports and history that name them still read. */
		removedAt: text('removed_at'),
		demo: integer('demo', { mode: 'boolean' }).notNull().default(false),
		version: integer('version').notNull().default(1)
	},
	(t) => [
		index('milestone_initiative_idx').on(t.initiativeId, t.position),
		index('milestone_due_idx').on(t.dueOn),
		check('milestone_weight_positive', sql`${t.weight} > 0`)
	]
);

export const reportStatuses = ['draft', 'submitted', 'returned', 'approved'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/** 月度进展: one item's report for one month, with the standard trio. */
export const progressReport = sqliteTable(
	'progress_report',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		initiativeId: integer('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		month: text('month').notNull(),
		/** 进展情况 */
		progress: text('progress').notNull(),
		/** 存在问题 */
		problems: text('problems').notNull(),
		/** 下步打算 */
		nextSteps: text('next_steps').notNull(),
		status: text('status', { enum: reportStatuses }).notNull().default('draft'),
		reportedBy: integer('reported_by').references(() => user.id),
		submittedAt: text('submitted_at'),
		reviewedBy: integer('reviewed_by').references(() => user.id),
		reviewedAt: text('reviewed_at'),
		reviewComment: text('review_comment'),
		demo: integer('demo', { mode: 'boolean' }).notNull().default(false),
		version: integer('version').notNull().default(1)
	},
	(t) => [
		uniqueIndex('progress_report_item_month_uq').on(t.initiativeId, t.month),
		index('progress_report_month_idx').on(t.month, t.status),
		// The latest approved reports, newest first (dashboard).
		index('progress_report_reviewed_idx').on(t.status, t.reviewedAt),
		// Each item's approved months, as of an instant, read from the index alone (portfolio.ts).
		index('progress_report_approved_idx').on(t.status, t.initiativeId, t.month, t.reviewedAt)
	]
);

/**
 * 协办意见: a co-unit's (配合单位) part of one item's report for one month. The lead unit (牵头单位)
 * writes and submits the month's report; each co-unit writes its own contribution, which the lead
 * unit reads while writing and which is kept with the report (docs/domain.md, "Who reports").
 */
export const coUnitContribution = sqliteTable(
	'co_unit_contribution',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		initiativeId: integer('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		month: text('month').notNull(),
		unitId: integer('unit_id')
			.notNull()
			.references(() => unit.id),
		opinion: text('opinion').notNull(),
		writtenBy: integer('written_by')
			.notNull()
			.references(() => user.id),
		writtenAt: text('written_at').notNull(),
		version: integer('version').notNull().default(1)
	},
	(t) => [uniqueIndex('co_unit_contribution_uq').on(t.initiativeId, t.month, t.unitId)]
);

/**
 * A user's password and login state. Kept apart from `user` because `user` is tracked in the
 * history, and a password hash must never be copied there.
 */
export const credential = sqliteTable('credential', {
	userId: integer('user_id')
		.primaryKey()
		.references(() => user.id, { onDelete: 'cascade' }),
	/** argon2id, in PHC string form. */
	passwordHash: text('password_hash').notNull(),
	/** Set when an administrator reset the password: the user must choose a new one first. */
	mustChange: integer('must_change', { mode: 'boolean' }).notNull().default(true),
	changedAt: text('changed_at').notNull(),
	lastLoginAt: text('last_login_at')
});

/**
 * Secrets this installation made for itself at first use (never shown, never in the history): e.g.
 * the key that turns a username nobody has into a tag for the security log.
 */
export const serverSecret = sqliteTable('server_secret', {
	name: text('name').primaryKey(),
	value: text('value').notNull()
});

/** A login session. The browser holds a random token; only its SHA-256 is stored, as the id. */
export const session = sqliteTable(
	'session',
	{
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		createdAt: text('created_at').notNull(),
		lastSeenAt: text('last_seen_at').notNull(),
		address: text('address'),
		userAgent: text('user_agent')
	},
	(t) => [index('session_user_idx').on(t.userId)]
);

export const securityEventKinds = [
	'login_succeeded',
	'login_failed',
	'login_refused_locked',
	'login_rate_limited',
	'account_locked',
	'account_unlocked',
	'logout',
	'session_expired',
	'password_changed',
	'password_reset',
	'user_created',
	'user_updated',
	'user_disabled',
	'user_enabled',
	'access_denied',
	'channels_changed',
	'api_keys_changed'
] as const;
export type SecurityEventKind = (typeof securityEventKinds)[number];

/**
 * The security log (安全审计日志): logins, failures, lockouts, user and role changes. Append-only,
 * like change_log: triggers refuse UPDATE and DELETE. `username` is kept as typed, so failures
 * against names that do not exist are counted the same way as the others.
 */
export const securityEvent = sqliteTable(
	'security_event',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		at: text('at').notNull(),
		kind: text('kind', { enum: securityEventKinds }).notNull(),
		actorId: integer('actor_id').references(() => user.id),
		username: text('username'),
		address: text('address'),
		detail: text('detail', { mode: 'json' })
	},
	(t) => [
		index('security_event_username_idx').on(t.username, t.at),
		index('security_event_address_idx').on(t.address, t.at),
		index('security_event_at_idx').on(t.at),
		// A kind's latest entries (a channel's last change, the version its form carries), read without scanning the log.
		index('security_event_kind_idx').on(t.kind)
	]
);

/** Milestones a report says were met; applied to the milestones when the report is approved. */
export const reportMilestone = sqliteTable(
	'report_milestone',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		reportId: integer('report_id')
			.notNull()
			.references(() => progressReport.id, { onDelete: 'cascade' }),
		milestoneId: integer('milestone_id')
			.notNull()
			.references(() => milestone.id),
		completedOn: text('completed_on').notNull(),
		evidence: text('evidence').notNull()
	},
	(t) => [uniqueIndex('report_milestone_uq').on(t.reportId, t.milestoneId), index('report_milestone_milestone_idx').on(t.milestoneId)]
);

export const requestStatuses = ['pending', 'approved', 'refused'] as const;
export type RequestStatus = (typeof requestStatuses)[number];

/** Who asked, who decided, when, and how: the columns every request (延期, 销号) shares. */
function requestLifecycle() {
	return {
		status: text('status', { enum: requestStatuses }).notNull().default('pending'),
		requestedBy: integer('requested_by')
			.notNull()
			.references(() => user.id),
		requestedAt: text('requested_at').notNull(),
		decidedBy: integer('decided_by').references(() => user.id),
		decidedAt: text('decided_at'),
		decisionComment: text('decision_comment'),
		version: integer('version').notNull().default(1)
	};
}

/** 延期: a unit asks to move a milestone's due date, or the item's deadline (milestoneId null). */
export const extensionRequest = sqliteTable(
	'extension_request',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		initiativeId: integer('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		milestoneId: integer('milestone_id').references(() => milestone.id),
		originalDue: text('original_due').notNull(),
		requestedDue: text('requested_due').notNull(),
		reason: text('reason').notNull(),
		...requestLifecycle()
	},
	(t) => [index('extension_request_item_idx').on(t.initiativeId, t.status)]
);

/** 销号申请: the lead unit asks to close an item, with evidence; only an approval completes it. */
export const closureRequest = sqliteTable(
	'closure_request',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		initiativeId: integer('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		evidence: text('evidence').notNull(),
		...requestLifecycle()
	},
	(t) => [index('closure_request_item_idx').on(t.initiativeId, t.status)]
);

/** 批示: a leader's written instruction on an item, shown to its units until they answer. */
export const instruction = sqliteTable(
	'instruction',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		initiativeId: integer('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		body: text('body').notNull(),
		authorId: integer('author_id')
			.notNull()
			.references(() => user.id),
		createdAt: text('created_at').notNull(),
		answer: text('answer'),
		answeredBy: integer('answered_by').references(() => user.id),
		answeredAt: text('answered_at'),
		version: integer('version').notNull().default(1)
	},
	(t) => [index('instruction_item_idx').on(t.initiativeId)]
);

/**
 * 督办单: a numbered document the office issues to press an item's lead unit, in three colours
 * (docs/domain.md, "Slips"): blue 提示单 when a deadline is near, yellow 催办单 when behind the pace,
 * red 督办单 when overdue. Its facts are written at issue from the rules of that day and never change;
 * its number (文号) comes from the register: one sequence per colour and year, never reused or skipped.
 */
export const supervisionSlip = sqliteTable(
	'supervision_slip',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		initiativeId: integer('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		colour: text('colour', { enum: slipColours }).notNull(),
		/** The register's year (Suzhou) and the number within it and the colour. */
		year: integer('year').notNull(),
		serial: integer('serial').notNull(),
		/** 文号 as printed (e.g. 苏督办〔2026〕3号), kept as issued: a later change of prefix never renumbers the past. */
		number: text('number').notNull().unique(),
		/** 主送: the unit pressed, the item's lead unit when issued. */
		unitId: integer('unit_id')
			.notNull()
			.references(() => unit.id),
		issuedOn: text('issued_on').notNull(),
		issuedAt: text('issued_at').notNull(),
		issuedBy: integer('issued_by').references(() => user.id),
		/** 基本情况: the facts as the rules read them on `issuedOn`. */
		facts: text('facts').notNull(),
		/** 督办要求: what the unit must do. */
		demand: text('demand').notNull(),
		/** 反馈时限: the day the unit's answer is due. */
		replyBy: text('reply_by').notNull(),
		/** 反馈: the unit's answer. */
		reply: text('reply'),
		repliedBy: integer('replied_by').references(() => user.id),
		repliedAt: text('replied_at'),
		/** 作废: a slip issued in error keeps its number, marked void with the reason. */
		voidedAt: text('voided_at'),
		voidedBy: integer('voided_by').references(() => user.id),
		voidReason: text('void_reason'),
		version: integer('version').notNull().default(1)
	},
	(t) => [
		uniqueIndex('supervision_slip_number_uq').on(t.colour, t.year, t.serial),
		index('supervision_slip_item_idx').on(t.initiativeId),
		index('supervision_slip_unit_idx').on(t.unitId, t.repliedAt),
		index('supervision_slip_issued_idx').on(t.issuedOn)
	]
);

/**
 * 通报的文号: the number and signing date (成文日期) the office gave a month's circular when it issued
 * it, from its own register of documents (the 通报 is filed there, so its number is the office's to
 * give, not counted here). One per month; a number is never given to two months. The Word circular
 * prints them; a correction is a tracked change like any other.
 */
export const circular = sqliteTable('circular', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	month: text('month').notNull().unique(),
	/** 文号 as typed, brackets made 〔〕 (e.g. 苏督通〔2026〕11号). */
	docNumber: text('doc_number').notNull().unique(),
	signedOn: text('signed_on').notNull(),
	registeredBy: integer('registered_by').references(() => user.id),
	version: integer('version').notNull().default(1)
});

/**
 * A stored file (佐证材料's bytes): kept once under the data directory by its SHA-256, however often
 * it is attached; never changed nor deleted. Its facts are copied onto each attachment, which is what
 * the history tracks.
 */
export const storedFile = sqliteTable('stored_file', {
	sha256: text('sha256').primaryKey(),
	size: integer('size').notNull(),
	/** Detected from the content, not the name. */
	mime: text('mime').notNull(),
	storedAt: text('stored_at').notNull()
});

/**
 * 佐证材料 as a file: attached to an item's month report (and to a milestone it reports met) by the
 * lead unit, to its closure request (销号) by the unit or the office deciding it, or by the office to
 * the item itself or to a slip (督办单). Withdrawing marks it
 * (`withdrawnAt`); the file stays retrievable for the office.
 */
export const attachment = sqliteTable(
	'attachment',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		initiativeId: integer('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		reportId: integer('report_id').references(() => progressReport.id),
		/** The milestone the file shows met, within the report; null for the report as a whole. */
		milestoneId: integer('milestone_id').references(() => milestone.id),
		/** The slip the office attached the file to; with `reportId`, null for the item itself. */
		slipId: integer('slip_id').references(() => supervisionSlip.id),
		/** The closure request (销号) the file supports: the unit's evidence, or the office's decision. */
		closureRequestId: integer('closure_request_id').references(() => closureRequest.id),
		sha256: text('sha256')
			.notNull()
			.references(() => storedFile.sha256),
		/** The name as uploaded (without any folder). */
		fileName: text('file_name').notNull(),
		mime: text('mime').notNull(),
		size: integer('size').notNull(),
		/** When a photo was taken (EXIF DateTimeOriginal, the camera's local time), if it says. */
		capturedAt: text('captured_at'),
		uploadedBy: integer('uploaded_by').references(() => user.id),
		uploadedAt: text('uploaded_at').notNull(),
		withdrawnAt: text('withdrawn_at'),
		withdrawnBy: integer('withdrawn_by').references(() => user.id),
		version: integer('version').notNull().default(1)
	},
	(t) => [
		index('attachment_item_idx').on(t.initiativeId),
		index('attachment_report_idx').on(t.reportId),
		index('attachment_file_idx').on(t.sha256)
	]
);

/** Settings an administrator may change (rule thresholds); absent keys take their defaults. */
export const setting = sqliteTable('setting', {
	key: text('key').primaryKey(),
	value: text('value', { mode: 'json' }).notNull(),
	version: integer('version').notNull().default(1)
});

export const changeActions = ['insert', 'update', 'delete'] as const;
export type ChangeAction = (typeof changeActions)[number];

/**
 * The append-only history of every change to tracked tables. Each row holds the whole record before
 * and after, so the state of any record at any instant is the `after` of its last change up to then
 * (null after a delete). Triggers in the migrations refuse UPDATE and DELETE on this table.
 */
export const changeLog = sqliteTable(
	'change_log',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		at: text('at').notNull(),
		actorId: integer('actor_id').references(() => user.id),
		/** Who acted when no user did: `system`, `catalogue`, `demo`. */
		actorLabel: text('actor_label'),
		entity: text('entity').notNull(),
		entityId: text('entity_id').notNull(),
		action: text('action', { enum: changeActions }).notNull(),
		before: text('before', { mode: 'json' }),
		after: text('after', { mode: 'json' }),
		note: text('note')
	},
	(t) => [index('change_log_entity_idx').on(t.entity, t.entityId, t.at), index('change_log_at_idx').on(t.at)]
);

/**
 * 通知: one notice to one person, shown in their inbox. `key` names what it is about (the event and
 * its subject, e.g. a report and its month), so the same notice is never given twice: a reminder run
 * again after a restart, or a retried request, finds it there. Not tracked in the history: notices are
 * derived from the tracked writes that cause them, in the same transaction.
 */
export const notification = sqliteTable(
	'notification',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: integer('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		event: text('event', { enum: notificationEvents }).notNull(),
		key: text('key').notNull(),
		title: text('title').notNull(),
		body: text('body').notNull(),
		/** The place to act, a path of this application. */
		link: text('link').notNull(),
		/**
		 * The unit whose staff the person got it as (null: named in person, or given before migration
		 * 0019): shown to them only while they are still its staff (`inbox.ts`).
		 */
		unitId: integer('unit_id'),
		createdAt: text('created_at').notNull(),
		readAt: text('read_at')
	},
	(t) => [
		uniqueIndex('notification_user_key_uq').on(t.userId, t.key),
		index('notification_user_idx').on(t.userId, t.id),
		index('notification_unread_idx').on(t.userId, t.readAt)
	]
);

/**
 * 发送记录: every message beyond the app, recorded before it is sent (in the transaction of the write
 * that caused it), sent by the server's sender, retried with back-off, its state kept. `key` makes a
 * message unique per channel and target, so a write retried or a reminder run twice queues it once.
 * `sending` with `leaseUntil` marks a message being sent: after a crash it is sent again once the
 * lease has passed (the receiver gets the same Message-ID / msgId, to recognise a repeat).
 */
export const outbox = sqliteTable(
	'outbox',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		channel: text('channel', { enum: ['email', 'webhook'] }).notNull(),
		/** An e-mail address, or the id of a webhook. */
		target: text('target').notNull(),
		/** The person an e-mail is for, and the unit whose staff they got it as: sent only while both still hold (`sender.ts`). */
		userId: integer('user_id'),
		unitId: integer('unit_id'),
		key: text('key').notNull(),
		event: text('event').$type<NotificationEvent | 'digest' | 'test' | 'confirm'>().notNull(),
		title: text('title').notNull(),
		body: text('body').notNull(),
		link: text('link').notNull(),
		state: text('state', { enum: outboxStates }).notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		nextAttemptAt: text('next_attempt_at').notNull(),
		leaseUntil: text('lease_until'),
		lastError: text('last_error'),
		createdAt: text('created_at').notNull(),
		sentAt: text('sent_at')
	},
	(t) => [uniqueIndex('outbox_key_uq').on(t.channel, t.target, t.key), index('outbox_due_idx').on(t.state, t.nextAttemptAt)]
);

/** A person's choice of what reaches them by e-mail, and whether as one daily digest (每日汇总). */
export const notificationPreference = sqliteTable('notification_preference', {
	userId: integer('user_id')
		.primaryKey()
		.references(() => user.id, { onDelete: 'cascade' }),
	emailEvents: text('email_events', { mode: 'json' }).$type<NotificationEvent[]>().notNull(),
	digest: integer('digest', { mode: 'boolean' }).notNull().default(false)
});

/**
 * A new e-mail address a person gave, not in use until they prove it is theirs (邮箱确认): a code sent
 * to it is typed back on their own notice settings, signed in. Until then their notices go to the
 * address confirmed before (`user.email`), or to none, so a mistyped address never receives an item's
 * texts. Kept apart from `user` (tracked in the history): a code's hash never goes there. One at a
 * time per person; `attempts` counts wrong codes.
 */
export const emailConfirmation = sqliteTable('email_confirmation', {
	userId: integer('user_id')
		.primaryKey()
		.references(() => user.id, { onDelete: 'cascade' }),
	address: text('address').notNull(),
	codeHash: text('code_hash').notNull(),
	attempts: integer('attempts').notNull().default(0),
	sentAt: text('sent_at').notNull(),
	expiresAt: text('expires_at').notNull()
});

/**
 * A group robot (群机器人) of DingTalk or WeCom, or any HTTP endpoint taking JSON: the unit's group
 * (`unitId`) receives that unit's notices, the office's (no unit) every notice of the events chosen.
 * `secret` signs DingTalk messages (加签); it is never shown again once saved.
 */
export const webhook = sqliteTable('webhook', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	name: text('name').notNull(),
	kind: text('kind', { enum: webhookKinds }).notNull(),
	url: text('url').notNull(),
	secret: text('secret'),
	unitId: integer('unit_id').references(() => unit.id),
	events: text('events', { mode: 'json' }).$type<NotificationEvent[]>().notNull(),
	enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
	createdAt: text('created_at').notNull()
});

/**
 * How notices leave the building, set by the administrator (not tracked in the history: it holds the
 * relay's password): `smtp` the mail relay, `reminders` the time of the daily reminders (系统催报).
 */
export const notifierSetting = sqliteTable('notifier_setting', {
	key: text('key').primaryKey(),
	value: text('value', { mode: 'json' }).notNull()
});

/**
 * A private calendar feed (日历订阅, `.ics`): a person's deadlines, or their unit's (`unitId`), read by
 * a calendar program with the secret in its address. Only the token's SHA-256 is stored; resetting
 * gives a new address and the old one stops working.
 */
export const calendarFeed = sqliteTable(
	'calendar_feed',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		tokenHash: text('token_hash').notNull().unique(),
		userId: integer('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		/** A unit's feed, made by one of its staff; null for the person's own. */
		unitId: integer('unit_id').references(() => unit.id),
		createdAt: text('created_at').notNull(),
		lastReadAt: text('last_read_at')
	},
	(t) => [index('calendar_feed_user_idx').on(t.userId)]
);

/**
 * A key to the read API (/api/v1) for a system around the office (a city dashboard, the data
 * platform), issued by the administrator with a scope: the whole city (`unitId` null) or one unit's
 * items. Only the key's SHA-256 is kept; a revoked key is refused from then on and stays listed.
 */
export const apiToken = sqliteTable('api_token', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	name: text('name').notNull(),
	tokenHash: text('token_hash').notNull().unique(),
	/** The first characters of the key, to tell keys apart in lists and logs. */
	prefix: text('prefix').notNull(),
	unitId: integer('unit_id').references(() => unit.id),
	createdBy: integer('created_by').references(() => user.id),
	createdAt: text('created_at').notNull(),
	revokedAt: text('revoked_at'),
	lastUsedAt: text('last_used_at'),
	/** The last day (Suzhou's) the key opens the API; null for keys issued before keys expired (they never do). */
	expiresOn: text('expires_on')
});

/** Every call of the read API, answered or refused: who (the key, or none), what, the answer, when. */
export const apiCall = sqliteTable(
	'api_call',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		at: text('at').notNull(),
		tokenId: integer('token_id').references(() => apiToken.id),
		method: text('method').notNull(),
		path: text('path').notNull(),
		status: integer('status').notNull(),
		address: text('address'),
		ms: integer('ms').notNull()
	},
	(t) => [index('api_call_token_idx').on(t.tokenId, t.id)]
);
