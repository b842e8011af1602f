/**
 * 完成时限: the deadline a sentence of a source sets, resolved against the source's date (a calendar
 * date in Suzhou). Offices write deadlines in a handful of shapes: a date (2026年12月31日前), a month's
 * end (2027年3月底前, 3月底前), a year's end (年底前, 明年底前), a quarter (一季度末前), a half year
 * (上半年), a relative month (下月底前, 月底前), a festival (国庆节前, 春节前: the lunar ones from
 * chinese-days, which the working calendar ships with), or a span (两周内, 10个工作日内, 3个月内, 半个月内, 半年内). A date without a
 * year that has already passed on the source's date is the next year's. "长期", "持续" and a sentence
 * with no deadline give none.
 */
import { addCalendarDays, lastDayOf, addMonthsToMonth, isCalendarDate, type CalendarDate } from '$lib/dates';
import { addWorkingDays, type WorkingCalendar } from '$lib/working-days';
// The default export: the package's CommonJS build (what Node loads) names its functions only there.
import chineseDays from 'chinese-days';

export type Deadline = {
	date: CalendarDate;
	/** The words that set it, verbatim, with their offsets in the sentence given. */
	phrase: string;
	start: number;
	end: number;
};

const DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 3, ３, 三, 十二, 二十, 二十五 as a number (null when it is none of them). */
export function chineseNumber(text: string): number | null {
	const ascii = text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
	if (/^\d+$/.test(ascii)) return Number(ascii);
	const match = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
	if (!match || text.length === 0) return null;
	const [, tens, ten, ones] = match;
	if (!ten) return tens && !ones ? DIGITS[tens] : null;
	return (tens ? DIGITS[tens] : 1) * 10 + (ones ? DIGITS[ones] : 0);
}

// Numbers of a date are short: a digit run is read at most four digits long and from its start (a
// long run of digits is no date, and reading every position of it again would take quadratic time).
const NUM = '(?<![0-9])[0-9]{1,4}|[一二两三四五六七八九十]{1,3}';
/** 年 alone means this year (年底前), not after a number (一年内), nor in 去年, 每年, 全年. */
const BARE_YEAR = '(?<![0-9〇零一二两三四五六七八九十半去上前每全当本几多个])年';
const YEAR = `(?:(?<![0-9])([0-9]{4}) ?年 ?|(今年|本年|当年|${BARE_YEAR}|明年|次年|下一年))`;
/** A deadline ends with 前/之前/以前/内/底/末, or is followed by 完成 and the like; "前" is optional. */
const BEFORE = '(?:前|之前|以前|内|以内)?';

type Rule = { re: RegExp; resolve: (m: RegExpExecArray, base: CalendarDate, calendar?: WorkingCalendar) => CalendarDate | null };

function yearOf(m: string | undefined, word: string | undefined, base: CalendarDate): number | null {
	const baseYear = Number(base.slice(0, 4));
	if (m) return Number(m);
	if (!word) return null;
	return word === '明年' || word === '次年' || word === '下一年' ? baseYear + 1 : baseYear;
}

function pad(n: number): string {
	return String(n).padStart(2, '0');
}

/** The month `month` (1–12) of `year`, or, with no year given, the first such month not yet over on `base`. */
function monthEnd(year: number | null, month: number, base: CalendarDate): CalendarDate | null {
	if (month < 1 || month > 12) return null;
	const baseYear = Number(base.slice(0, 4));
	let y = year ?? baseYear;
	if (year === null && `${y}-${pad(month)}` < base.slice(0, 7)) y += 1;
	return lastDayOf(`${y}-${pad(month)}`);
}

function exactDate(year: number | null, month: number, day: number, base: CalendarDate): CalendarDate | null {
	const baseYear = Number(base.slice(0, 4));
	let y = year ?? baseYear;
	let date = `${y}-${pad(month)}-${pad(day)}`;
	if (year === null && date < base) date = `${(y += 1)}-${pad(month)}-${pad(day)}`;
	return isCalendarDate(date) ? date : null;
}

const QUARTERS: Record<string, number> = { 一: 1, 1: 1, 二: 2, 2: 2, 三: 3, 3: 3, 四: 4, 4: 4 };

