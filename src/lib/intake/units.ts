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

export type UnitName = {
	text: string;
	unit: KnownUnit;
	/** The full name (or 苏州 + it): matched anywhere. A short or shortened form (应急管理局, 园区)
	 * only where no other word runs into it (区应急管理局, 化工园区, 国家发展改革委 are not ours). */
	whole: boolean;
};

/** Every way a unit is written, longest first (a longer name wins where two match at one place). */
export function unitNames(units: KnownUnit[]): UnitName[] {
	const names = new Map<string, UnitName>();
	const add = (text: string, unit: KnownUnit, whole: boolean) => {
		if (text.length >= 2 && !names.has(text)) names.set(text, { text, unit, whole });
	};
	for (const unit of units) add(unit.name, unit, true);
	for (const unit of units) if (unit.name.startsWith('市')) add(`苏州${unit.name}`, unit, true);
	for (const unit of units) for (const short of unit.shortNames) add(short, unit, false);
	for (const unit of units) {
		for (const text of [unit.name, ...unit.shortNames]) {
			if (!text.startsWith('市')) continue;
			add(`苏州${text}`, unit, true);
			// 应急管理局 for 市应急管理局, not 委宣传部 for 市委宣传部
			if (!text.startsWith('市委') && !text.startsWith('市级') && text.length >= 5) add(text.slice(1), unit, false);
		}
	}
	return [...names.values()].sort((a, b) => b.text.length - a.text.length);
}

/**
 * What may stand right before a unit's short form: no Chinese character, or the last character of
 * a word that introduces a unit (由, 请, 会同, 配合, 责成, 要求, 督促) or lists one (、, 和, 及).
 */
const BEFORE_A_NAME = /[由请同合成求促是、，,和及与于在向对按给：:（(]/;
function standsAlone(text: string, at: number): boolean {
	const ch = text[at - 1];
	return ch === undefined || !/[\u4e00-\u9fa5]/.test(ch) || BEFORE_A_NAME.test(ch);
}

/** A name shaped like a city unit: 市 (市委, 苏州市) and a few characters ending in an organ's word. */
const UNIT_LIKE =
	/(?:苏州市|市委|市)[\u4e00-\u9fa5]{1,10}?(?:管理局|委员会|办公室|支队|大队|局|委|办|部|中心|集团|公司)(?![\u4e00-\u9fa5]?(?:局|委|办))/g;
/** Words that make such a shape no unit's name (市各有关部门, 市老旧小区改造工作部署). */
const NOT_A_NAME = /各|有关|工作|改造|全|相关|这/;

/** The units `text` names, known or not, in order, none overlapping. */
export function findUnits(text: string, names: UnitName[]): UnitMention[] {
	const found: UnitMention[] = [];
	const covered = new Uint8Array(text.length);
	const free = (s: number, e: number) => {
		for (let i = s; i < e; i++) if (covered[i]) return false;
		return true;
	};
	const take = (mention: UnitMention) => {
		covered.fill(1, mention.start, mention.end);
		found.push(mention);
	};
	for (const { text: name, unit, whole } of names) {
		for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
			if ((whole || standsAlone(text, at)) && free(at, at + name.length))
				take({ start: at, end: at + name.length, name: unit.name, unitId: unit.id });
		}
	}
	UNIT_LIKE.lastIndex = 0;
	for (let m = UNIT_LIKE.exec(text); m; m = UNIT_LIKE.exec(text)) {
		const start = m.index;
		const end = start + m[0].length;
		if (NOT_A_NAME.test(m[0]) || !(m[0].startsWith('苏州') || standsAlone(text, start))) continue;
		if (free(start, end)) take({ start, end, name: m[0], unitId: null });
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
	// Where the list a mention opens ends (X、Y和Z), found once from the end: linear in the mentions.
	const listEnd: number[] = new Array(mentions.length);
	for (let j = mentions.length - 1; j >= 0; j--) {
		const joined = j + 1 < mentions.length && LIST_GAP.test(text.slice(mentions[j].end, mentions[j + 1].start));
		listEnd[j] = joined ? listEnd[j + 1] : j;
	}
	/** A mention and the ones listed right after it. */
	const runFrom = (i: number) => mentions.slice(i, listEnd[i] + 1);
	for (let i = 0; i < mentions.length; i++) {
		const m = mentions[i];
		const last = mentions[listEnd[i]];
		const head = before(m);
		const tail = after(last);
		// Helpers first: in 市住建局会同市资源规划局负责 the 负责 is the lead's, said after its helper.
		const helps = /(会同|协同|联合|配合单位[：:]|协办单位[：:])\s*$/.exec(head) ?? /^\s*(?:要|须|应)?\s*(配合|协助|参与|协同)/.exec(tail);
		if (helps) {
			cues.push(helps[1].replace(/单位[：:]$/, ''));
			for (const c of runFrom(i)) co.push(c);
			i = listEnd[i];
			continue;
		}
		const leads =
			/(牵头单位|责任单位|主办单位)[：:]\s*$/.exec(head) ??
			/(?<![邀申])(由|请|责成|要求|交由)\s*$/.exec(head) ??
			/^\s*(牵头|负责|主抓|主办|抓好|抓紧|要)/.exec(tail);
		if (leads) {
			cues.push(leads[1]);
			// 由X、Y负责: the first leads, the others help; a second unit given work of its own helps too.
			const run = runFrom(i);
			if (!lead) lead = run.shift()!;
			for (const c of run) co.push(c);
			i = listEnd[i];
			continue;
		}
		uncued.push(m);
	}
	// No words of tasking around any unit: the first named leads, the others help.
	if (!lead && uncued.length) {
		lead = uncued[0];
		if (co.length === 0) for (const c of uncued.slice(1)) co.push(c);
	}
	const named = new Set([lead?.name]);
	const unique = co.filter((c) => !named.has(c.name) && named.add(c.name));
	return { lead, co: unique, cues: [...new Set(cues)] };
}
