/** How long a report's texts may be: the forms count against these and the server refuses beyond them. */

/** 进展情况, 存在问题, 下步打算: each. */
export const REPORT_TEXT_MAX = 2000;
/** A milestone's evidence (佐证材料) note. */
export const EVIDENCE_MAX = 500;
/** A co-unit's contribution (协办意见). */
export const CONTRIBUTION_MAX = 2000;