const rules: Rule[] = [
	{
		// 2026年12月31日前, 12月31日前, 2026年12月31号
		re: new RegExp(`(?:(?<![0-9])([0-9]{4}) ?年 ?)?(${NUM}) ?月 ?(${NUM}) ?[日号]${BEFORE}`, 'g'),
		resolve: (m, base) => {
			const month = chineseNumber(m[2]);
			const day = chineseNumber(m[3]);
			return month && day ? exactDate(m[1] ? Number(m[1]) : null, month, day, base) : null;
		}
	},
	{
		// 2026.12.31, 2026-12-31, 2026/12/31
		re: /(?<![0-9])(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})(?![0-9])(?:日)?(?:前|之前|以前)?/g,
		resolve: (m, base) => exactDate(Number(m[1]), Number(m[2]), Number(m[3]), base)
	},
	{
		// 2027年3月底前, 3月底前, 3月末, 2027年3月前 (before the end of March)
		re: new RegExp(`(?:${YEAR})?(${NUM}) ?月(?:份)?(底|末|中旬|上旬|下旬)?(?:前|之前|以前)`, 'g'),
		resolve: (m, base) => {
			const month = chineseNumber(m[3]);
			const end = month ? monthEnd(yearOf(m[1], m[2], base), month, base) : null;
			return end ? partOfMonth(end, m[4]) : null;
		}
	},
	{
		// 3月底, 2027年3月末 (no 前)
		re: new RegExp(`(?:${YEAR})?(${NUM}) ?月(?:份)?(?:底|末)`, 'g'),
		resolve: (m, base) => {
			const month = chineseNumber(m[3]);
			return month ? monthEnd(yearOf(m[1], m[2], base), month, base) : null;
		}
	},
	{
		// 一季度末前, 2027年第二季度, 三季度前
		re: new RegExp(`(?:${YEAR})?第?([一二三四1-4])季度(?:末|底)?${BEFORE}`, 'g'),
		resolve: (m, base) => {
			const q = QUARTERS[m[3]];
			const year = yearOf(m[1], m[2], base);
			return q ? monthEnd(year, q * 3, base) : null;
		}
	},
	{
		// 上半年, 2027年上半年, 下半年
		re: new RegExp(`(?:${YEAR})?([上下])半年${BEFORE}`, 'g'),
		resolve: (m, base) => monthEnd(yearOf(m[1], m[2], base), m[3] === '上' ? 6 : 12, base)
	},
	{
		// 年底前, 2026年底, 今年年底, 明年底前, 年内, 2027年内, 2027年12月 (handled above)
		re: new RegExp(`(?:(?<![0-9])([0-9]{4}) ?年|(今年|本年|当年|明年|次年|${BARE_YEAR}))(?:年)?(?:底|末|内)${BEFORE}`, 'g'),
		resolve: (m, base) => `${yearOf(m[1], m[2], base)}-12-31`
	},
	{
		// 一年内, 两年内, 半年内: a span of years from the source's date
		re: /((?<![0-9])[0-9]{1,2}|[一二两三四五六七八九十]{1,3}|半)个?年(?:内|以内|之内)/g,
		resolve: (m, base) => {
			if (m[1] === '半') return addMonthsKeepingDay(base, 6);
			const n = chineseNumber(m[1]);
			return n ? addMonthsKeepingDay(base, n * 12) : null;
		}
	},
	{
		// 明年新增…, 今年完成… (a year named alone: by its end; not 今年以来, 明年初)
		re: /(今年|明年|次年)(?![底末内上下第年初来]|以来|以前|同期|[0-9一二三四五六七八九十]+(?:月|季))/g,
		resolve: (m, base) => `${yearOf(undefined, m[1], base)}-12-31`
	},
	{
		// 本月底前, 下月底前, 下个月底
		re: /(本月|当月|下月|下个月|次月)(底|末|中旬|上旬|下旬)?(?:前|之前|以前|内)/g,
		resolve: (m, base) => partOfMonth(lastDayOf(addMonthsToMonth(base.slice(0, 7), m[1] === '本月' || m[1] === '当月' ? 0 : 1)), m[2])
	},
	{
		// 月底前, 月末前: this month's (no number, no 本 or 下 before 月: those are the rules above)
		re: /(?<![0-9一二三四五六七八九十本当下个次每])月(底|末|中旬|上旬|下旬)(?:前|之前|以前)/g,
		resolve: (m, base) => partOfMonth(lastDayOf(base.slice(0, 7)), m[1])
	},
	{
		// 半个月内, 半月内 (15 days); 半年内 (6 months, not 上半年 or 下半年)
		re: /(?<![上下])半(个?月|年)(?:内|以内|之内)/g,
		resolve: (m, base) => (m[1] === '年' ? addMonthsKeepingDay(base, 6) : addCalendarDays(base, 15))
	},
	{
		// 国庆节前, 元旦前: the holidays whose date is fixed
		re: /(国庆节?|元旦)(?:前|之前|以前)/g,
		resolve: (m, base) => {
			const [month, day] = m[1].startsWith('国庆') ? ['09', '30'] : ['12', '31'];
			const date = `${base.slice(0, 4)}-${month}-${day}`;
			return date < base ? `${Number(base.slice(0, 4)) + 1}-${month}-${day}` : date;
		}
	},
	{
		// 春节前, 中秋节前, 端午前: the festivals of the lunar calendar, the next one after the source's date
		re: /(春节|中秋节?|端午节?)(?:前|之前|以前)/g,
		resolve: (m, base) => {
			const lunar = m[1] === '春节' ? '01-01' : m[1].startsWith('中秋') ? '08-15' : '05-05';
			const year = Number(base.slice(0, 4));
			for (const y of [year - 1, year, year + 1]) {
				const day = chineseDays.getSolarDateFromLunar(`${y}-${lunar}`).date as CalendarDate;
				if (day > base) return addCalendarDays(day, -1);
			}
			return null;
		}
	},
	{
		// 10个工作日内 (needs the working calendar)
		re: new RegExp(`(${NUM})个?工作日(?:内|以内|之内)`, 'g'),
		resolve: (m, base, calendar) => {
			const n = chineseNumber(m[1]);
			return n && calendar ? addWorkingDays(calendar, base, n) : null;
		}
	},
	{
		// 两周内, 3天内, 15日内, 3个月内, 一个月内
		re: new RegExp(`(${NUM})(个月|周|星期|天|日)(?:内|以内|之内)`, 'g'),
		resolve: (m, base) => {
			const n = chineseNumber(m[1]);
			if (!n) return null;
			if (m[2] === '个月') return addMonthsKeepingDay(base, n);
			return addCalendarDays(base, m[2] === '周' || m[2] === '星期' ? n * 7 : n);
		}
	}
];

