/**
 * The reporting calendar (docs/domain.md, "Monthly reports"): each month's report is due by the due
 * day of that month; the lead unit (牵头单位) owes it from the item's start; once submitted it is in the
 * office's hands and owed no longer. Every page, summary, reminder and light reads these rules here.
 */
import { addMonthsToMonth, monthOf, type CalendarDate, type Month } from './dates';

/**
 * The month tracking began (the lecture of 2021-07-06): no report, summary or view of the past is
 * earlier. A view as of a day before it is refused (`view-moment.ts`), not shown empty.
 */
export const FIRST_MONTH: Month = '2021-07';

/** The day `month`'s report is due. */
export function reportDueOn(month: Month, reportDueDay: number): CalendarDate {
	return `${month}-${String(reportDueDay).padStart(2, '0')}`;
}

/**
 * Whether a month's reports are owed on `date` (a closed month's last day, or today in this one):
 * once the month's due day is over; before then no unit is late with this month's report.
 */
export function reportsOwed(closed: boolean, date: CalendarDate, dueOn: CalendarDate): boolean {
	return closed || date > dueOn;
}

/** The last month whose report was due by `date` (the due day of a month, or the month before). */
export function lastDueMonth(date: CalendarDate, reportDueDay: number): Month {
	const month = monthOf(date);
	return Number(date.slice(8, 10)) > reportDueDay ? month : addMonthsToMonth(month, -1);
}

/**
 * Whether a month's report has been sent to the office (submitted, or already approved): the unit owes
 * it no longer, and the co-units' contributions are kept as they went with it.
 */
export function reportSent(status: string | null | undefined): boolean {
	return status === 'submitted' || status === 'approved';
}

/**
 * The months whose report, while it awaits the office's review, counts as given for the report light
 * on `date`: the months that can be the last one due (this month and the one before). A unit that
 * reported on time is not turned yellow because the review has not happened yet; a report returned
 * to it counts again only once resubmitted.
 */
export function monthsCountedWhileInReview(date: CalendarDate): Month[] {
	const month = monthOf(date);
	return [addMonthsToMonth(month, -1), month];
}

/** Whether a report counts as given for the report light on `date` (approved, or in review by then). */
export function countsAsReported(report: { status: string; month: Month }, date: CalendarDate): boolean {
	return report.status === 'approved' || (report.status === 'submitted' && monthsCountedWhileInReview(date).includes(report.month));
}

/** A report sent to the office (报送): submitted, or approved since. A draft or a returned one is not. */
export const sentStatuses = ['submitted', 'approved'] as const;

export const isSent = (status: string): boolean => (sentStatuses as readonly string[]).includes(status);
