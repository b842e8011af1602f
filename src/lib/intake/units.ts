/**
 * Units named in a sentence: matched against the unit list by full name, by the short names the
 * office keeps for each (简称: 市发改委, 园区), and by the forms everybody writes (苏州市应急管理局 for
 * 市应急管理局, 应急管理局 without 市). A name that looks like a unit (…局, …委, …办, …区) but is on no
 * list is reported as unknown, so that the supervisor can add it. Then the roles: the lead (X牵头,
 * 由X负责, 请X, 责成X, 牵头单位：X) and the co-units (会同X、Y, X配合, 配合单位：X).
 */
import type { Span } from '$lib/source-text';

export type KnownUnit = { id: number; name: string; shortNames: string[] };

/** The short names as the office keeps them: one text, separated by 、 (or commas, spaces). */
export function shortNamesOf(text: string): string[] {
	return text
		.split(/[、，,;；\s]+/)
		.map((s) => s.trim())
		.filter((s) => s.length >= 2);
}

export type UnitMention = Span & { name: string; unitId: number | null };

/** Every way a unit is written, longest first (a longer name wins where two match at one place). */
export function unitNames(units: KnownUnit[]): { text: string; unit: KnownUnit }[] {
	const names = new Map<string, KnownUnit>();
	const add = (text: string, unit: KnownUnit) => {
		if (text.length >= 2 && !names.has(text)) names.set(text, unit);
	};
	for (const unit of units) add(unit.name, unit);
	for (const unit of units) for (const short of unit.shortNames) add(short, unit);
	for (const unit of units) {
		for (const text of [unit.name, ...unit.shortNames]) {
			if (text.startsWith('市')) {
				add(`苏州${text}`, unit);
				// 应急管理局 for 市应急管理局, not 委宣传部 for 市委宣传部
				if (!text.startsWith('市委') && !text.startsWith('市级') && text.length >= 5) add(text.slice(1), unit);
			}
		}
	}
	return [...names].map(([text, unit]) => ({ text, unit })).sort((a, b) => b.text.length - a.text.length);
}

/** A name shaped like a unit: 市/区 and a few characters ending in an organ's word. */
const UNIT_LIKE =
	/(?:苏州市|市委|市|[\u4e00-\u9fa5]{2,3}(?:区|市|县))[\u4e00-\u9fa5]{1,10}?(?:管理局|委员会|办公室|支队|大队|局|委|办|部|中心|集团|公司)(?![\u4e00-\u9fa5]{0,1}(?:局|委|办))/g;
const CUE_BEFORE = /^(?:会同|配合|协同|联合|交由|责成|由|请|牵头)+/;

/** The units `text` names, known or not, in order, none overlapping. */
export function findUnits(text: string, names: ReturnType<typeof unitNames>): UnitMention[] {
	const found: UnitMention[] = [];
	const taken = (s: number, e: number) => found.some((f) => s < f.end && e > f.start);
	for (const { text: name, unit } of names) {
		for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
			if (!taken(at, at + name.length)) found.push({ start: at, end: at + name.length, name: unit.name, unitId: unit.id });
		}
	}
	UNIT_LIKE.lastIndex = 0;
	for (let m = UNIT_LIKE.exec(text); m; m = UNIT_LIKE.exec(text)) {
		// 会同市税务局: the cue word before it is not part of the name.
		const cue = CUE_BEFORE.exec(m[0])?.[0].length ?? 0;
		const start = m.index + cue;
		const end = m.index + m[0].length;
		if (end - start >= 3 && !taken(start, end)) found.push({ start, end, name: text.slice(start, end), unitId: null });
	}
	return found.sort((a, b) => a.start - b.start);
}

export type UnitRoles = {
	lead: UnitMention | null;
	co: UnitMention[];
	/** The words that gave each role, for the proposal's reasons. */
	cues: string[];
};

const LIST_GAP = /^[、，,和及与\s]*$/;

/**
 * Who leads and who helps. The lead: the unit before 牵头/负责/主抓, or after 由/请/责成/牵头单位：;
 * the co-units: those after 会同/协同/联合/配合单位：, or before 配合/协助/参与. With one unit and
 * a verb of tasking, that unit leads.
 */
export function unitRoles(text: string, mentions: UnitMention[]): UnitRoles {
	const cues: string[] = [];
	let lead: UnitMention | null = null;
	const co: UnitMention[] = [];
	const uncued: UnitMention[] = [];
	const before = (m: UnitMention, n = 6) => text.slice(Math.max(0, m.start - n), m.start);
	const after = (m: UnitMention, n = 4) => text.slice(m.end, m.end + n);
	/** A mention and the ones listed right after it (X、Y和Z). */
	const runFrom = (i: number) => {
		const run = [mentions[i]];
		for (let j = i + 1; j < mentions.length && LIST_GAP.test(text.slice(mentions[j - 1].end, mentions[j].start)); j++)
			run.push(mentions[j]);
		return run;
	};
	for (let i = 0; i < mentions.length; i++) {
		const m = mentions[i];
		const run = runFrom(i);
		const last = run[run.length - 1];
		const head = before(m);
		const tail = after(last);
		if (
			/(牵头单位|责任单位|主办单位)[：:]\s*$/.test(head) ||
			/(由|请|责成|要求|交由)\s*$/.test(head) ||
			/^\s*(牵头|负责|主抓|主办|抓好|抓紧|要)/.test(tail)
		) {
			if (!lead) {
				lead = m;
				cues.push(/牵头|负责|主抓|主办/.exec(head + tail)?.[0] ?? /由|请|责成|要求|交由/.exec(head)?.[0] ?? '牵头');
				// 由X、Y负责: the first leads, the others help.
				for (const other of run.slice(1)) co.push(other);
				i += run.length - 1;
				continue;
			}
		}
		if (/(会同|协同|联合|配合单位[：:]|协办单位[：:])\s*$/.test(head) || /^\s*(配合|协助|参与|协同)/.test(tail)) {
			cues.push(/会同|协同|联合|配合|协助|参与|协办/.exec(head + tail)?.[0] ?? '配合');
			co.push(...run);
			i += run.length - 1;
			continue;
		}
		uncued.push(m);
	}
	// No words of tasking around any unit: the first named leads, the others help.
	if (!lead && uncued.length) {
		lead = uncued[0];
		if (co.length === 0) co.push(...uncued.slice(1));
	}
	const unique = co.filter((c, i) => c.name !== lead?.name && co.findIndex((d) => d.name === c.name) === i);
	return { lead, co: unique, cues: [...new Set(cues)] };
}