/** Before the first (上旬), middle (中旬) or last (下旬, 底) part of the month that ends on `end`. */
function partOfMonth(end: CalendarDate, part: string | undefined): CalendarDate {
	if (part === '上旬') return `${end.slice(0, 8)}10`;
	if (part === '中旬') return `${end.slice(0, 8)}20`;
	return end;
}

/** `base` plus `n` months, on the same day or the month's last when it has fewer days. */
export function addMonthsKeepingDay(base: CalendarDate, n: number): CalendarDate {
	const month = addMonthsToMonth(base.slice(0, 7), n);
	const last = lastDayOf(month);
	const day = `${month}-${base.slice(8, 10)}`;
	return day > last ? last : day;
}

const CHINESE_DIGITS: Record<string, string> = {
	〇: '0',
	零: '0',
	一: '1',
	二: '2',
	三: '3',
	四: '4',
	五: '5',
	六: '6',
	七: '7',
	八: '8',
	九: '9'
};

/**
 * The text with full-width digits (２０２７) and a year written in Chinese numerals (二〇二七年) as
 * ASCII digits, character for character, so that every offset stays the same.
 */
function asciiDigits(text: string): string {
	return text
		.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
		.replace(/[〇零一二三四五六七八九]{4}(?=年)/g, (year) => [...year].map((c) => CHINESE_DIGITS[c]).join(''));
}

/**
 * Dates that set no deadline: a recurring one (每月10日前, 每年年底前), a status (截至4月底, 已于3月底前
 * 完成), a start (自2026年7月1日起, 2027年起), a time already past (去年底 is excluded by its pattern).
 */
function notADeadline(text: string, start: number, end: number): boolean {
	const before = text.slice(Math.max(0, start - 4), start);
	if (/每[^，,。；;]{0,2}$/.test(before) || text[start] === '每') return true;
	if (/(截至|截止|已于|已经|已在|已|自|从)[^，,。；;]{0,1}$/.test(before)) return true;
	return /^(起|以来|开始)/.test(text.slice(end, end + 2));
}

/**
 * Every deadline in `text`, each once (where two shapes match the same words, the longer wins),
 * in the order they appear. `calendar` resolves working days; without it they give none.
 */
export function findDeadlines(text: string, base: CalendarDate, calendar?: WorkingCalendar): Deadline[] {
	const found: Deadline[] = [];
	const read = asciiDigits(text);
	for (const rule of rules) {
		rule.re.lastIndex = 0;
		for (let m = rule.re.exec(read); m; m = rule.re.exec(read)) {
			const end = m.index + m[0].length;
			if (notADeadline(read, m.index, end)) continue;
			const date = rule.resolve(m, base, calendar);
			if (date) found.push({ date, phrase: text.slice(m.index, end), start: m.index, end });
		}
	}
	found.sort((a, b) => a.start - b.start || b.end - a.end);
	// In the order of their starts, what is kept does not overlap: a deadline overlaps one kept only if
	// it starts before the last one kept ends (comparing it with every one kept took a second for a
	// sentence of 20,000 dates).
	const kept: Deadline[] = [];
	for (const d of found) if (kept.length === 0 || d.start >= kept[kept.length - 1].end) kept.push(d);
	return kept;
}

/** The deadline of a task: the last one it names (steps come first, the end last), or none. */
export function taskDeadline(text: string, base: CalendarDate, calendar?: WorkingCalendar): Deadline | null {
	const all = findDeadlines(text, base, calendar);
	if (all.length === 0) return null;
	return all.reduce((latest, d) => (d.date > latest.date ? d : latest));
}
