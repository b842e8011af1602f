/** The refusal (WorkflowError) a command gives; any other outcome fails the test. */
import { WorkflowError } from '$lib/server/workflow/errors';

export function refusal(run: () => unknown): WorkflowError {
	try {
		run();
	} catch (e) {
		if (e instanceof WorkflowError) return e;
		throw e;
	}
	throw new Error('not refused');
}
