/**
 * The words of a source a 立项 form was opened on, as the form carries them (`opened`): the span of
 * the text (`start-end`). A proposal merged or split meanwhile keeps its id with other words, and
 * accepting it with the span of before is refused (`acceptProposal`).
 */
export const openedSpan = (p: { quoteStart: number; quoteEnd: number }) => `${p.quoteStart}-${p.quoteEnd}`;
