import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhance={saveInPlace}` on each form of a page that holds several forms saved one by one (an
 * item's and its milestones', the notification channels'): a save follows the action's redirect
 * without loading the page again, so what is typed and not yet saved in the page's other forms stays
 * as typed (an input keeps its value while the stored value it shows is unchanged). The form sent is
 * then set back to what is now stored (what the server kept: trimmed, a password field emptied), as
 * a page load would show it; a refused form keeps what was typed, with the reasons. Without
 * JavaScript every save loads the page, as any plain form.
 */
export const saveInPlace: SubmitFunction =
	({ formElement }) =>
	async ({ result, update }) => {
		await update({ reset: false });
		if (result.type === 'redirect' || result.type === 'success') formElement.reset();
	};
